"""Scripts and benchmarks of the repository loaded as modules by their path, for the tests that check them.
(Not in conftest.py: tests/e2e has a conftest.py of its own, and the two would share the module name.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_script(relative: str, name: str):  # noqa: ANN201 - scripts and benchmarks are not a package
    """``relative`` (a path from the repository root) as a module called ``name``. Such files put their own
    folders on sys.path when they load; the path is restored, so that a test's imports do not depend on which
    ran first."""
    spec = importlib.util.spec_from_file_location(name, ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    saved = sys.path[:]
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module
