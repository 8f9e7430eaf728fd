"""Command line: ``mikiwame "text"``, stdin, ``--json`` and the streaming ``--jsonl`` batch mode.

Exit codes (documented in README):
  0  checked; verdict "clean" (or --jsonl finished with every line processed)
  1  checked; verdict "suspicious"
  2  checked; verdict "scam"
  3  --jsonl: finished, but at least one input line was bad (its error object was printed)
  64 usage error (bad arguments)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import IO, Callable, Iterable, Iterator

from . import LANGS, __version__
from .engine import check, check_bytes
from .report import Report, encode_json

EXIT = {"clean": 0, "suspicious": 1, "scam": 2}
EXIT_BAD_LINES = 3
EXIT_USAGE = 64

_COLOURS = {"scam": "\033[1;31m", "suspicious": "\033[1;33m", "clean": "\033[1;32m"}
_RESET = "\033[0m"
_DIM = "\033[2m"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mikiwame",
        description="Check a suspicious SMS or e-mail for scam signs (見極め). The text never leaves this machine.",
        epilog="Exit codes: 0 clean, 1 suspicious, 2 scam, 3 --jsonl had bad lines, 64 usage error.",
    )
    p.add_argument("text", nargs="?", help="message to check (reads standard input when omitted)")
    p.add_argument("--file", metavar="PATH",
                   help="check a file: an e-mail (.eml) is decoded as its headers say; '-' reads standard input")
    p.add_argument("--lang", choices=LANGS, default="ja", help="language of the explanations (default: ja)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print the report as JSON (the page's contract)")
    mode.add_argument("--jsonl", action="store_true",
                      help='batch mode: each input line {"text": …, "id": …} → one report JSON line')
    p.add_argument("--colour", "--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument("--version", action="version", version=f"mikiwame {__version__}")
    return p


_dump = encode_json


def fd_lines(fd: int, on_idle: Callable[[], None]) -> Iterator[str]:
    """Lines of a file descriptor, calling ``on_idle`` (flush the output) only before a read that may wait.

    Flushing after every report costs a system call per message; flushing only when no further input is
    already at hand keeps the output streaming for a producer that waits for each answer, at batch speed.
    """
    pending = b""
    while True:
        lines = pending.split(b"\n")
        pending = lines.pop()  # the unfinished last line (b"" after a newline)
        for line in lines:
            yield line.decode("utf-8", errors="replace") + "\n"
        on_idle()
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            if pending:
                yield pending.decode("utf-8", errors="replace")
            return
        pending += chunk


def run_jsonl(lines: Iterable[str], out: IO[str], lang: str) -> int:
    """One output line per input line, in order. Blank lines are skipped; bad lines get an error object."""
    bad = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError('each line must be a JSON object with a string "text"')
            item_lang = item.get("lang", lang) if item.get("lang") in LANGS else lang
            result = check(item["text"], item_lang).to_json()
            if "id" in item:  # the same object with "id" first
                result = "".join(('{"id":', _dump(item["id"]), ",", result[1:], "\n"))
            else:
                result += "\n"
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            bad = True
            result = _dump({"error": str(exc), "line": number}) + "\n"
        out.write(result)
    out.flush()
    return EXIT_BAD_LINES if bad else 0


def _caret_line(text: str, start: int, end: int) -> tuple[str, str]:
    """The line holding the evidence and a ruff-style ^^^ underline (East Asian wide chars count double)."""
    import unicodedata

    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end]
    width = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)  # noqa: E731
    pad = width(text[line_start:start])
    mark = max(1, width(text[start:min(end, line_end)]))
    return line, " " * pad + "^" * mark


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


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else EXIT_USAGE
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    if args.jsonl:
        if args.text is not None:
            parser.print_usage(sys.stderr)
            print("mikiwame: --jsonl reads standard input; give no text argument", file=sys.stderr)
            return EXIT_USAGE
        return run_jsonl(fd_lines(sys.stdin.fileno(), sys.stdout.flush), sys.stdout, args.lang)
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
        report = check_bytes(data, args.lang)
        text = report.email["text"] if report.email else None
    else:
        text = args.text if args.text is not None else sys.stdin.buffer.read().decode("utf-8", errors="replace")
        report = check(text, args.lang)
    if args.json:
        print(report.to_json())
    else:
        shown = report.email["text"] if report.email else text  # an e-mail's evidence indexes its shown text
        if shown is None:
            shown = report_text_of_bytes(data)
        print(render_text(report, shown, _use_colour(args.colour, sys.stdout)))
    return EXIT[report.verdict]


def report_text_of_bytes(data: bytes) -> str:
    """The text a non-e-mail file was checked as (the same decoding ``check_bytes`` used)."""
    from .engine import text_of_bytes

    return text_of_bytes(data)
