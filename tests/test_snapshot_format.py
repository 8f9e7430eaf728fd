"""The start-up snapshot's packed format (web/snapshot.js), run under Node by tests/snapshot_format_node.mjs.

The page restores Python's memory from this file, so it must come back byte for byte, and anything
malformed must fail loudly (the worker then boots the ordinary way) rather than restore a broken image.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def results() -> dict:
    node = shutil.which("node")
    assert node, "node is needed (./test.sh installs it)"
    proc = subprocess.run([node, str(ROOT / "tests" / "snapshot_format_node.mjs")], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_round_trip_is_exact(results: dict) -> None:
    assert results["roundTrip"] is True


def test_long_zero_runs_are_left_out(results: dict) -> None:
    # 1 MiB image with 200,000 + 148,576 zeros in long runs; the 100-byte run stays (plus a small header).
    assert results["packed"] < results["original"] - 340_000


def test_malformed_input_is_refused(results: dict) -> None:
    assert results["truncated"] == "snapshot: truncated"
    assert results["extra"] == "snapshot: data after the last segment"
    assert results["notPacked"] == "snapshot: not a packed snapshot"


def test_an_all_zero_image_packs_to_its_header(results: dict) -> None:
    assert results["allZero"] == 16


def test_the_image_is_written_in_place_range_by_range(results: dict) -> None:
    # The engine writes the image straight into the Wasm memory (web/engine-main.js restoreInPlace): each
    # range comes back byte for byte, zero runs included, over a target that held other bytes.
    in_place = results["inPlace"]
    assert in_place["size"] == results["original"]
    assert in_place["exact"] == [True] * 6
    assert in_place["small"] == "snapshot: the target is too small"


def test_parse_packed_refuses_what_unpack_refuses(results: dict) -> None:
    in_place = results["inPlace"]
    assert in_place["truncated"] == "snapshot: truncated"
    assert in_place["extra"] == "snapshot: data after the last segment"
    assert in_place["notPacked"] == "snapshot: not a packed snapshot"


def test_the_memory_grows_to_hold_a_larger_image(results: dict) -> None:
    # A snapshot taken after Python's heap grew is larger than the memory compiled into Pyodide's module;
    # the restore grows the memory first (web/engine-main.js, tests/parity_node.mjs) instead of failing.
    memory = results["memory"]
    assert memory["grown"] == 4 * 65536
    assert memory["untouched"] is True
    assert memory["refused"] == "snapshot: the Wasm memory cannot grow to the image"
