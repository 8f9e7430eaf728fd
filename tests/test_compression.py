"""build.py writes .br/.gz copies beside compressible files and `serve` answers like a good static host:
Accept-Encoding picks the copy (Content-Encoding, Vary), identity otherwise, ETag/304, single byte ranges."""

from __future__ import annotations

import gzip
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import brotli
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build(build_module):  # noqa: ANN001, ANN201 - the session's build.py module (tests/conftest.py)
    return build_module


@pytest.fixture(scope="module")
def site(build, tmp_path_factory):
    """A small site built by the same function the build uses, served by build.serve."""
    out = tmp_path_factory.mktemp("site")
    text = ("mikiwame " * 4000).encode()
    files = {"a.js": text, "pyodide/x.wasm": bytes(range(256)) * 400, "icon.png": os.urandom(5000),
             "tiny.json": b"{}", "noise.js": os.urandom(4000)}
    build.add_compressed(files)
    build.sync_tree(files, out)
    server, url = build.serve(out, 0)
    yield out, url
    server.shutdown()
    server.server_close()


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req) as res:
            return res.status, {k.lower(): v for k, v in res.headers.items()}, res.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def test_copies_are_written_only_where_they_help(site):
    out, _ = site
    assert brotli.decompress((out / "a.js.br").read_bytes()) == (out / "a.js").read_bytes()
    assert gzip.decompress((out / "a.js.gz").read_bytes()) == (out / "a.js").read_bytes()
    assert (out / "pyodide/x.wasm.br").exists()
    assert not (out / "icon.png.br").exists()  # not a compressible type
    assert not (out / "tiny.json.br").exists()  # too small to bother
    assert not (out / "noise.js.br").exists()  # random bytes do not shrink


@pytest.mark.parametrize("accept, encoding, suffix", [
    ("gzip, deflate, br, zstd", "br", ".br"),
    ("gzip", "gzip", ".gz"),
    ("br;q=0, gzip;q=0.5", "gzip", ".gz"),
    ("identity", None, ""),
    ("", None, ""),
])
def test_accept_encoding_picks_the_copy(site, accept, encoding, suffix):
    out, url = site
    status, headers, body = get(url + "a.js", **{"Accept-Encoding": accept})
    assert status == 200
    assert headers.get("content-encoding") == encoding
    assert headers["vary"] == "Accept-Encoding"
    assert headers["content-type"].startswith("text/javascript")
    assert body == (out / ("a.js" + suffix)).read_bytes()
    assert int(headers["content-length"]) == len(body)


def test_wasm_keeps_its_mime_type_when_compressed(site):
    _, url = site
    status, headers, _ = get(url + "pyodide/x.wasm", **{"Accept-Encoding": "br"})
    assert (status, headers["content-type"], headers["content-encoding"]) == (200, "application/wasm", "br")


def test_files_without_copies_have_no_vary(site):
    _, url = site
    status, headers, _ = get(url + "icon.png", **{"Accept-Encoding": "br"})
    assert status == 200 and "content-encoding" not in headers and "vary" not in headers


def test_etag_revalidates_with_304(site):
    _, url = site
    _, headers, _ = get(url + "a.js", **{"Accept-Encoding": "br"})
    status, _, body = get(url + "a.js", **{"Accept-Encoding": "br", "If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")
    # The gzip copy is another representation: the br ETag does not validate it.
    status, _, _ = get(url + "a.js", **{"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]})
    assert status == 200


def test_range_resumes_the_plain_file(site):
    out, url = site
    plain = (out / "a.js").read_bytes()
    _, first, _ = get(url + "a.js", **{"Accept-Encoding": "br"})
    # A retry resumes with the date of the compressed response it had started (the plain file's date).
    status, headers, body = get(url + "a.js", Range="bytes=1000-", **{"If-Range": first["last-modified"]})
    assert status == 206
    assert "content-encoding" not in headers
    assert headers["content-range"] == f"bytes 1000-{len(plain) - 1}/{len(plain)}"
    assert body == plain[1000:]
    status, _, body = get(url + "a.js", Range="bytes=10-19")
    assert (status, body) == (206, plain[10:20])
    status, _, body = get(url + "a.js", Range="bytes=-5")
    assert (status, body) == (206, plain[-5:])


def test_range_with_a_stale_validator_sends_the_whole_file(site):
    out, url = site
    status, _, body = get(url + "a.js", Range="bytes=1000-", **{"If-Range": '"not-this-one"'})
    assert status == 200 and body == (out / "a.js").read_bytes()


def test_unsatisfiable_range(site):
    out, url = site
    status, headers, _ = get(url + "a.js", Range=f"bytes={(out / 'a.js').stat().st_size}-")
    assert status == 416 and headers["content-range"].startswith("bytes */")


def test_directory_index_is_compressed_too(build, tmp_path):
    files = {"index.html": b"<!doctype html><title>x</title>" + b"<p>hello</p>" * 200}
    build.add_compressed(files)
    build.sync_tree(files, tmp_path)
    server, url = build.serve(tmp_path, 0)
    try:
        status, headers, body = get(url, **{"Accept-Encoding": "br"})
        assert status == 200 and headers["content-encoding"] == "br"
        assert brotli.decompress(body) == files["index.html"]
    finally:
        server.shutdown()
        server.server_close()


def test_accepted_encodings_parses_q_values(build):
    assert build.accepted_encodings("gzip, br;q=0, zstd;q=0.1") == {"gzip", "zstd"}
    assert build.accepted_encodings(None) == set()
    assert build.accepted_encodings("br;q=oops") == set()


DIST = ROOT / "dist"


def test_built_site_has_copies_and_the_precache_lists_none(build):
    """In dist/ (made by test.sh): every engine file that compresses has both copies, and the service
    worker's precache list never names a copy (the browser decodes them; the cache keeps the files)."""
    if not (DIST / "index.html").exists():
        pytest.fail("dist/ is missing: run python3 build.py (test.sh does)")
    manifest = json.loads((DIST / "asset-manifest.json").read_text())
    # A copy is a .br/.gz whose plain file is in dist/ too (the snapshot is a gzip file of its own).
    copies = [f for f in manifest["files"] if f.endswith((".br", ".gz")) and (DIST / f[2:-3]).is_file()]
    assert copies == []
    assert "./pyodide/python_stdlib.zip" in manifest["files"]
    for name in ("pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide.asm.mjs",
                 "engine-worker.js", "index.html", "sw.js"):
        plain = (DIST / name).read_bytes()
        assert brotli.decompress((DIST / (name + ".br")).read_bytes()) == plain, name
        assert gzip.decompress((DIST / (name + ".gz")).read_bytes()) == plain, name
    # The stored zips are what makes the stdlib small on the wire.
    assert (DIST / "pyodide/python_stdlib.zip.br").stat().st_size < 0.4 * (DIST / "pyodide/python_stdlib.zip").stat().st_size
