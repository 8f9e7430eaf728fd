"""Engine-test options and the one loader of build.py as a module; the Playwright fixtures live in
tests/e2e/conftest.py."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_build_module():  # noqa: ANN201 - build.py is a script, not a typed package
    """build.py as a module (for `serve`, `build` and its helpers)."""
    spec = importlib.util.spec_from_file_location("mikiwame_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built_dist() -> Path:
    """dist/ (or MIKIWAME_DIST), built by build.py once per session; as it is with MIKIWAME_SKIP_BUILD=1.

    The browser tests and the parity test both need it: each used to run build.py itself, so a run
    without MIKIWAME_SKIP_BUILD built twice.
    """
    dist = Path(os.environ.get("MIKIWAME_DIST", ROOT / "dist"))
    if os.environ.get("MIKIWAME_SKIP_BUILD") != "1":
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(dist)], check=True, cwd=ROOT)
    return dist


@pytest.fixture(scope="session")
def build_module():  # noqa: ANN201
    return load_build_module()


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/fixtures/messages/*.expected.json from the current engine (review the diff!)",
    )
