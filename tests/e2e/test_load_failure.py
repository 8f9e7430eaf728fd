"""When the engine cannot load, the page says so clearly and offers a retry that really starts again."""

from __future__ import annotations

import os

import pytest
from helpers import corpus_text, first_visit, linked_copy



# The runtime's Wasm (fetched by Pyodide at run time) and its module (a static import of the worker's own
# module, so its absence fails the worker script itself).
@pytest.fixture(params=["pyodide/pyodide.asm.wasm", "pyodide/pyodide.mjs"])
def broken_dist(request, dist_dir, tmp_path):
    """A copy of dist/ (symlinks) without one runtime file; returns (dir, path of its link, real file)."""
    out = linked_copy(dist_dir, tmp_path / "broken", without=(request.param,))
    return out, out / request.param, dist_dir / request.param


def test_missing_runtime_file_shows_error_and_retry_recovers(broken_dist, build_module, page):
    root, link, real = broken_dist
    server, url = build_module.serve(root, 0)
    try:
        page.goto(url)
        # A check pressed while the engine is loading waits in the queue.
        page.get_by_label("メッセージ本文").fill(corpus_text("scam-seed-1"))
        page.get_by_role("button", name="チェック").click()

        page.locator("html[data-engine=error]").wait_for(state="attached", timeout=70_000)
        error = page.locator("#engine-error")
        error.wait_for()
        assert "読み込めませんでした" in error.inner_text()
        retry = page.get_by_role("button", name="もう一度読み込む")
        assert retry.is_visible()
        # No endless spinner: the progress bar is gone.
        assert not page.locator("#engine-progress").is_visible()
        assert page.locator("#result").get_attribute("data-verdict") is None

        # Retrying without a fix fails again, cleanly.
        retry.click()
        page.locator("html[data-engine=loading], html[data-engine=error]").wait_for(state="attached")
        page.locator("html[data-engine=error]").wait_for(state="attached", timeout=70_000)

        # Once the file is back, retry respawns the worker and the queued check is answered.
        os.symlink(real, link)
        retry.click()
        page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=60_000)
        page.locator("#result[data-verdict=scam]").wait_for(timeout=30_000)
        assert not error.is_visible()
    finally:
        server.shutdown()
        server.server_close()


def test_aborted_wasm_request_shows_error(page, server_url):
    """The same with the request cut off by the network (route abort) instead of a 404."""
    page.context.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(server_url)
    page.locator("html[data-engine=error]").wait_for(state="attached", timeout=70_000)
    assert page.get_by_role("button", name="もう一度読み込む").is_visible()
    assert page.locator("#engine-error").inner_text().strip()


def test_held_download_stalls_into_error(page, server_url):
    """A download that never sends a byte ends in the error state with a retry once the stall time has
    passed (shortened to 3 s here through the test hook; 20 s by default), not in an endless spinner."""
    stalled = []
    # Hold the Wasm request forever: no answer, no error.
    page.context.route("**/pyodide.asm.wasm", lambda route: stalled.append(route))
    page.add_init_script("window.mikiwameStallMs = 3000")
    page.goto(server_url)
    page.locator("#engine-progress").wait_for()
    page.locator("html[data-engine=error]").wait_for(state="attached", timeout=60_000)
    assert stalled, "the Wasm request was not held"
    assert "通信が止まりました" in page.locator("#engine-error").inner_text()
    assert page.get_by_role("button", name="もう一度読み込む").is_visible()


def test_without_the_snapshot_the_engine_boots_the_ordinary_way(dist_dir, build_module, page, tmp_path):
    """The start-up snapshot is an optimisation: a site without it (or with one that cannot be restored)
    still loads, from the wheels, and gives the same verdict."""
    out = linked_copy(dist_dir, tmp_path / "no-snapshot", without=("pyodide/snapshot.bin.gz",))
    assert not (out / "pyodide" / "snapshot.bin.gz").exists()
    server, url = build_module.serve(out, 0)
    try:
        page.goto(url)
        page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=70_000)
        boot = page.evaluate(
            "() => performance.getEntriesByName('mikiwame-engine-ready')[0].detail.boot")
        assert boot == "ordinary"
        page.get_by_label("メッセージ本文").fill(corpus_text("scam-seed-1"))
        page.get_by_role("button", name="チェック").click()
        page.locator("#result[data-verdict=scam]").wait_for()
    finally:
        server.shutdown()


def test_the_snapshot_is_restored_once_on_the_device(browser, server_url):
    """The normal path of a repeat visit restores build.py's start-up snapshot (the ordinary boot above is
    the first visit's path, and the fallback)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        first_visit(page, server_url)
        page.reload()
        page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=70_000)
        detail = page.evaluate("() => performance.getEntriesByName('mikiwame-engine-ready')[0].detail")
        assert detail["boot"] == "snapshot"
        assert set(detail["stages"]) == {"runtime", "import", "warm"}
    finally:
        context.close()
