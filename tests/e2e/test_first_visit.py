"""The first visit on a slow network: what it downloads, progress in bytes that moves, a check pressed
while loading, and a stall that ends in an error whose retry keeps what already arrived."""

from __future__ import annotations

import os
import re
import threading
import time

import pytest
from helpers import corpus_text

PROGRESS = re.compile(r"準備中 (\d+\.\d) / (\d+\.\d) MB")


def throttle(context, page, mbps: float, rtt_ms: int = 150) -> None:
    """DevTools network throttling of the page and its workers."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": rtt_ms,
        "downloadThroughput": mbps * 1e6 / 8, "uploadThroughput": mbps * 1e6 / 8,
    })


class RecordingServer:
    """build.py's server that records each request (path, Range header) and can hold one file: it sends
    the first `hold_fraction` of it (plain) and then nothing, until released."""

    def __init__(self, build_module, directory, hold: str | None = None, hold_fraction: float = 0.9):
        self.requests: list[tuple[str, str | None, int, float]] = []  # path, Range, status, epoch time
        self.hold, self.fraction = hold, hold_fraction
        self.release = threading.Event()
        self.held = threading.Event()
        owner = self

        class Handler(build_module.Handler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(directory), **kwargs)

            def send_head(self):
                path = self.path.split("?")[0]
                if owner.hold and path.endswith(owner.hold) and not owner.release.is_set():
                    owner.requests.append((path, self.headers.get("Range"), 200, time.time()))
                    self.send_part_and_hold(self.translate_path(self.path))
                    return None
                body = super().send_head()
                owner.requests.append((path, self.headers.get("Range"), self._status, time.time()))
                return body

            def send_response(self, code, message=None):
                self._status = code
                super().send_response(code, message)

            def send_part_and_hold(self, file_path):
                data = open(file_path, "rb").read()
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(data)))
                # The file's own date as its validator, as build.py's server sends it.
                self.send_header("Last-Modified", self.date_time_string(int(os.stat(file_path).st_mtime)))
                self.end_headers()
                self.wfile.write(data[: int(len(data) * owner.fraction)])
                self.wfile.flush()
                owner.held.set()
                owner.release.wait(120)
                self.close_connection = True

        self.server = build_module.Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def count(self, suffix: str) -> list[tuple[str, str | None, int, float]]:
        return [r for r in self.requests if r[0].endswith(suffix)]

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recording(build_module, dist_dir):
    servers = []

    def make(**kwargs):
        server = RecordingServer(build_module, dist_dir, **kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


# Runs in the page before its scripts: logs every update of the engine's status line, with its time.
PROGRESS_LOG = """
window.progressLog = [];
new MutationObserver(() => {
  const el = document.getElementById("engine-msg");
  if (el) window.progressLog.push([performance.now(), el.textContent]);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def test_progress_shows_bytes_and_moves_every_second(page, context, server_url):
    """On a throttled network the bar shows 「準備中 x / y MB」, the total stays put, the received bytes
    grow, and the line is updated at least once a second while the files download."""
    throttle(context, page, mbps=6)
    page.add_init_script(PROGRESS_LOG)
    page.goto(server_url)
    page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=60_000)
    log = page.evaluate("() => window.progressLog")
    seen = [(t, float(m.group(1)), float(m.group(2))) for t, text in log if (m := PROGRESS.search(text))]
    assert len(seen) >= 5, f"too few progress updates: {log}"
    totals = {total for _, _, total in seen}
    assert len(totals) == 1 and 3.0 < totals.pop() < 5.5  # the first visit's bytes on the wire
    received = [got for _, got, _ in seen]
    assert received == sorted(received) and received[-1] > received[0] + 2.0
    # Updated at least once a second (with some room for a busy machine) from the first byte count on.
    gaps = [b - a for (a, _, _), (b, _, _) in zip(seen, seen[1:])]
    assert max(gaps) < 1_300, gaps
    assert not page.locator("#engine-progress").is_visible()  # gone once ready


def test_check_pressed_during_loading_says_so_and_is_answered(page, context, server_url):
    throttle(context, page, mbps=6)
    page.goto(server_url)
    box = page.get_by_label("メッセージ本文")
    box.fill(corpus_text("scam-seed-1"))  # the message box works at once
    assert page.locator("html[data-engine=loading]").count() == 1
    page.get_by_role("button", name="チェック").click()
    status = page.locator("#check-status")
    assert "準備ができしだい" in status.inner_text()
    page.locator("#result[data-verdict=scam]").wait_for(timeout=60_000)
    assert page.locator("html[data-engine=ready]").count() == 1


def test_first_visit_skips_the_snapshot_and_the_next_visit_restores_it(browser, recording):
    """The first visit boots Python without downloading the snapshot; the service worker fetches it in
    the background, and the next visit restores it from the device."""
    server = recording()
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(server.url)
        page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=60_000)
        detail = page.evaluate("() => performance.getEntriesByName('mikiwame-engine-ready')[0].detail")
        assert detail["boot"] == "ordinary"
        assert detail["received"] == detail["total"] > 3_000_000
        ready_at = page.evaluate(
            "() => (performance.timeOrigin + performance.getEntriesByName('mikiwame-engine-ready')[0].startTime) / 1000")
        # (The service worker, registered once the engine is ready, may ask for it at once.)
        early = [r for r in server.count("snapshot.bin.gz") if r[3] <= ready_at]
        assert not early, "the first visit waited for the snapshot"
        page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=60_000)
        assert len(server.count("snapshot.bin.gz")) == 1  # the service worker's precache
        page.reload()
        page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=60_000)
        detail = page.evaluate("() => performance.getEntriesByName('mikiwame-engine-ready')[0].detail")
        assert detail["boot"] == "snapshot"
        assert len(server.count("snapshot.bin.gz")) == 1  # from the cache, not the server
        page.get_by_label("メッセージ本文").fill(corpus_text("scam-seed-1"))
        page.get_by_role("button", name="チェック").click()
        page.locator("#result[data-verdict=scam]").wait_for(timeout=30_000)
    finally:
        context.close()


def test_stall_shows_error_and_retry_keeps_what_arrived(browser, recording, dist_dir):
    """The stdlib stops after 90 % of its bytes: after the stall time (3 s here, 20 s by default) the page
    shows the error with a retry; the retry takes the files that arrived whole from the device, resumes
    the stdlib with a Range request for the rest, and answers the check pressed during the load.
    (Service workers are blocked here: their precache after ready would revalidate every file.)"""
    server = recording(hold="pyodide/python_stdlib.zip", hold_fraction=0.9)
    context = browser.new_context(locale="ja-JP", service_workers="block")
    try:
        stall_and_retry(context.new_page(), server, dist_dir)
    finally:
        context.close()


def stall_and_retry(page, server, dist_dir) -> None:
    page.add_init_script("window.mikiwameStallMs = 3000")
    page.goto(server.url)
    page.get_by_label("メッセージ本文").fill(corpus_text("scam-seed-1"))
    page.get_by_role("button", name="チェック").click()
    page.locator("html[data-engine=error]").wait_for(state="attached", timeout=60_000)
    error = page.locator("#engine-error")
    assert "通信が止まりました" in error.inner_text()
    assert server.held.is_set()
    assert len(server.count("pyodide.asm.wasm")) == 1

    server.release.set()  # the network is back
    page.get_by_role("button", name="もう一度読み込む").click()
    page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=60_000)
    page.locator("#result[data-verdict=scam]").wait_for(timeout=30_000)
    assert len(server.count("pyodide.asm.wasm")) == 1, "the Wasm that arrived whole was downloaded again"
    stdlib = server.count("python_stdlib.zip")
    assert len(stdlib) == 2, stdlib
    size = (dist_dir / "pyodide/python_stdlib.zip").stat().st_size
    assert stdlib[1][1:3] == (f"bytes={int(size * 0.9)}-", 206), stdlib
    # What was kept for the retry is gone once the engine is ready.
    names = page.evaluate("caches.keys()")
    assert not [n for n in names if n.startswith("retry.")], names
