"""The page's e-mail intake (web/intake-file.js): a chosen .eml file and a pasted e-mail source.

The file's bytes are decoded by the engine in the worker (MIME charsets); the result highlights evidence in
the text the engine read (header lines and body), and the header facts are listed as entities.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "email"
CHECK_TIMEOUT_MS = 30_000


def test_chosen_eml_file_is_checked_as_an_email(ready_page):
    page = ready_page
    # The page has loaded once its service worker controls it (pwa.js: on first control it still starts
    # code-cache-worker.js, after the engine may already be ready), as test_privacy.py waits for it.
    page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=60_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.locator("#file-input").set_input_files(str(FIXTURES / "html_card_lure.eml"))
    result = page.locator("#result[data-verdict]")
    result.wait_for(timeout=CHECK_TIMEOUT_MS)
    assert result.get_attribute("data-verdict") == "scam"
    # Evidence is marked in the decoded header lines and HTML text: the From name and the link's shown host.
    assert page.locator("#result mark", has_text="イオンカード").count() >= 1
    assert page.locator("#result mark", has_text="www.aeon.co.jp").count() >= 1
    # Header facts as entities: From, Reply-To, the topmost authentication results.
    headers = page.locator("#result .entity-header")
    assert headers.count() == 3
    assert "aeon.support.desk@gmail.com" in page.locator("#result .header-reply-to").inner_text()
    assert "dmarc=fail" in page.locator("#result .header-authentication").inner_text()
    assert page.locator("#input-status", has_text="html_card_lure.eml").count() == 1
    assert requests == [], f"checking a file made requests: {requests}"


def test_iso_2022_jp_file_decodes_in_the_page(ready_page):
    page = ready_page
    page.locator("#file-input").set_input_files(str(FIXTURES / "iso2022jp_order.eml"))
    result = page.locator("#result[data-verdict]")
    result.wait_for(timeout=CHECK_TIMEOUT_MS)
    assert result.get_attribute("data-verdict") == "clean"
    assert "見極め書店" in page.locator("#result .header-from").inner_text()


def test_pasted_source_is_read_as_an_email(ready_page):
    page = ready_page
    source = (FIXTURES / "html_card_lure.eml").read_bytes().decode("ascii")
    page.get_by_label("メッセージ本文").fill(source)
    page.get_by_role("button", name="チェック").click()
    result = page.locator("#result[data-verdict]")
    result.wait_for(timeout=CHECK_TIMEOUT_MS)
    assert result.get_attribute("data-verdict") == "scam"
    assert page.locator("#result mark", has_text="www.aeon.co.jp").count() >= 1
    # Trace headers are never shown nor read: their hosts appear nowhere in the result.
    assert "receiver-trace" not in page.locator("#result").inner_text()
