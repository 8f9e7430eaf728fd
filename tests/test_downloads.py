"""The engine worker's downloads (web/downloads.js) under Node against build.py's server
(tests/downloads_node.mjs): progress in bytes on the wire, stall detection, and a retry that keeps what
arrived — whole files from the retry cache, a partial file resumed with Range or fetched again alone."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"


@pytest.fixture(scope="module")
def results(build_module) -> dict:  # noqa: ANN001
    if not (DIST / "engine-files.js").exists():
        pytest.fail("dist/ is missing: run python3 build.py (test.sh does)")
    server, url = build_module.serve(DIST, 0)
    try:
        node = shutil.which("node")
        assert node, "node is needed (./test.sh installs it)"
        proc = subprocess.run([node, str(ROOT / "tests" / "downloads_node.mjs"), str(DIST), url],
                              capture_output=True, text=True, timeout=120, check=False)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_total_is_known_before_any_response(results):
    assert results["before"] == {"received": 0, "total": results["sizes"]["br"]}


def sent(results, request) -> int:
    """The size of the copy the server sent (Node's fetch asks for gzip, or br too in newer versions)."""
    return results["sizes"][request["encoding"]] if request["encoding"] else results["plainLength"]


def test_fresh_download_counts_the_bytes_sent(results):
    fresh = results["fresh"]
    assert fresh["sha"] == results["plainSha"]
    [request] = fresh["requests"]
    assert request["range"] is None and request["encoding"] in ("br", "gzip")
    size = sent(results, request)
    assert fresh["progress"] == {"received": size, "total": size}
    assert fresh["stalled"] is False  # finished downloads never stall


def test_a_download_that_stops_is_a_stall(results):
    assert results["late"]["stalled"] is True


def test_late_stall_resumes_with_range(results):
    got = results["late"]["got"]
    retry = results["lateRetry"]
    assert retry["sha"] == results["plainSha"]  # the kept start and the range make the exact file
    assert [(r["range"], r["status"], r["encoding"]) for r in retry["requests"]] == [(f"bytes={got}-", 206, None)]
    # The rest is sent plain: its cost is what is left of the plain file.
    assert retry["progress"]["total"] == results["plainLength"] - got


def test_early_stall_fetches_the_file_again_compressed(results):
    retry = results["earlyRetry"]
    assert retry["sha"] == results["plainSha"]
    [request] = retry["requests"]
    assert request["range"] is None
    assert retry["progress"]["total"] == sent(results, request)


def test_whole_file_comes_from_the_retry_cache(results):
    retry = results["wholeRetry"]
    assert retry["sha"] == results["plainSha"]
    assert retry["requests"] == []
    assert retry["progress"] == {"received": 0, "total": 0}


def test_release_deletes_the_retry_caches(results):
    assert not [n for n in results["cachesAfterRelease"] if n.startswith("retry.")]


def test_a_later_file_is_downloaded_once_the_others_have_arrived(results):
    later = results["later"]
    assert later["requestedBeforeTheOthers"] == []  # the wheel waited while the stdlib was not there yet
    assert later["order"] == ["python_stdlib.zip", later["order"][1]] and later["order"][1].endswith(".whl")
    assert later["stdlibSha"] == results["plainSha"]
    assert later["wheelSha"] == later["wheelPlainSha"]
    assert later["stalled"] is False
