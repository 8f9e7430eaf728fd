#!/usr/bin/env python3
"""Are the reports byte for byte what another revision of the engine writes? The check that a speed change
changed nothing a reader or a script can see (findings, evidence, scores, verdicts, texts, entities).

    .venv/bin/python scripts/same_reports.py [--base REV] [--datasets ../shared/datasets]

The engine of ``--base`` (default: the commit where this branch left main; its ``pysrc`` from ``git archive``, data files included) and the working tree's
each write the JSON report of every input, in a process of their own, in both languages:

* every corpus message (tests/corpus) and golden fixture (tests/fixtures/messages), and the fixture e-mails
  through the file intake (``check_bytes``);
* the public sets where they lie (``../shared/datasets``): UCI, Mendeley and SmishTank texts, the Phishing
  Pot e-mails;
* the 20,000 messages of benchmarks/jsonl.py, and the same through ``mikiwame --jsonl`` (the CLI's bytes);
* odd input: empty, blank, over-long, lone surrogates, sound marks, homoglyphs, spread letters, defanged
  links, and 4,000 random splices of corpus text with such pieces (seeded, so both sides see the same).

Exits 1 and shows the first differences when any report differs (a corpus message, or text spliced from one,
by its id and verdicts only, so that a blind message is never read). A speed change is kept only when this
prints "identical".
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ODD = ["", " ", "\n\n", "a", "あ", "\ud800", "a\udfffb", "ｶﾞｷﾞ ｸﾞ", "か\u3099", "Ａｍａｚｏｎ", "аmazon", "a m a z o n",
       "hxxps://evil[.]top/x", "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｏｍ", "㈱アマゾン", "\u200bamazon\u200b", "ΣΑΣ", "İstanbul",
       "03-1234-5678 (877) 555-0123 +44 20 7946 0958", "𠮷野家 ご確認ください 😀", "From: a@b.co\nSubject: x\n\nbody",
       "x" * 12_000, "ご連絡ください " * 2_000, "\x00\x01\x02", "rn0l1 paypa1 arnazon"]
PIECES = ["https://", "www.", ".com/", "[.]", "@", "0120-", "03-1234-5678", "円", "$", "£", " ", "\n", "ｱ", "ﾞ",
          "\u3099", "а", "ο", "0", "1", "rn", "株式会社", "(株)", "アマゾン", "amazon", "ご確認ください", "未納",
          "your account", "verify", "http://~", "差出人: ", "【重要】", "😀", "\u200b", "Ｘ"]


def inputs(datasets: Path) -> list[tuple[str, str, object]]:
    """(kind, lang, input) in a fixed order: kind "text" (check) or "bytes" (check_bytes)."""
    texts = [text for text, _ in _texts(datasets)]
    files = sorted((ROOT / "tests" / "fixtures" / "email").glob("*.eml"))
    if (datasets / "phishing_pot").is_dir():
        files += sorted((datasets / "phishing_pot").glob("*.eml"))
    out: list[tuple[str, str, object]] = [("text", lang, t) for t in texts for lang in ("ja", "en")]
    out += [("bytes", lang, p.read_bytes()) for p in files for lang in ("ja", "en")]
    return out


def _texts(datasets: Path) -> list[tuple[str, str | None]]:
    """Every text input with the name a difference is shown by: a corpus message's id and split (its text is
    never printed: a blind message must not be read mid-round), "a splice" for text cut from the corpus, and
    None for inputs whose text may be shown (fixtures, public sets, odd input)."""
    named: list[tuple[str, str | None]] = []
    for name in ("scam.jsonl", "legit.jsonl"):
        with open(ROOT / "tests" / "corpus" / name, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
        named += [(r["text"], f"corpus message {r['id']} ({r.get('split', 'dev')})") for r in records]
    corpus = [text for text, _ in named]
    named += [(p.read_text(encoding="utf-8"), None)
              for p in sorted((ROOT / "tests" / "fixtures" / "messages").glob("*.txt"))]
    named += [(t, None) for t in _public_texts(datasets) + ODD]
    rng = random.Random(9)
    for _ in range(4_000):
        src = rng.choice(corpus)
        a, b = sorted(rng.randrange(len(src) + 1) for _ in range(2))
        named.append((src[:a] + "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 4))) + src[b:],
                      "a splice of corpus text"))
    return named


def _public_texts(datasets: Path) -> list[str]:
    out: list[str] = []
    uci = datasets / "uci_sms_spam" / "SMSSpamCollection"
    if uci.is_file():
        out += [line.partition("\t")[2] for line in uci.read_text(encoding="utf-8", errors="replace").splitlines()]
    for path, column in ((datasets / "mendeley_smishing" / "Mendeley_Dataset_5971.csv", "TEXT"),
                         (datasets / "smishtank" / "smishtank.csv", "MainText")):
        if path.is_file():
            with open(path, encoding="utf-8", errors="replace") as f:
                out += [row.get(column) or "" for row in csv.DictReader(f)]
    return out


def default_datasets() -> Path:
    """``../shared/datasets`` beside the project, or beside the main checkout when this is a git worktree."""
    common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    for base in (ROOT, Path(common).parent if common else ROOT):
        if (base.parent / "shared" / "datasets").is_dir():
            return base.parent / "shared" / "datasets"
    return ROOT.parent / "shared" / "datasets"


def benchmark_payload() -> bytes:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from jsonl import messages  # noqa: PLC0415 - benchmarks/ is not a package

    sys.path.pop(0)
    return "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in messages(20_000)).encode("utf-8")


def dump(pysrc: Path, datasets: Path, out: Path) -> None:
    """Run in a child process (``--dump``): one line per input, each report's JSON (or its error)."""
    sys.path.insert(0, str(pysrc))
    import mikiwame  # noqa: PLC0415 - the engine under test is chosen by the path above
    from mikiwame.engine import check_bytes_json  # noqa: PLC0415

    assert Path(mikiwame.__file__).resolve().is_relative_to(pysrc.resolve()), mikiwame.__file__
    with open(out, "w", encoding="utf-8", errors="surrogatepass") as f:
        for kind, lang, value in inputs(datasets):
            try:
                line = mikiwame.check_json(value, lang) if kind == "text" else check_bytes_json(value, lang)
            except Exception as exc:  # noqa: BLE001 - an error is an outcome to compare too
                line = f"ERROR {type(exc).__name__}: {exc}"
            f.write(line + "\n")


def _engine(rev: str, into: Path) -> Path:
    """The ``pysrc`` folder of git revision ``rev``, unpacked under ``into``."""
    archive = subprocess.run(["git", "archive", rev, "pysrc"], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "pysrc"


def _reports(pysrc: Path, datasets: Path, tmp: Path, name: str, payload: bytes) -> tuple[list[str], bytes]:
    out = tmp / f"{name}.txt"
    subprocess.run([sys.executable, __file__, "--dump", str(pysrc), "--datasets", str(datasets), "--out", str(out)],
                   check=True)
    src, dst = tmp / "bench.jsonl", tmp / f"{name}.cli.jsonl"
    src.write_bytes(payload)
    with open(src, "rb") as stdin, open(dst, "wb") as stdout:
        subprocess.run([sys.executable, "-m", "mikiwame", "--jsonl"], stdin=stdin, stdout=stdout, check=True,
                       env={**os.environ, "PYTHONPATH": str(pysrc)})
    return out.read_text(encoding="utf-8", errors="surrogatepass").split("\n"), dst.read_bytes()


def _verdict(line: str) -> str:
    """The verdict of one dumped report line (or the error it holds)."""
    try:
        return json.loads(line)["verdict"]
    except (ValueError, KeyError):
        return line[:60]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", help="git revision to compare with (default: where this branch left main)")
    ap.add_argument("--datasets", type=Path, default=None)
    ap.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.datasets = args.datasets or default_datasets()
    if args.dump:
        dump(args.dump, args.datasets, args.out)
        return 0
    if args.base is None:  # main moves on while a branch is worked on: compare with where the branch began
        args.base = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, check=True, capture_output=True,
                                   text=True).stdout.strip()[:12]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        payload = benchmark_payload()
        base, base_cli = _reports(_engine(args.base, tmp / "base"), args.datasets, tmp, "base", payload)
        here, here_cli = _reports(ROOT / "pysrc", args.datasets, tmp, "here", payload)
    items = inputs(args.datasets)
    differ = [i for i, (a, b) in enumerate(zip(base, here)) if a != b]
    lines = payload.count(b"\n")
    print(f"{len(items):,} reports ({sum(k == 'bytes' for k, _, _ in items):,} of them e-mail files) and "
          f"{lines:,} --jsonl lines, engine of {args.base} against the working tree")
    names = [name for _, name in _texts(args.datasets) for _lang in ("ja", "en")]
    for i in differ[:5]:
        kind, lang, value = items[i]
        name = names[i] if i < len(names) else None
        if name is not None:  # a corpus text: its id only, and no report (evidence quotes the text)
            print(f"DIFFERS ({kind}, {lang}) {name}: verdict {_verdict(base[i])} -> {_verdict(here[i])}")
            continue
        shown = value[:80] if isinstance(value, str) else f"<{len(value)} bytes>"
        print(f"DIFFERS ({kind}, {lang}) {shown!r}\n  {args.base}: {base[i][:300]}\n  here: {here[i][:300]}")
    same_cli = base_cli == here_cli
    if len(base) != len(here) or differ or not same_cli:
        print(f"{len(differ)} reports differ; --jsonl output {'identical' if same_cli else 'DIFFERS'}")
        return 1
    digest = hashlib.sha256("\n".join(here).encode("utf-8", "surrogatepass") + here_cli).hexdigest()[:16]
    print(f"identical (sha256 of all output {digest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
