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


def test_cpu_since_sums_each_kind_and_counts_new_processes_whole(monkeypatch) -> None:
    bench = load_bench()
    before = {10: ("browser", 100.0), 11: ("renderer", 50.0), 12: ("renderer", 5.0)}
    after = {10: ("browser", 160.0), 11: ("renderer", 250.0), 13: ("webui", 480.0)}  # 12 exited, 13 is new
    monkeypatch.setattr(bench, "chromium_cpu", lambda: after)
    spent = bench.cpu_since(before)
    assert spent == {"all": 740.0, "browser": 60.0, "renderer": 200.0, "webui": 480.0}


def test_repeat_rows_give_speedup_and_cpu_with_the_webui_part() -> None:
    bench = load_bench()
    site = {"repeat": [400, 500, 450], "cpu_repeat": [{"all": 900, "webui": 10}, {"all": 1000, "webui": 0},
                                                       {"all": 1100, "webui": 500}]}
    baseline = {"repeat": [1800, 2000, 2200], "cpu_repeat": [{"all": 3000, "webui": 0}] * 3}
    rows = bench.repeat_rows("new tab", "repeat", site, baseline)
    assert rows[0] == ("new tab", "450", "2,000")
    assert rows[1][1] == "4.4x"
    assert rows[2][1:] == ("1,000", "3,000")
    assert rows[3][1:] == ("10", "0")
    assert len(bench.repeat_rows("same tab", "repeat", {"repeat": [1]}, {"repeat": [2]})) == 2  # no CPU read


def test_chromium_cpu_finds_only_this_process_s_own_chromium(tmp_path) -> None:
    """A process that is not a descendant of this one is never counted, whatever its name."""
    import subprocess
    import sys

    bench = load_bench()
    fake = tmp_path / "chromium"
    fake.symlink_to(sys.executable)
    child = subprocess.Popen([str(fake), "-c", "import time; time.sleep(5)"])
    try:
        found = bench.chromium_cpu()
        assert found.get(child.pid, ("", 0))[0] == "browser"  # a child named chromium, without --type=
        assert all(pid != 1 for pid in found)
    finally:
        child.kill()
        child.wait()
