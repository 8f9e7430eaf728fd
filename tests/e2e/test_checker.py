"""The checker page as a person uses it: real seed messages, language switch, small screens, hostile input.

Runs against the real build (dist/, fixtures in conftest.py). Every wait is a locator wait.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import corpus_text

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHECK_TIMEOUT_MS = 30_000

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "worker-src": "'self'",
    "connect-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'none'",
}


def check(page, text: str) -> str:
    """Clear the result, paste `text`, press the check button, wait for the result; return its verdict."""
    lang = page.locator("html").get_attribute("lang")
    page.locator("#clear-btn").click()
    page.locator("#result").wait_for(state="hidden")
    page.get_by_label("メッセージ本文" if lang == "ja" else "Message").fill(text)
    page.get_by_role("button", name="チェック" if lang == "ja" else "Check").click()
    result = page.locator("#result[data-verdict]")
    result.wait_for(timeout=CHECK_TIMEOUT_MS)
    return result.get_attribute("data-verdict")


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize("message_id,number", [("scam-seed-1", "0343392745"), ("scam-seed-2", "0359620597"),
                                               ("scam-seed-3", "0362609575")])
def test_seed_sms_is_scam(ready_page, message_id, number):
    assert check(ready_page, corpus_text(message_id)) == "scam"
    # The evidence is highlighted in the pasted text: the call-back number and the legal threat.
    assert ready_page.locator("#result mark", has_text=number).count() >= 1
    assert ready_page.locator("#result mark", has_text="法的手続").count() >= 1
    headline = ready_page.locator("#result .verdict-headline")
    assert headline.inner_text() == "詐欺の可能性が高い"
    assert ready_page.locator("#result .finding").count() >= 1
    # Each finding carries a title and an explanation; the phone number is listed with its type.
    assert ready_page.locator("#result .finding-title").first.inner_text().strip()
    assert ready_page.locator("#result .entity-phone").count() >= 1
    assert ready_page.page_errors == []


def test_seed_1_highlights_legal_form(ready_page):
    text = corpus_text("scam-seed-1")
    assert "(株)" in text
    assert check(ready_page, text) == "scam"
    mark = ready_page.locator("#result mark", has_text="(株)")
    assert mark.count() >= 1
    # The highlighted text is the pasted text, character for character.
    assert ready_page.locator("#result .message-text").inner_text().replace("\n", "").find("アマゾンジャパン") >= 0


@pytest.mark.parametrize("message_id", ["legit-amazon-otp-001", "legit-personal-001"])
def test_genuine_messages_are_clean(ready_page, message_id):
    assert check(ready_page, corpus_text(message_id)) == "clean"
    headline = ready_page.locator("#result .verdict-headline").inner_text()
    assert headline == "既知の詐欺の特徴は見つかりませんでした"
    body = ready_page.locator("#result").inner_text()
    assert "安全です" not in body
    assert ready_page.locator("#result mark").count() == 0


def test_example_buttons_use_real_messages(ready_page):
    examples = json.loads((ROOT / "web" / "examples.json").read_text("utf-8"))["examples"]
    ids = {e["id"] for e in examples}
    assert {"scam-seed-1", "scam-seed-2", "scam-seed-3", "legit-amazon-otp-001", "legit-personal-001"} <= ids
    for e in examples:
        assert e["text"] == corpus_text(e["id"])
        assert e["source"].startswith("https://")
    page = ready_page
    page.locator("[data-example=scam-seed-2]").click()
    page.locator("#result[data-verdict=scam]").wait_for(timeout=CHECK_TIMEOUT_MS)
    assert page.get_by_label("メッセージ本文").input_value() == corpus_text("scam-seed-2")
    # The example's source is shown.
    assert page.locator(".example-source a").count() == len(examples)


def test_language_switch(ready_page):
    page = ready_page
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("button", name="チェック").count() == 1
    assert check(page, corpus_text("scam-seed-1")) == "scam"
    assert page.locator("#result .verdict-headline").inner_text() == "詐欺の可能性が高い"

    page.get_by_role("button", name="English").click()
    page.locator("html[lang=en]").wait_for(state="attached")
    assert page.get_by_role("button", name="Check").count() == 1
    assert page.get_by_role("button", name="チェック").count() == 0
    # The result is checked again in English (the engine's findings come in the new language too).
    page.locator("#result .verdict-headline", has_text="Likely a scam").wait_for()
    page.locator("#check-status").wait_for(state="hidden")
    assert page.locator("#result").get_attribute("data-verdict") == "scam"
    assert not re.search(r"[\u3040-\u30ff]{4,}", page.locator("#result .finding-title").first.inner_text())

    page.get_by_role("button", name="日本語").click()
    page.locator("html[lang=ja]").wait_for(state="attached")
    page.locator("#result .verdict-headline", has_text="詐欺の可能性が高い").wait_for()
    assert page.get_by_role("button", name="チェック").count() == 1


def test_initial_language_follows_browser(browser, server_url, wait_engine_ready):
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        page.goto(server_url)
        page.locator("html[lang=en]").wait_for(state="attached")
        wait_engine_ready(page)
        assert page.get_by_role("button", name="Check").count() == 1
        assert check(page, corpus_text("scam-seed-2")) == "scam"
        assert page.locator("#result .verdict-headline").inner_text() == "Likely a scam"
    finally:
        context.close()


def test_small_screen_has_no_horizontal_scroll(browser, server_url, wait_engine_ready):
    context = browser.new_context(locale="ja-JP", viewport={"width": 360, "height": 740}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(server_url)
        wait_engine_ready(page)
        assert check(page, corpus_text("scam-seed-1")) == "scam"
        path = save_screenshot(page, "mobile-360-scam-seed-1")
        assert path.stat().st_size > 10_000
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1] == 360
        # The check button is big enough to tap.
        box = page.get_by_role("button", name="チェック").bounding_box()
        assert box["height"] >= 40
    finally:
        context.close()


XSS_PAYLOADS = [
    "<img src=x onerror=window.__pwned=1>",
    "<script>window.__pwned=1</script>",
    '<a href="javascript:window.__pwned=1">Amazon ログイン javascript:window.__pwned=1</a>',
    "<svg onload=window.__pwned=1></svg> <iframe src=javascript:window.__pwned=1></iframe>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_pasted_html_stays_text(ready_page, payload):
    page = ready_page
    # With a scam beside it, so that the message is shown (a clean result shows no unmarked copy of it).
    text = payload + "\n" + corpus_text("scam-seed-1")
    check(page, text)
    # The shown text without the finding numbers beside the marks.
    shown = page.locator("#result .message-text").evaluate(
        "b => [...b.childNodes].filter(n => !(n.classList && n.classList.contains('mark-num')))"
        ".map(n => n.textContent).join('')")
    assert shown == text
    for tag in ("img", "script", "svg", "iframe"):
        assert page.locator(f"#result {tag}").count() == 0, tag
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_empty_input_gives_a_hint(ready_page):
    page = ready_page
    page.get_by_role("button", name="チェック").click()
    hint = page.locator("#check-status[data-kind=hint]")
    hint.wait_for()
    assert "貼り付けて" in hint.inner_text()
    assert page.locator("#result").get_attribute("data-verdict") is None
    assert page.locator("html[data-engine=ready]").count() == 1
    # Whitespace only is empty too.
    page.get_by_label("メッセージ本文").fill("   \n  ")
    page.get_by_role("button", name="チェック").click()
    hint.wait_for()
    assert page.locator("#result").get_attribute("data-verdict") is None


def test_huge_input_is_bounded(ready_page, wait_engine_ready):
    page = ready_page
    seed = corpus_text("scam-seed-1")
    text = seed + "\n" + ("あいうえお、かきくけこ。" * 17_000)[: 200_000 - len(seed)]
    assert len(text) == 200_001
    page.get_by_label("メッセージ本文").fill(text)
    status = page.locator("#input-status")
    status.wait_for()
    assert "最初の10,000文字だけ" in status.inner_text()
    page.get_by_role("button", name="チェック").click()
    page.locator("#result[data-verdict=scam]").wait_for(timeout=CHECK_TIMEOUT_MS)
    # The page stays responsive and only shows the part that was checked.
    assert page.evaluate("1 + 1") == 2
    shown = page.locator("#result .message-text").inner_text()
    assert len(shown) < 11_000
    assert "チェックしていません" in shown
    # After a very large input the worker is replaced; the new one checks as before.
    wait_engine_ready(page)
    assert check(page, corpus_text("scam-seed-3")) == "scam"
    assert page.page_errors == []


def test_check_before_ready_is_queued(page, server_url, wait_engine_ready):
    page.goto(server_url)
    page.get_by_label("メッセージ本文").fill(corpus_text("scam-seed-2"))
    page.get_by_role("button", name="チェック").click()
    # Pressed while the engine may still be loading: the check runs as soon as it is ready.
    page.locator("#result[data-verdict=scam]").wait_for(timeout=60_000)
    wait_engine_ready(page)


def test_performance_marks(ready_page):
    page = ready_page
    check(page, corpus_text("scam-seed-1"))
    marks = page.evaluate("performance.getEntriesByName('mikiwame-engine-ready').length")
    measures = page.evaluate("performance.getEntriesByName('mikiwame-check').map(e => e.duration)")
    assert marks == 1
    assert len(measures) >= 1 and all(d >= 0 for d in measures)


def test_result_shows_entities_advice_and_copy(ready_page, context):
    page = ready_page
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    assert check(page, corpus_text("scam-seed-1")) == "scam"
    result = page.locator("#result")
    assert result.get_attribute("aria-live") == "polite"
    # Score with its two thresholds.
    meter = result.get_by_role("meter")
    assert int(meter.get_attribute("aria-valuenow")) >= 60
    assert result.locator(".score-mark").count() == 2
    # The phone number, its type, and what is known about it.
    phone = result.locator(".entity-phone").first
    assert "0343392745" in phone.inner_text().replace("-", "")
    assert phone.locator(".entity-status").inner_text().strip()
    # Next steps, including the public help lines.
    advice = result.locator(".advice").inner_text()
    assert "188" in advice and "#9110" in advice
    # Sources open in a new tab without giving the page a handle on us.
    for link in result.locator(".source a").all():
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert link.get_attribute("href").startswith(("https://", "http://"))
    page.get_by_role("button", name="結果をコピー").click()
    page.locator("#copy-status", has_text="コピーしました").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "詐欺の可能性が高い" in copied and "188" in copied


def test_links_in_message_are_not_clickable(ready_page):
    page = ready_page
    text = "【Amazon】お支払い方法に問題があります。こちらから更新してください https://amazon-co-jp.example-login.top/verify"
    check(page, text)
    urls = page.locator("#result .entity-urls")
    assert urls.count() == 1
    assert urls.locator("a").count() == 0
    assert "example-login.top" in urls.inner_text()


def csp_of(html: str) -> dict[str, str]:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert m, "no CSP meta tag"
    directives = {}
    for part in m.group(1).split(";"):
        words = part.split()
        if words:
            directives[words[0]] = " ".join(words[1:])
    return directives


@pytest.mark.parametrize("name", ["index.html", "embed.html"])
def test_csp_meta(dist_dir, page, server_url, name):
    source = (dist_dir / name).read_text("utf-8")
    assert csp_of(source) == EXPECTED_CSP
    # No inline script or style that the policy would have to allow.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source)
    assert "<style" not in source and " style=" not in source
    assert not re.search(r"\son[a-z]+=", source)
    # The policy is the one the browser sees, and the page works under it.
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server_url + name)
    content = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert csp_of(f'<meta http-equiv="Content-Security-Policy" content="{content}">') == EXPECTED_CSP
    page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=60_000)
    assert violations == []
