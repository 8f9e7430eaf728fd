"""The blog embed: an iframe from mikiwame's origin inside a host page of another origin.

The host page (written here, served on a second port) is a stand-in for a blogger's article. It must
get the iframe's height and nothing else; it must not be able to read what a reader pastes.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

import pytest
from helpers import corpus_text


HOST_JS = """window.__messages = [];
window.addEventListener("message", (e) => window.__messages.push(JSON.stringify(e.data)));
"""


@pytest.fixture
def host(tmp_path, server_url, build_module):
    """A host article on its own origin with two embeds: a plain one, and one in English with a text."""
    root = tmp_path / "host"
    root.mkdir()
    (root / "host.js").write_text(HOST_JS, "utf-8")
    example = corpus_text("scam-seed-2").replace('"', "&quot;")
    (root / "index.html").write_text(
        f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>ブログ記事</title>
<script src="./host.js"></script></head>
<body><h1>Amazonを名乗るSMSに注意</h1>
<script src="{server_url}embed.js" data-lang="ja" data-theme="auto" data-height="auto" async></script>
<p>あいだの段落</p>
<script src="{server_url}embed.js" data-lang="en" data-theme="dark" data-text="{example}" async></script>
</body></html>
""",
        "utf-8",
    )
    server, url = build_module.serve(root, 0)
    yield url
    server.shutdown()
    server.server_close()


def origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def iframe_height(page, index: int) -> float:
    return page.locator("iframe.mikiwame-embed").nth(index).bounding_box()["height"]


def test_embed_in_foreign_page(browser, host, server_url):
    assert origin(host) != origin(server_url)
    context = browser.new_context(locale="ja-JP", viewport={"width": 800, "height": 1600})
    try:
        page = context.new_page()
        page.goto(host)
        frames = page.locator("iframe.mikiwame-embed")
        frames.nth(1).wait_for(state="attached")
        assert frames.count() == 2

        # The iframe as recommended: sandboxed, lazy, titled, options in the fragment (never the query).
        f0 = frames.nth(0)
        sandbox = set(f0.get_attribute("sandbox").split())
        assert {"allow-scripts", "allow-same-origin", "allow-popups"} <= sandbox
        assert "allow-top-navigation" not in sandbox
        assert f0.get_attribute("allow") == "clipboard-write"
        assert f0.get_attribute("loading") == "lazy"
        assert f0.get_attribute("title")
        src = f0.get_attribute("src")
        assert src.startswith(server_url + "embed.html#")
        assert "?" not in src
        assert "parent=" + quote(origin(host), safe="") in src

        frame = page.frame_locator("iframe.mikiwame-embed >> nth=0")
        frame.locator("html[data-engine=ready]").wait_for(state="attached", timeout=60_000)
        # The host page sizes the iframe from the height the iframe reports (above 150 px).
        page.wait_for_function(
            "() => { const f = document.querySelector('iframe.mikiwame-embed');"
            " return f.style.height !== '520px' && f.getBoundingClientRect().height > 150; }"
        )
        before = iframe_height(page, 0)

        frame.get_by_label("メッセージ本文").fill(corpus_text("scam-seed-1"))
        frame.get_by_role("button", name="チェック").click()
        frame.locator("#result[data-verdict=scam]").wait_for(timeout=30_000)
        frame.locator("#result mark", has_text="(株)").first.wait_for()
        # It grows with the result, to the height of its content.
        page.wait_for_function(
            "h => document.querySelector('iframe.mikiwame-embed').getBoundingClientRect().height > h + 200",
            arg=before,
        )
        inner = f0.element_handle().content_frame()
        assert inner.url.startswith(server_url + "embed.html")
        body_height = inner.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")
        page.wait_for_function(
            "h => Math.abs(document.querySelector('iframe.mikiwame-embed').getBoundingClientRect().height - h) <= 2",
            arg=body_height,
        )

        # The host page cannot read the iframe's document, so not the pasted text either.
        access = page.evaluate(
            """() => {
                const f = document.querySelector('iframe.mikiwame-embed');
                let doc;
                try { doc = f.contentDocument; } catch (e) { doc = 'threw'; }
                let viaWindow;
                try { viaWindow = f.contentWindow.document.querySelector('textarea').value; } catch (e) { viaWindow = 'threw'; }
                return [doc === null ? null : String(doc), viaWindow];
            }"""
        )
        assert access == [None, "threw"]
        # Only heights were posted to the host page, never the text.
        messages = page.evaluate("window.__messages")
        assert messages
        for m in messages:
            data = json.loads(m)
            assert set(data) == {"type", "height"} and data["type"] == "mikiwame:height"
        assert not any("アマゾン" in m for m in messages)

        # A height message from anyone else (here: the host page itself) is ignored.
        height_now = page.evaluate(
            """() => new Promise((resolve) => {
                window.postMessage({type: 'mikiwame:height', height: 9999}, '*');
                window.addEventListener('message', (e) => {
                    if (e.data === 'done') resolve(document.querySelector('iframe.mikiwame-embed').style.height);
                });
                window.postMessage('done', '*');
            })"""
        )
        assert height_now != "9999px"

        # The second embed: English, dark, with the blogger's example filled in and checked at once.
        frame2 = page.frame_locator("iframe.mikiwame-embed >> nth=1")
        frame2.locator("#result[data-verdict=scam]").wait_for(timeout=60_000)
        assert frame2.locator("#result .verdict-headline").inner_text() == "Likely a scam"
        assert frame2.locator("html[data-theme=dark]").count() == 1
        assert frame2.get_by_role("button", name="Check").count() == 1
    finally:
        context.close()


def test_embed_demo_page(page, server_url):
    """The mock awareness article shipped with the site embeds the checker (same origin here)."""
    page.goto(server_url + "embed-demo.html")
    frame = page.frame_locator("iframe.mikiwame-embed")
    frame.locator("html[data-engine=ready]").wait_for(state="attached", timeout=60_000)
    frame.locator("[data-example=scam-seed-3]").wait_for(state="attached")
    frame.get_by_label("メッセージ本文").fill(corpus_text("scam-seed-3"))
    frame.get_by_role("button", name="チェック").click()
    frame.locator("#result[data-verdict=scam]").wait_for(timeout=30_000)
    assert page.locator("iframe.mikiwame-embed").bounding_box()["height"] > 400
