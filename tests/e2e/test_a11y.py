"""axe-core on the checker page and on the embed, light and dark, in every result state: a scam, a
suspicious and a clean result, and the engine's load failure. Any violation, of any impact, fails.

axe-core comes from npm, pinned and integrity-checked (tests/e2e/axe.py), like Pyodide in build.py.
"""

from __future__ import annotations

import json

import pytest
from axe import run_axe
from conftest import save_screenshot, wait_engine_ready
from helpers import CORPUS

import mikiwame

CHECK_TIMEOUT_MS = 30_000
PAGES = {"page": "index.html", "embed": "embed.html"}


def _one_message_per_verdict() -> dict[str, str]:
    """A real corpus message for each verdict, as the engine (the same in the page) decides it today."""
    found: dict[str, str] = {}
    for name in ("scam.jsonl", "legit.jsonl"):
        for line in (CORPUS / name).read_text("utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                found.setdefault(mikiwame.check(text).verdict, text)
    assert set(found) == {"scam", "suspicious", "clean"}, found.keys()
    return found


MESSAGES = _one_message_per_verdict()


def _show_everything(page) -> None:
    """Open what a reader can open (more findings, the rest of a long message) so that axe sees it too."""
    for summary in page.locator("#result details:not([open]) > summary").all():
        summary.click()
    expand = page.locator("#result .message-expand:visible")
    if expand.count():
        expand.click()


def _assert_no_violations(page, label: str) -> None:
    violations = run_axe(page)
    if violations:
        save_screenshot(page, f"axe-{label}")
    assert violations == [], f"{label}: " + json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("which", list(PAGES))
def test_axe_finds_nothing_in_any_result_state(browser, server_url, which, scheme):
    context = browser.new_context(locale="ja-JP", color_scheme=scheme, viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        page.goto(server_url + PAGES[which])
        wait_engine_ready(page)
        _assert_no_violations(page, f"{which}-{scheme}-ready")
        for verdict, text in MESSAGES.items():
            page.locator("#clear-btn").click()
            page.get_by_label("メッセージ本文").fill(text)
            page.get_by_role("button", name="チェック").click()
            page.locator(f"#result[data-verdict={verdict}]").wait_for(timeout=CHECK_TIMEOUT_MS)
            _show_everything(page)
            _assert_no_violations(page, f"{which}-{scheme}-{verdict}")
        # The same in English (the result's Japanese quotes then carry lang="ja").
        page.get_by_role("button", name="Switch to English").click()
        page.locator("html[lang=en]").wait_for(state="attached")
        page.locator("#result[data-verdict]").wait_for(timeout=CHECK_TIMEOUT_MS)
        _assert_no_violations(page, f"{which}-{scheme}-en")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("which", list(PAGES))
def test_axe_finds_nothing_when_the_engine_fails_to_load(browser, server_url, which, scheme):
    context = browser.new_context(locale="ja-JP", color_scheme=scheme)
    try:
        context.route("**/pyodide.asm.wasm", lambda route: route.abort())
        page = context.new_page()
        page.goto(server_url + PAGES[which])
        page.locator("html[data-engine=error]").wait_for(state="attached", timeout=70_000)
        page.locator("#engine-error").wait_for()
        _assert_no_violations(page, f"{which}-{scheme}-error")
    finally:
        context.close()
