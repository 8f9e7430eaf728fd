"""`build.py serve` as a newcomer meets it: no 404 in the browser's console on any page (the favicon), and
no traceback when a browser abandons a download."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["index.html", "embed.html", "embed-demo.html"])
def test_no_request_of_a_page_fails(page, server_url, name):
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # Not missing files: a request the page or its service worker cancelled itself (net::ERR_ABORTED), and the
    # first visit's look in the browser's cache for the start-up snapshot (only-if-cached: net::ERR_CACHE_MISS).
    page.on("requestfailed", lambda r: None if any(e in (r.failure or "") for e in ("ERR_ABORTED", "ERR_CACHE_MISS")) else failed.append(f"failed {r.url}"))
    page.goto(server_url + name)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)  # the favicon is fetched after load
    icon = page.locator("link[rel=icon]")
    assert icon.count() == 1, "the page names its icon (else the browser asks for /favicon.ico: 404)"
    assert page.request.get(server_url + icon.get_attribute("href").lstrip("./")).status == 200
    assert failed == []
    favicon = page.request.get(server_url + "favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"] == "image/x-icon"
    assert favicon.body()[:4] == b"\0\0\1\0" and b"\x89PNG" in favicon.body()


def test_serve_is_quiet_when_a_client_abandons_a_download(dist_dir):
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--no-build", "--port", "0",
                             "--out", str(dist_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Serving mikiwame at http://127.0.0.1:"), line
        port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        for _ in range(3):
            # Ask for the largest file, read a little, then reset the connection (SO_LINGER 0 sends RST),
            # as a browser does when a reload or a closed tab abandons the download.
            s = socket.create_connection(("127.0.0.1", port))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(b"GET /pyodide/pyodide.asm.wasm HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert s.recv(1024).startswith(b"HTTP/1.0 200")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        time.sleep(1.5)  # let the handler threads hit the reset connection
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "Traceback" not in err, err
    assert "ConnectionResetError" not in err and "BrokenPipeError" not in err, err
