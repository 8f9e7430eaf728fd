"""The build ties the engine worker's entry to its own build's cache (it reads the large files from it
directly: README "Repeat visit"), and marks Pyodide's JavaScript for eager compilation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"


def built(name: str) -> str:
    if not (DIST / "index.html").exists():
        pytest.fail("dist/ is missing: run python3 build.py (test.sh does)")
    return (DIST / name).read_text("utf-8")


def test_the_entry_reads_the_cache_the_service_worker_fills() -> None:
    version = json.loads(built("asset-manifest.json"))["version"]
    entry = built("engine-worker.js")
    assert "__MIKIWAME_" not in entry
    assert re.findall(r'const CACHE = "([^"]+)"', entry) == [f"mikiwame-{version}"]
    sw = built("sw.js")
    assert f'const VERSION = "{version}"' in sw and "const CACHE = `${PREFIX}${VERSION}`" in sw
    assert 'const PREFIX = "mikiwame-"' in sw


def test_fill_placeholders_refuses_a_file_without_its_placeholder(build_module) -> None:
    files = {"engine-worker.js": b'const CACHE = "mikiwame-x";\n', "sw.js": b"const V = '__MIKIWAME_VERSION__';"}
    with pytest.raises(build_module.BuildError, match="engine-worker.js lacks"):
        build_module.fill_placeholders(files, "engine-worker.js", {"__MIKIWAME_VERSION__": "abc"})
    build_module.fill_placeholders(files, "sw.js", {"__MIKIWAME_VERSION__": "abc"})
    assert files["sw.js"] == b"const V = 'abc';"
    build_module.fill_placeholders(files, "absent.js", {"__MIKIWAME_VERSION__": "abc"})  # no such file: nothing
    assert "absent.js" not in files


def test_pyodide_javascript_carries_the_compile_hint_and_nothing_else_changes(build_module) -> None:
    shipped = (DIST / "pyodide/pyodide.asm.mjs").read_bytes() if DIST.exists() else b""
    stock = (build_module.pyodide_dir() / "pyodide.asm.mjs").read_bytes()
    assert shipped == b"//# allFunctionsCalledOnLoad\n" + stock
    # The loader is small and runs whole anyway: left as it comes.
    assert (DIST / "pyodide/pyodide.mjs").read_bytes() == (build_module.pyodide_dir() / "pyodide.mjs").read_bytes()


def test_the_entry_asks_early_for_exactly_the_engines_own_modules() -> None:
    """engine-worker.js asks at once for engine-main.js's static imports (it has no static imports itself, so
    it names them): the two lists must not drift apart, or a module would again wait a round trip."""
    web = ROOT / "web"
    imported = re.findall(r'^import [^;]*? from "\./([^"]+)";', (web / "engine-main.js").read_text(), re.M)
    listed = re.search(r"for \(const path of \[([^\]]*)\]\)", (web / "engine-worker.js").read_text())
    assert listed is not None and imported
    assert re.findall(r'"([^"]+)"', listed.group(1)) == imported
