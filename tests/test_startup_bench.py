"""benchmarks/startup.py's table of start-up moments (the medians it prints for the repeat visits)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_bench():
    spec = importlib.util.spec_from_file_location("mikiwame_startup_bench", ROOT / "benchmarks" / "startup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_phase_table_orders_medians_and_gives_steps() -> None:
    bench = load_bench()
    visits = [
        {"page:html": 10, "worker": 50, "checked": 400, "page:ready": 402},
        {"page:html": 30, "worker": 70, "checked": 600, "page:ready": 610},
        {"page:html": 20, "worker": 60, "checked": 500, "page:ready": 505, "rare": 1},
    ]
    rows = bench.phase_table(visits)
    assert [name for name, _, _ in rows] == ["page:html", "worker", "checked", "page:ready"]
    assert rows[1] == ("worker", 60, 40)  # median 60, 40 after the HTML's median 20
    assert rows[-1] == ("page:ready", 505, 5)


def test_phase_table_keeps_a_moment_seen_in_half_the_visits() -> None:
    bench = load_bench()
    rows = bench.phase_table([{"a": 1, "b": 5}, {"a": 3}])
    assert [name for name, _, _ in rows] == ["a", "b"]
    assert bench.phase_table([{"a": 1}, {"a": 2}, {"a": 3, "b": 9}]) == [("a", 2, 2)]
