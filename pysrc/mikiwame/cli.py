"""Command line: ``mikiwame "text"``, stdin, ``--json`` and the streaming ``--jsonl`` batch mode.

Exit codes (documented in README):
  0  checked; verdict "clean" (or --jsonl finished with every line processed)
  1  checked; verdict "suspicious"
  2  checked; verdict "scam"
  3  --jsonl: finished, but at least one input line was bad (its error object was printed)
  64 usage error: bad arguments, or an empty message (nothing to check is never reported as "clean")
  65 standard input is not text: binary (NUL bytes, /bin/ls) or in no encoding we can read
  141 the reader of the output went away (``mikiwame … | head``): stopped quietly, as on SIGPIPE
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import unicodedata
from functools import partial
from typing import IO, Callable, Iterable, Iterator

from . import LANGS, __version__
from .engine import check, check_bytes, check_json_utf8, text_of_bytes
from .intake import NotText, decode
from .jobs import Shared, default_jobs
from .knowledge import load
from .report import Report, encode_json, render

EXIT = {"clean": 0, "suspicious": 1, "scam": 2}
EXIT_BAD_LINES = 3
EXIT_USAGE = 64
EXIT_NOT_TEXT = 65  # sysexits' EX_DATAERR
EXIT_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a command whose reader went away
# The readable report shows this many terminal columns of the message on each side of a piece of evidence,
# and at most this many characters of the evidence itself: a one-line e-mail must not be printed again under
# every finding (a 14.8 KB line gave 181 KB of report).
WINDOW = 30
MAX_EVIDENCE = 80

_COLOURS = {"scam": "\033[1;31m", "suspicious": "\033[1;33m", "clean": "\033[1;32m"}
_RESET = "\033[0m"
_DIM = "\033[2m"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mikiwame",
        description="Check a suspicious SMS or e-mail for scam signs (見極め). The text never leaves this machine.",
        epilog="Standard input may be UTF-8, UTF-16, Shift_JIS, EUC-JP or ISO-2022-JP (detected; a notice says "
               "which when it is not UTF-8). Exit codes: 0 clean, 1 suspicious, 2 scam, 3 --jsonl had bad lines, "
               "64 usage error or empty message, 65 input is not text (binary or an unreadable encoding), "
               "141 the output pipe was closed.",
    )
    p.add_argument("text", nargs="?", help="message to check (reads standard input when omitted)")
    p.add_argument("--file", metavar="PATH",
                   help="check a file: an e-mail (.eml) is decoded as its headers say; '-' reads standard input")
    p.add_argument("--lang", choices=LANGS, default="ja", help="language of the explanations (default: ja)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print the report as JSON (the page's contract)")
    mode.add_argument("--jsonl", action="store_true",
                      help='batch mode: each input line {"text": …, "id": …} → one report JSON line')
    p.add_argument("--jobs", type=int, metavar="N",
                   help="with --jsonl: check long runs of input lines in N processes, the output the same as one's "
                        "(default: the CPUs this process may use, at most 8; 1 = one process)")
    p.add_argument("--colour", "--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument("--version", action="version", version=f"mikiwame {__version__}")
    return p


_dump = encode_json
# The most one read of --jsonl's input takes (``fd_chunks``).
READ = 1 << 20


def fd_chunks(fd: int, on_idle: Callable[[], None]) -> Iterator[list[str]]:
    """The complete lines of a file descriptor, a list for each read's worth (``jobs.Shared`` shares a long
    one out), calling ``on_idle`` (flush the output) only before a read that may wait.

    Flushing after every report costs a system call per message; flushing only when no further input is
    already at hand keeps the output streaming for a producer that waits for each answer, at batch speed.
    A read takes what is at hand, up to ``READ`` bytes: a pipe gives at most its buffer (64 KB), a file more,
    so that the slices shared out are long and even.
    """
    pending = b""
    while True:
        lines = pending.split(b"\n")
        pending = lines.pop()  # the unfinished last line (b"" after a newline)
        if lines:
            yield [line.decode("utf-8", errors="replace") + "\n" for line in lines]
        on_idle()
        chunk = os.read(fd, READ)
        if not chunk:
            if pending:
                yield [pending.decode("utf-8", errors="replace")]
            return
        pending += chunk


class Batched:
    """--jsonl's output: report lines (UTF-8, ``_jsonl_report``) gathered and written together when the input
    has no further line at hand (``fd_chunks`` calls ``flush`` before a read that may wait), every ``BATCH``
    reports, and at the end, so a producer that waits for each answer still gets it at once.

    Why not leave it to ``sys.stdout``: under ``PYTHONUNBUFFERED=1`` (or ``python -u``; usual in containers,
    and set on this project's VM) it writes through, a system call for every report of a batch. Why bytes:
    a report's repeating parts are kept encoded (``engine.check_json_utf8``), and a joined batch of text
    with one Japanese report in it would be a two-byte string that UTF-8 encodes character by character,
    where an all-ASCII report alone is copied. Same bytes as the text stream with errors="replace" wrote
    (tests/test_cli.py)."""

    BATCH = 256

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.pending: list[bytes] = []

    def write(self, line: bytes) -> None:
        self.pending.append(line)
        if len(self.pending) >= self.BATCH:
            self._write_pending()

    def _write_pending(self) -> None:
        if self.pending:
            data = b"".join(self.pending)
            self.pending.clear()
            self.binary.write(data)

    def flush(self) -> None:
        self._write_pending()
        self.binary.flush()


def run_jsonl(chunks: Iterable[list[str]], out: Batched, lang: str, jobs: int = 1) -> int:
    """One output line per input line, in order, each run of lines (``fd_chunks``) checked with up to
    ``jobs`` processes (``jobs.Shared``: the same bytes as one). Exit code 3 when any line was bad."""
    bad = False
    first = 1
    with Shared(jobs, partial(check_lines, lang=lang)) as check_run:
        for lines in chunks:
            bad |= check_run(lines, first, out.write)
            first += len(lines)
    out.flush()
    return EXIT_BAD_LINES if bad else 0


def check_lines(lines: list[str], first: int, write: Callable[[bytes], None], lang: str) -> bool:
    """Write one report line for each of ``lines`` (input lines ``first``, ``first + 1``, …); True when any
    was bad. Blank lines are skipped, but counted; bad lines get an error object that keeps the line's "id"
    when the line was JSON, so a script can tell which input failed."""
    bad = False
    for number, line in enumerate(lines, first):
        if not line or line.isspace():  # what `not line.strip()` says, without making the copy
            continue
        item = None
        try:
            try:
                item = _parsed(line)
            except json.JSONDecodeError as exc:  # its own "line 1 column 19" means a line of this one line
                raise ValueError(f"invalid JSON at column {exc.colno} of input line {number}: {exc.msg}") from None
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError(f'input line {number} must be a JSON object with a string "text"')
            result = _jsonl_report(item, lang)
        except ValueError as exc:
            bad = True
            error = {"error": str(exc), "line": number}
            result = _utf8(_dump({"id": item["id"], **error} if isinstance(item, dict) and "id" in item else error))
        write(result + b"\n")
    return bad


# The C scanner behind ``json.loads`` (``JSONDecoder().scan_once``), for ``_parsed``.
_SCAN = json.JSONDecoder().scan_once
# What ``json.loads`` skips around a document (its ``WHITESPACE``); ``str.isspace`` takes in more.
_JSON_SPACE = " \t\n\r"


def _parsed(line: str) -> object:
    """``json.loads(line)``, one C call for a line that starts with its document and holds nothing after
    it but white space (every line a producer writes): ``json.loads`` goes through three Python calls and
    two regex matches for the white space around it, about a third of its cost on a message's line. Any
    other line, and every line ``json.loads`` refuses, goes to ``json.loads`` itself, so the value and the
    error are its own (tests/test_cli.py)."""
    try:
        value, end = _SCAN(line, 0)
    except StopIteration:
        return json.loads(line)  # leading white space, a byte-order mark, or no JSON: its own error
    if end != len(line) and line[end:].strip(_JSON_SPACE):
        return json.loads(line)  # "Extra data"
    return value


def _utf8(text: str) -> bytes:
    """What the UTF-8 text stream with errors="replace" writes for ``text`` (a lone surrogate becomes "?")."""
    return text.encode("utf-8", "replace")


def _jsonl_report(item: dict, lang: str) -> bytes:
    """One line's report as JSON in UTF-8, with its "id" first and a notice when its "lang" is not one we have."""
    asked = item.get("lang", lang)
    used = asked if asked in LANGS else lang
    if asked == used:
        result = check_json_utf8(item["text"], used)
    else:
        result = _utf8(with_notice(check(item["text"], used), "lang", asked=str(asked), used=used).to_json())
    if "id" in item:  # the same object with "id" first
        return b"".join((b'{"id":', _utf8(_dump(item["id"])), b",", result[1:]))
    return result


def with_notice(report: Report, key: str, **values: str) -> Report:
    """The report with one more notice, from advice.toml's [notice] table in the report's language."""
    template = load().advice["notice"][f"{key}_{report.lang}"]
    return dataclasses.replace(report, notices=(*report.notices, render(template, values, report.lang)))


def _width(s: str) -> int:
    """Columns on a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _caret_line(text: str, start: int, end: int) -> tuple[str, str]:
    """A window of the line around the evidence (about WINDOW columns each side, "…" where cut) and a
    ruff-style ^^^ underline under the evidence."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    end = min(max(end, start), line_end)
    shown_end = min(end, start + MAX_EVIDENCE)
    left, used = start, 0
    while left > line_start and used + _width(text[left - 1]) <= WINDOW:
        left -= 1
        used += _width(text[left])
    right, used = shown_end, 0
    while right < line_end and used + _width(text[right]) <= WINDOW:
        used += _width(text[right])
        right += 1
    head = ("…" if left > line_start else "") + text[left:start]
    body = text[start:shown_end] + ("…" if shown_end < end else "")
    tail = text[shown_end:right] + ("…" if right < line_end else "")
    return head + body + tail, " " * _width(head) + "^" * max(1, _width(body))


def render_text(report: Report, text: str, colour: bool) -> str:
    c = (lambda code, s: f"{code}{s}{_RESET}") if colour else (lambda code, s: s)
    d = report.to_dict()
    out = [c(_COLOURS[d["verdict"]], f"{d['headline']}  ({d['verdict']}, {d['score']}/100)"), d["summary"], ""]
    for f in d["findings"]:
        sign = "+" if f["weight"] > 0 else ""
        out.append(f"{f['id']} {f['slug']} [{sign}{f['weight']}] {f['title']}")
        out.append(f"    {f['message']}")
        for ev in f["evidence"][:3]:
            line, carets = _caret_line(text, ev["start"], ev["end"])
            out.append(c(_DIM, f"    | {line}"))
            out.append(f"    | {carets}")
        if f["source"]:
            out.append(c(_DIM, f"    source: {f['source']}"))
    for n in d["notices"]:
        out.append(f"! {n}")
    out.append("")
    for step in d["advice"]:
        out.append(f"- {step['text']}")
    out.append(c(_DIM, f"data {d['data_version']} · engine {d['engine_version']}"))
    return "\n".join(out)


def _use_colour(choice: str, stream: IO[str]) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _read_stdin() -> tuple[str, str | None]:
    """Standard input decoded (intake.decode) and the encoding's name when it was not plain UTF-8."""
    decoded = decode(sys.stdin.buffer.read())
    return decoded.text, (decoded.label if decoded.codec != "utf-8" else None)


def main(argv: list[str] | None = None) -> int:
    """The command line; a reader that stops reading (``mikiwame … | head``) ends it quietly, not with a traceback."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # Python's own advice: point stdout at /dev/null so that the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else EXIT_USAGE
    if args.jobs is not None and (args.jobs < 1 or not args.jsonl):
        parser.print_usage(sys.stderr)
        print("mikiwame: --jobs N needs --jsonl and N >= 1", file=sys.stderr)
        return EXIT_USAGE
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    if args.jsonl:
        if args.text is not None:
            parser.print_usage(sys.stderr)
            print("mikiwame: --jsonl reads standard input; give no text argument", file=sys.stderr)
            return EXIT_USAGE
        sys.stdout.flush()
        out = Batched(sys.stdout.buffer)
        try:
            return run_jsonl(fd_chunks(sys.stdin.fileno(), out.flush), out, args.lang, args.jobs or default_jobs())
        finally:
            out.flush()  # the reports before a line that crashed the engine are still written
    if args.file is not None:
        if args.text is not None:
            parser.print_usage(sys.stderr)
            print("mikiwame: give either a text or --file, not both", file=sys.stderr)
            return EXIT_USAGE
        try:
            data = sys.stdin.buffer.read() if args.file == "-" else open(args.file, "rb").read()
        except OSError as exc:
            print(f"mikiwame: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
        if not data.strip():
            print(f"mikiwame: nothing to check: {args.file} is empty", file=sys.stderr)
            return EXIT_USAGE
        try:
            report = check_bytes(data, args.lang)
        except NotText as exc:
            print(f"mikiwame: cannot check {args.file}: {exc}", file=sys.stderr)
            return EXIT_NOT_TEXT
        text = report.email["text"] if report.email else text_of_bytes(data)  # what the evidence indexes
    else:
        encoding = None
        if args.text is not None:
            text = args.text
        else:
            try:
                text, encoding = _read_stdin()
            except NotText as exc:
                print(f"mikiwame: cannot check standard input: {exc}", file=sys.stderr)
                return EXIT_NOT_TEXT
        if not text.strip():
            parser.print_usage(sys.stderr)
            print("mikiwame: nothing to check: the message is empty (give it as an argument or on standard input)",
                  file=sys.stderr)
            return EXIT_USAGE
        report = check(text, args.lang)
        if encoding:
            report = with_notice(report, "encoding", encoding=encoding)
    if args.json:
        print(report.to_json())
    else:
        shown = report.email["text"] if report.email else text  # an e-mail's evidence indexes its shown text
        print(render_text(report, shown, _use_colour(args.colour, sys.stdout)))
    return EXIT[report.verdict]
