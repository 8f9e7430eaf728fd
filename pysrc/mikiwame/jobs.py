"""``mikiwame --jsonl --jobs N``: a long run of input lines shared out among forked worker processes, the
reports written in input order, byte for byte what one process writes.

Why processes: the engine is pure Python, so threads would take turns on the interpreter lock, and one
process had plateaued at about 4,000 messages a second. Why fork, after ``warm_up``: the children start at
once with the knowledge base already loaded, its pages shared, instead of each loading it again. Why
contiguous slices of what one read brought: the output stays in input order and still streams; a read of a
few lines (a producer that waits for each answer) is checked in this process at once, as with ``--jobs 1``.
Why not ``multiprocessing.Pool``: it runs helper threads, and forking beside threads can deadlock; a pipe
per worker and one message per slice each way is all this needs. ``multiprocessing`` is imported only when a
worker is needed: the engine also runs under Pyodide, which has neither fork nor a use for it.
"""

from __future__ import annotations

import os
import pickle
import signal
import traceback
from bisect import bisect_left
from itertools import accumulate
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

# (lines, the first one's input line number, write) → whether any line was bad: ``cli.check_lines``.
CheckLines = Callable[[list[str], int, Callable[[bytes], None]], bool]
# Fewer complete lines than this in one read are checked here: sharing them out would cost more than it saves.
MIN_LINES = 64
MAX_JOBS = 8


def default_jobs() -> int:
    """The CPUs this process may run on (its affinity where the system has one), at most ``MAX_JOBS``."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


class WorkerTraceback(Exception):
    """The traceback of an exception raised in a worker, shown as the cause of the one raised here."""

    def __str__(self) -> str:
        return "\n" + self.args[0]


class Shared:
    """Checks runs of lines with up to ``jobs`` processes: this one takes the first slice, forked workers
    (started at the first run long enough) the others. A context manager: leaving it, on success or on any
    exception (a crashed check, a closed output pipe, Ctrl-C), ends and reaps every worker, so none is left
    behind and nothing waits on one."""

    def __init__(self, jobs: int, check: CheckLines) -> None:
        self.jobs = jobs if hasattr(os, "fork") else 1  # no fork (Windows, Pyodide): one process
        self.check = check
        self.workers: list[tuple[BaseProcess, Connection]] = []
        self.lines_shared = 0  # lines given to workers, so far (tests check the workers really ran)

    def __enter__(self) -> Shared:
        return self

    def __exit__(self, *exc: object) -> None:
        for process, conn in self.workers:
            process.kill()  # idle in recv, or mid-slice when this process stops early: nothing to lose
            process.join()
            conn.close()
        self.workers.clear()

    def __call__(self, lines: list[str], first: int, write: Callable[[bytes], None]) -> bool:
        """Check ``lines`` (input lines ``first``, ``first + 1``, …) and write their reports in order; True
        when any was bad. When a check raises, the reports before its line are written, then it propagates."""
        if self.jobs < 2 or len(lines) < MIN_LINES:
            return self.check(lines, first, write)
        if not self.workers:
            self._start()
        cuts = _cuts(lines, len(self.workers) + 1)
        busy = []
        for (_, conn), start, end in zip(self.workers, cuts[1:], cuts[2:]):
            if start < end:
                _send(conn, (lines[start:end], first + start))
                busy.append(conn)
                self.lines_shared += end - start
        bad = self.check(lines[: cuts[1]], first, write)
        for conn in busy:
            data, slice_bad, error = _receive(conn)
            write(data)
            bad |= slice_bad
            if error is not None:
                raise error[0] from WorkerTraceback(error[1])
        return bad

    def _start(self) -> None:
        """Fork ``jobs - 1`` workers once the engine has loaded everything it may need."""
        import multiprocessing  # noqa: PLC0415 - see the module's docstring

        from .engine import warm_up  # noqa: PLC0415 - cli imports this module; the engine loads lazily

        warm_up()
        context = multiprocessing.get_context("fork")
        for _ in range(self.jobs - 1):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, ours, self.check), daemon=True)
            process.start()
            theirs.close()  # the worker's end lives in the worker alone: its exit is our EOF
            self.workers.append((process, ours))


def _cuts(lines: list[str], parts: int) -> list[int]:
    """Where to cut ``lines`` into ``parts`` contiguous slices of about the same number of characters (a
    check's cost grows with its text; blank lines cost nothing): ``[0, …, len(lines)]``."""
    ends = list(accumulate(map(len, lines)))
    return [0, *(bisect_left(ends, ends[-1] * k / parts) for k in range(1, parts)), len(lines)]


def _send(conn: Connection, task: tuple[list[str], int]) -> None:
    """A slice to a worker; one that died is our error, not a closed output pipe (BrokenPipeError, exit 141)."""
    try:
        conn.send(task)
    except OSError:
        raise RuntimeError("a --jobs worker process ended") from None


def _receive(conn: Connection) -> tuple[bytes, bool, tuple[BaseException, str] | None]:
    """A worker's answer; a worker that died (killed, out of memory) is an error here, not a wait forever."""
    try:
        return conn.recv()
    except EOFError:
        raise RuntimeError("a --jobs worker process ended without answering") from None


def _serve(conn: Connection, ours: Connection, check: CheckLines) -> None:
    """A worker: check each slice sent and send back its reports, whether any line was bad, and the error
    (with its traceback) that stopped it, if one did; until this process's end of the pipe closes."""
    ours.close()  # our copy of the main process's end, or its exit would never reach us as EOF
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle; it ends us
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):  # never read the input, nor write (or flush a buffer copied at fork) to the output
        os.dup2(devnull, fd)
    while True:
        try:
            lines, first = conn.recv()
        except EOFError:
            return
        reports: list[bytes] = []
        try:
            bad = check(lines, first, reports.append)
        except Exception as exc:  # noqa: BLE001 - sent back to be raised in the main process
            conn.send((b"".join(reports), False, (_picklable(exc), traceback.format_exc())))
        else:
            conn.send((b"".join(reports), bad, None))


def _picklable(exc: Exception) -> Exception:
    """``exc`` when it survives the pipe, else a RuntimeError that names it (some exceptions cannot be
    rebuilt from their pickle)."""
    try:
        return pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")
