"""Installable, offline after one visit, and updated as a whole (never a mix of two versions)."""

from __future__ import annotations

import json
import shutil
import os
import struct
import urllib.request
from pathlib import Path

import pytest
from helpers import LocalServer, corpus_text

MARKER = "--mikiwame-test-build"


def check_scam(page, message_id: str) -> None:
    page.get_by_label("メッセージ本文").fill(corpus_text(message_id))
    page.get_by_role("button", name="チェック").click()
    page.locator("#result[data-verdict=scam]").wait_for(timeout=30_000)


def make_second_version(build_module, out: Path, tmp: Path) -> str:
    """A real second build (build.py --web) in which one harmless asset changed: style.css.
    Returns the new version."""
    web = tmp / "web-b"
    shutil.copytree(build_module.ROOT / "web", web)
    css = web / "style.css"
    css.write_text(css.read_text("utf-8") + f'\n:root {{ {MARKER}: "B"; }}\n', "utf-8")
    build_module.build(out, web)
    return json.loads((out / "asset-manifest.json").read_text("utf-8"))["version"]


def cache_names(page):
    return page.evaluate("caches.keys()")


def test_works_offline_after_one_visit(browser, build_module, dist_dir, wait_engine_ready):
    server, url = build_module.serve(dist_dir, 0)
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(url)
        wait_engine_ready(page)
        page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=60_000)
        version = json.loads((dist_dir / "asset-manifest.json").read_text("utf-8"))["version"]
        assert cache_names(page) == [f"mikiwame-{version}"]

        # No server and no network at all.
        server.shutdown()
        server.server_close()
        server = None
        context.set_offline(True)

        page.reload()
        wait_engine_ready(page)
        check_scam(page, "scam-seed-1")
        assert page.locator("#result mark", has_text="(株)").count() >= 1
        # A fresh tab opens offline too.
        other = context.new_page()
        other.goto(url)
        wait_engine_ready(other)
        check_scam(other, "scam-seed-2")
    finally:
        context.close()
        if server is not None:
            server.shutdown()
            server.server_close()


def test_update_is_offered_and_applied_as_a_whole(browser, build_module, dist_dir, tmp_path, wait_engine_ready):
    version_a = json.loads((dist_dir / "asset-manifest.json").read_text("utf-8"))["version"]
    dist_b = tmp_path / "dist-b"
    version_b = make_second_version(build_module, dist_b, tmp_path)
    assert version_b != version_a
    server = LocalServer(build_module, dist_dir)
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(server.url)
        wait_engine_ready(page)
        page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=60_000)
        assert page.locator("html[data-update]").count() == 0
        assert cache_names(page) == [f"mikiwame-{version_a}"]

        # The site is redeployed at the same address.
        server.directory = dist_b
        page.reload()
        wait_engine_ready(page)
        page.locator("html[data-update=ready]").wait_for(state="attached", timeout=60_000)
        banner = page.locator("#update-banner")
        assert banner.is_visible()
        assert "新しいバージョンがあります" in banner.inner_text()
        # Until the reader applies it, the page still runs the old version completely.
        assert page.evaluate(f"getComputedStyle(document.documentElement).getPropertyValue('{MARKER}')") == ""

        responses = []
        page.on("response", lambda r: responses.append((r.url, r.from_service_worker)))
        with page.expect_navigation():
            banner.get_by_role("button", name="更新する").click()
        wait_engine_ready(page)
        page.locator("html[data-sw=ready]").wait_for(state="attached")
        assert page.locator("html[data-update]").count() == 0

        assert page.evaluate(f"getComputedStyle(document.documentElement).getPropertyValue('{MARKER}').trim()") == '"B"'
        assert cache_names(page) == [f"mikiwame-{version_b}"]
        cached_css = page.evaluate("caches.open('mikiwame-%s').then(c => c.match('./style.css')).then(r => r.text())" % version_b)
        assert MARKER in cached_css
        # Every file of the new page came from the new version's cache.
        own = [(u, sw) for u, sw in responses if u.startswith(server.url) and not u.endswith("/sw.js")]
        assert own, "no responses recorded"
        assert all(sw for _, sw in own), [u for u, sw in own if not sw]
        check_scam(page, "scam-seed-3")
    finally:
        context.close()
        server.close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read(), r.headers.get("Content-Type", "")


def test_manifest_and_icons(server_url):
    body, ctype = fetch(server_url + "manifest.webmanifest")
    assert ctype.startswith("application/manifest+json")
    m = json.loads(body)
    for key in ("name", "short_name", "theme_color", "background_color", "description"):
        assert m.get(key), key
    assert m["start_url"] == "." and m["scope"] == "." and m["display"] == "standalone" and m["lang"] == "ja"
    sizes = {}
    for icon in m["icons"]:
        data, ctype = fetch(server_url + icon["src"])
        assert ctype == "image/png" and icon["type"] == "image/png"
        w, h = png_size(data)
        assert icon["sizes"] == f"{w}x{h}"
        sizes.setdefault(icon.get("purpose", "any"), set()).add(w)
    assert {192, 512} <= sizes["any"]
    assert 512 in sizes["maskable"]


def test_installable_in_chromium(playwright_instance, server_url, tmp_path, wait_engine_ready):
    # Installing is impossible in an incognito-like context (Playwright's new_context), so this test
    # uses a persistent profile, with the same Chromium and flags as the other tests.
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=os.environ.get("MIKIWAME_CHROMIUM", "/usr/bin/chromium"),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync"],
        headless=True,
        locale="ja-JP",
    )
    try:
        page = context.new_page()
        page.goto(server_url)
        wait_engine_ready(page)
        page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=60_000)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == server_url + "manifest.webmanifest"
        assert manifest["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


@pytest.mark.parametrize("name", ["index.html", "embed.html", "app.js", "engine-worker.js", "pyodide/pyodide.asm.wasm", "examples.json"])
def test_service_worker_precaches(dist_dir, name):
    sw = (dist_dir / "sw.js").read_text("utf-8")
    assert "__MIKIWAME_" not in sw
    assert f'"./{name}"' in sw
