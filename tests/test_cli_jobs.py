"""``mikiwame --jsonl --jobs N`` (``mikiwame.jobs``): the same bytes, order and exit code as one process, the
workers really used, and no worker left behind when the run stops early."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mikiwame import cli, jobs

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="--jobs shares work out among forked processes")


def _mixed_lines(n: int) -> list[str]:
    """``n`` input lines cycling through the corpus texts, with every kind of line the batch mode meets:
    blank lines, invalid JSON, JSON that is not an object with a string "text", an unknown "lang", ids of
    several types, an escaped lone surrogate."""
    texts = []
    for name in ("scam.jsonl", "legit.jsonl"):
        with open(ROOT / "tests" / "corpus" / name, encoding="utf-8") as f:
            texts += [(r["text"], r.get("lang", "ja")) for r in map(json.loads, filter(str.strip, f))]
    odd = ["", "   ", "{not json", "[1, 2]", '{"id": 5}', '{"id": "x", "text": 3}',
           json.dumps({"id": "fr", "text": "Amazon: verify your account", "lang": "fr"}),
           json.dumps({"id": "\ud800", "text": "\udfff アマゾン 0343392745"}), json.dumps({"text": "no id"})]
    lines = []
    for i in range(n):
        if i % 17 == 5:
            lines.append(odd[(i // 17) % len(odd)])
        else:
            text, lang = texts[i % len(texts)]
            ident = [i, f"m{i}", None, [i, "a"]][i % 4]
            lines.append(json.dumps({"id": ident, "text": text, "lang": lang}, ensure_ascii=i % 2 == 0))
    return lines


def _stdin(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


class Counting(jobs.Shared):
    """``jobs.Shared`` that keeps what a test checks afterwards: the workers it started (to see them reaped)
    and how many lines they were given."""

    made: list[Counting] = []

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.processes: list = []
        Counting.made.append(self)

    def _start(self) -> None:
        super()._start()
        self.processes = [process for process, _ in self.workers]


def _run_in_process(lines: list[str], n_jobs: int, monkeypatch: pytest.MonkeyPatch,
                    per_chunk: int = 1_000) -> tuple[bytes, int | BaseException, Counting]:
    """``cli.run_jsonl`` over ``lines`` in chunks of ``per_chunk`` (as reads bring them): the bytes written,
    the exit code or the exception raised, and the ``Shared`` that ran it."""
    monkeypatch.setattr(cli, "Shared", Counting)
    Counting.made.clear()
    chunks = [[line + "\n" for line in lines[i:i + per_chunk]] for i in range(0, len(lines), per_chunk)]
    sink = io.BytesIO()
    out = cli.Batched(sink)
    try:
        outcome: int | BaseException = cli.run_jsonl(chunks, out, "ja", n_jobs)
    except Exception as exc:  # noqa: BLE001 - the outcome compared
        outcome = exc
    out.flush()
    return sink.getvalue(), outcome, Counting.made[0]


def test_jobs_2_writes_the_bytes_of_jobs_1_through_the_cli() -> None:
    """The whole command, the input through a pipe (reads of up to 64 KB), a line of invalid UTF-8 in the
    middle: the same bytes and the same exit code."""
    lines = _mixed_lines(3_000)
    stdin = _stdin(lines[:1_500]) + b'{"id": "raw", "text": "\xff\xfe \xe3\x82\xa2 0343392745"}\n' + _stdin(lines[1_500:])
    runs = [subprocess.run([sys.executable, "-m", "mikiwame", "--jsonl", "--jobs", n], input=stdin,
                           capture_output=True, timeout=300) for n in ("1", "2")]
    assert [r.returncode for r in runs] == [3, 3], [r.stderr[-2000:] for r in runs]
    assert runs[0].stdout.count(b"\n") == 3_001 - sum(1 for line in lines if not line.strip())
    assert runs[1].stdout == runs[0].stdout


def test_workers_check_their_slices_and_the_reports_stay_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _mixed_lines(2_400)
    one, code_one, _ = _run_in_process(lines, 1, monkeypatch)
    two, code_two, shared = _run_in_process(lines, 2, monkeypatch)
    assert shared.lines_shared >= 1_000, "the workers were given about half of the lines"
    assert len(shared.processes) == 1 and all(p.exitcode is not None for p in shared.processes), "reaped"
    assert code_one == code_two == 3
    assert two == one


def test_a_bad_line_in_a_worker_slice_keeps_its_number_and_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps({"id": i, "text": f"明日7時に駅で待ち合わせね {i}"}) for i in range(300)]
    lines[250] = ""  # blank lines count in the numbering
    lines[280] = '{"id": "late", "text": 1}'
    assert jobs._cuts([line + "\n" for line in lines], 2)[1] < 280, "line 281 lies in the worker's slice"
    out, code, shared = _run_in_process(lines, 2, monkeypatch, per_chunk=300)
    assert shared.lines_shared > 0 and code == 3
    reports = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    assert len(reports) == 299
    assert reports[279] == {"id": "late", "error": 'input line 281 must be a JSON object with a string "text"',
                            "line": 281}
    assert [r["id"] for r in reports[:279]] == [i for i in range(280) if i != 250]


class Boom(RuntimeError):
    """What the engine raises on one line, in these tests."""


@pytest.mark.parametrize("where", [100, 290])  # in this process's slice, and in the worker's
def test_an_engine_error_writes_the_reports_before_it_then_propagates(where: int,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps({"id": i, "text": f"明日7時に駅で待ち合わせね {i}"}) for i in range(400)]
    report = cli._jsonl_report

    def failing(item: dict, lang: str) -> bytes:
        if item["id"] == where:
            raise Boom(f"line {where}")
        return report(item, lang)

    monkeypatch.setattr(cli, "_jsonl_report", failing)
    one, error_one, _ = _run_in_process(lines, 1, monkeypatch, per_chunk=400)
    two, error_two, shared = _run_in_process(lines, 2, monkeypatch, per_chunk=400)
    assert shared.lines_shared > 0
    assert isinstance(error_one, Boom) and isinstance(error_two, Boom) and str(error_two) == f"line {where}"
    assert two == one and one.count(b"\n") == where
    if where > jobs._cuts([line + "\n" for line in lines], 2)[1]:
        assert isinstance(error_two.__cause__, jobs.WorkerTraceback) and "failing" in str(error_two.__cause__)
    assert shared.processes and all(p.exitcode is not None for p in shared.processes), "no worker left behind"


def test_a_short_read_is_checked_here_and_without_fork_everything_is(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps({"id": i, "text": "こんにちは"}) for i in range(jobs.MIN_LINES - 1)]
    _, code, shared = _run_in_process(lines, 2, monkeypatch)
    assert code == 0 and shared.lines_shared == 0 and not shared.processes
    monkeypatch.delattr(os, "fork")
    _, code, shared = _run_in_process(lines * 4, 2, monkeypatch)
    assert code == 0 and shared.jobs == 1 and shared.lines_shared == 0


def test_default_jobs_is_the_usable_cpus_within_the_cap() -> None:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert jobs.default_jobs() == min(cpus, jobs.MAX_JOBS)


@pytest.mark.parametrize("args", [("--jobs", "0", "--jsonl"), ("--jobs", "2", "text"), ("--jobs", "x", "--jsonl")])
def test_jobs_usage_errors(args: tuple[str, ...]) -> None:
    proc = subprocess.run([sys.executable, "-m", "mikiwame", *args], input=b"", capture_output=True, timeout=60)
    assert proc.returncode == cli.EXIT_USAGE and b"--jobs" in proc.stderr and proc.stdout == b""


def test_ctrl_c_ends_the_run_and_its_workers(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: the run stops and no worker is left (none waits forever)."""
    src = tmp_path / "in.jsonl"
    src.write_bytes(_stdin(_mixed_lines(1_000) * 20))
    with open(src, "rb") as stdin:
        proc = subprocess.Popen([sys.executable, "-m", "mikiwame", "--jsonl", "--jobs", "2"], stdin=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert proc.stdout.readline(), "reports are being written (the workers were started before)"
        children = _children(proc.pid)
        assert children, "a worker process is running"
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=60)
        assert proc.returncode != 0
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in children), "no worker is left behind"
    finally:
        proc.kill()
        proc.wait()


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, from each process's /proc/PID/stat (its fourth field, after the
    command's closing bracket, is the parent's id): every Linux has it, where /proc/PID/task/PID/children
    needs a kernel option."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue  # ended while the listing was read
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    """Running (not yet a zombie or gone): a zombie's state in /proc is Z."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
    except FileNotFoundError:
        return False


def test_a_worker_that_dies_is_an_error_not_a_hang_nor_a_closed_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed from outside (out of memory, kill -9): the run stops with an error that says so."""
    monkeypatch.setattr(cli, "Shared", Counting)
    Counting.made.clear()
    chunk = [json.dumps({"id": i, "text": f"明日7時に駅で待ち合わせね {i}"}) + "\n" for i in range(100)]

    def chunks():
        yield chunk
        os.kill(Counting.made[0].processes[0].pid, signal.SIGKILL)
        Counting.made[0].processes[0].join()
        yield chunk

    with pytest.raises(RuntimeError, match="--jobs worker process ended"):
        cli.run_jsonl(chunks(), cli.Batched(io.BytesIO()), "ja", 2)
