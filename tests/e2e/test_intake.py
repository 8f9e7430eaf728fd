"""Getting a message in without typing: images read on the device, shares from other apps, the paste button.

The screenshots are rendered from real corpus messages by scripts/make_screenshots.py (the benchmark's
fixtures). Every test records the requests of its browser context (page, engine worker, OCR worker and
service worker): reading an image sends nothing anywhere, and the OCR files come from our own origin.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from helpers import LocalServer  # noqa: E402
import make_screenshots  # noqa: E402

OCR_PREFIX = "ocr/"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory, browser):
    """A few fixture screenshots: {id: {png, text, ...}} (light and dark, ja and en)."""
    folder = tmp_path_factory.mktemp("shots")
    items = make_screenshots.render(folder, scale=3, only=("scam-seed-2", "scam-seed-1", "scam-hmrc-002"),
                                    browser=browser)
    return {item["id"]: {**item, "path": folder / item["png"]} for item in items}


@pytest.fixture
def recording_server(build_module, dist_dir):
    server = LocalServer(build_module, dist_dir)
    yield server
    server.close()


def origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def new_context(browser, requests: list[str], **kwargs):
    context = browser.new_context(locale="ja-JP", **kwargs)
    context.on("request", lambda r: requests.append(r.url))
    return context


def first_visit(page, url: str, wait_engine_ready) -> None:
    page.goto(url)
    wait_engine_ready(page)
    page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=60_000)


def read_image(page, path: Path, verdict: str | None = None) -> str:
    """Choose `path` with the file input; wait for the check; return the text put in the box."""
    page.get_by_label("画像から読み取る").set_input_files(str(path))
    page.locator("#message[data-origin=image]").wait_for(state="attached", timeout=120_000)
    selector = f"#result[data-verdict={verdict}]" if verdict else "#result[data-verdict]"
    page.locator(selector).wait_for(timeout=60_000)
    return page.get_by_label("メッセージ本文").input_value()


def test_an_image_chosen_with_the_file_input_is_read_and_checked(browser, server_url, screenshots,
                                                                   wait_engine_ready):
    requests: list[str] = []
    context = new_context(browser, requests)
    try:
        page = context.new_page()
        first_visit(page, server_url, wait_engine_ready)
        shot = screenshots["scam-seed-2"]  # dark theme, Japanese, a phone number
        text = read_image(page, shot["path"], "scam")
        assert "0359620597" in text
        assert "法的手続き" in text
        assert page.locator("#intake-note").is_visible()
        # The OCR files came from our own origin, and only now.
        assert any(f"/{OCR_PREFIX}lang/jpn.traineddata.gz" in u for u in requests)
        assert [u for u in requests if not u.startswith(("data:", "blob:")) and origin(u) != origin(server_url)] == []

        # A second image: nothing at all is requested while reading and checking it.
        before = len(requests)
        page.locator("#clear-btn").click()
        text = read_image(page, screenshots["scam-hmrc-002"]["path"])
        assert "https://gov-tax.refundpr.com/" in text  # a link the bubble wrapped at its hyphen
        assert requests[before:] == []
    finally:
        context.close()


def test_a_text_only_visit_downloads_no_ocr_file(browser, server_url, wait_engine_ready):
    requests: list[str] = []
    context = new_context(browser, requests)
    try:
        page = context.new_page()
        first_visit(page, server_url, wait_engine_ready)
        page.get_by_label("メッセージ本文").fill("本日ご連絡なき場合、法的手続きに移行します。アマゾン 0359620597")
        page.get_by_role("button", name="チェック").click()
        page.locator("#result[data-verdict]").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        assert any(u.endswith("/sw.js") for u in requests)  # the service worker has precached the app
        assert [u for u in requests if f"/{OCR_PREFIX}" in u] == []
        caches = page.evaluate("caches.keys()")
        assert not [c for c in caches if c.startswith("ocr-")]
    finally:
        context.close()


def test_after_one_use_images_are_read_offline(browser, build_module, dist_dir, screenshots, wait_engine_ready):
    server, url = build_module.serve(dist_dir, 0)
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        first_visit(page, url, wait_engine_ready)
        read_image(page, screenshots["scam-seed-2"]["path"], "scam")
        page.locator("#clear-btn").click()
        # No server and no network.
        server.shutdown()
        server.server_close()
        server = None
        context.set_offline(True)
        page.reload()
        wait_engine_ready(page)
        text = read_image(page, screenshots["scam-seed-1"]["path"], "scam")
        assert "0343392745" in text
    finally:
        context.close()
        if server:
            server.shutdown()
            server.server_close()


SHARE_HOST = """<!doctype html><html><head><meta charset="utf-8"><title>share sheet</title></head><body>
<form id="share" method="post" enctype="multipart/form-data" action="{action}">
<input name="title" value="{title}"><textarea name="text">{text}</textarea><input name="url" value="">
<input type="file" name="image" accept="image/*"><button type="submit">share</button></form></body></html>"""


@pytest.fixture
def share_sheet(tmp_path, build_module):
    """Stand-in for the phone's share sheet: a page on another origin that POSTs a form to the action."""
    pages = {}

    def make(action: str, title: str = "", text: str = "") -> str:
        name = f"share{len(pages)}.html"
        (tmp_path / name).write_text(SHARE_HOST.format(action=action, title=title, text=text), "utf-8")
        pages[name] = True
        return name

    server, url = build_module.serve(tmp_path, 0)
    yield url, make
    server.shutdown()
    server.server_close()


UPDATE_CHECKS = {("GET", "/sw.js"), ("GET", "/sw-intake.js")}


def share_action(server_url: str, dist_dir: Path) -> str:
    manifest = json.loads((dist_dir / "manifest.webmanifest").read_text("utf-8"))
    target = manifest["share_target"]
    assert target["method"] == "POST" and target["enctype"] == "multipart/form-data"
    assert target["params"]["files"][0]["accept"] == ["image/*"]
    return server_url + target["action"].removeprefix("./")


def test_shared_text_is_checked_without_reaching_the_server(browser, recording_server, dist_dir, share_sheet,
                                                            wait_engine_ready):
    sheet_url, make = share_sheet
    action = share_action(recording_server.url, dist_dir)
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        first_visit(page, recording_server.url, wait_engine_ready)
        recording_server.seen.clear()
        text = "会員登録の未納金が発生しております。本日中にご連絡なき場合、法的手続きに移行します。Amazonカスタマーセンター0359620597"
        page.goto(sheet_url + make(action, title="SMS", text=text))
        page.locator("#share button").click()
        page.locator("#result[data-verdict=scam]").wait_for(timeout=60_000)
        assert page.get_by_label("メッセージ本文").input_value() == "SMS\n" + text
        assert page.locator("#message[data-origin=share]").count() == 1
        assert "#share" not in page.url  # the fragment is gone: a reload does not ask again
        # The POST and the page after it were answered by the service worker. (The browser may look for
        # a newer service worker on a navigation: a GET of sw.js and its import, which carries nothing.)
        assert [r for r in recording_server.seen if r not in UPDATE_CHECKS] == []
    finally:
        context.close()


def test_a_shared_image_is_read_and_checked(browser, recording_server, dist_dir, share_sheet, screenshots,
                                            wait_engine_ready):
    sheet_url, make = share_sheet
    action = share_action(recording_server.url, dist_dir)
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        first_visit(page, recording_server.url, wait_engine_ready)
        page.get_by_label("画像から読み取る").set_input_files(str(screenshots["scam-seed-2"]["path"]))
        page.locator("#result[data-verdict=scam]").wait_for(timeout=120_000)  # the OCR files, once
        recording_server.seen.clear()
        page.goto(sheet_url + make(action))
        page.locator("input[type=file]").set_input_files(str(screenshots["scam-seed-1"]["path"]))
        page.locator("#share button").click()
        page.locator("#message[data-origin=image]").wait_for(state="attached", timeout=120_000)
        page.locator("#result[data-verdict=scam]").wait_for(timeout=60_000)
        assert "0343392745" in page.get_by_label("メッセージ本文").input_value()
        assert [r for r in recording_server.seen if r not in UPDATE_CHECKS] == []
    finally:
        context.close()


@pytest.mark.parametrize("how", ["paste", "drop"])
def test_an_image_pasted_with_the_keyboard_or_dropped_is_read(ready_page, screenshots, how):
    page = ready_page
    data = list(screenshots["scam-seed-1"]["path"].read_bytes())
    page.get_by_label("メッセージ本文").focus()
    page.evaluate(
        """([bytes, how]) => {
            const dt = new DataTransfer();
            dt.items.add(new File([new Uint8Array(bytes)], "shot.png", { type: "image/png" }));
            const box = document.getElementById("message");
            const ev = how === "paste"
              ? new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true })
              : new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true });
            box.dispatchEvent(ev);
        }""",
        [data, how],
    )
    page.locator("#message[data-origin=image]").wait_for(state="attached", timeout=120_000)
    page.locator("#result[data-verdict=scam]").wait_for(timeout=60_000)
    assert "0343392745" in page.get_by_label("メッセージ本文").input_value()


def test_the_paste_button_reads_the_clipboard(browser, server_url, wait_engine_ready):
    context = browser.new_context(locale="ja-JP", permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(server_url)
        wait_engine_ready(page)
        text = "【Amazon】アカウントを確認してください https://amazon-verify.example-login.top/a 03-1234-5678"
        page.evaluate("(t) => navigator.clipboard.writeText(t)", text)
        page.get_by_role("button", name="貼り付け").click()
        page.locator("#result[data-verdict]").wait_for(timeout=30_000)
        assert page.get_by_label("メッセージ本文").input_value() == text
    finally:
        context.close()


def test_a_refused_clipboard_gives_a_plain_message(browser, server_url, wait_engine_ready):
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(server_url)
        wait_engine_ready(page)
        # As a browser that refuses: the Clipboard API rejects with NotAllowedError.
        page.evaluate("""() => {
            const refuse = () => Promise.reject(new DOMException("denied", "NotAllowedError"));
            navigator.clipboard.read = refuse;
            navigator.clipboard.readText = refuse;
        }""")
        page.get_by_role("button", name="貼り付け").click()
        status = page.locator("#image-status[data-kind=error]")
        status.wait_for()
        assert "Ctrl+V" in status.inner_text()
        assert page.locator("#result[data-verdict]").count() == 0
    finally:
        context.close()


EMBED_HOST = """<!doctype html><html><head><meta charset="utf-8"><title>blog</title></head><body>
<script src="{url}embed.js" data-lang="ja" async></script>
<script src="{url}embed.js" data-lang="ja" data-paste="on" async></script></body></html>"""


def test_the_embed_offers_the_paste_button_only_where_the_clipboard_may_be_read(browser, server_url, tmp_path,
                                                                                build_module):
    (tmp_path / "index.html").write_text(EMBED_HOST.format(url=server_url), "utf-8")
    host, host_url = build_module.serve(tmp_path, 0)
    context = browser.new_context(locale="ja-JP", viewport={"width": 800, "height": 2400})
    try:
        page = context.new_page()
        page.goto(host_url)
        frames = page.locator("iframe.mikiwame-embed")
        frames.nth(1).wait_for(state="attached")
        assert frames.nth(0).get_attribute("allow") == "clipboard-write"
        assert frames.nth(1).get_attribute("allow") == "clipboard-read; clipboard-write"
        plain = page.frame_locator("iframe.mikiwame-embed >> nth=0")
        allowed = page.frame_locator("iframe.mikiwame-embed >> nth=1")
        for frame in (plain, allowed):
            frame.locator("html[data-engine=ready]").wait_for(state="attached", timeout=60_000)
            assert frame.get_by_label("画像から読み取る").count() == 1  # reading an image works anywhere
        allowed.locator("#paste-btn").wait_for(state="visible")
        assert plain.locator("#paste-btn").is_hidden()
    finally:
        context.close()
        host.shutdown()
        host.server_close()
