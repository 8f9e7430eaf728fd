#!/usr/bin/env python3
"""mikiwame on public labelled SMS sets it was not written from: scam / suspicious / clean shares per set and
label, as a table.

    .venv/bin/python benchmarks/external.py [--datasets ../shared/datasets] [--markdown]

The sets are read where they lie (``../shared/datasets``, never copied into the project):

* UCI SMS Spam Collection and Mendeley SMS Phishing: half of each trained the wording model
  (scripts/train_wording_model.py; a text is in the training half when a hash of its folded text is even).
  The rows marked "held out" are the other half, which the model never saw: those are the honest figures.
  Duplicate texts count once. ``--oof FILE`` (the fold models of ``train_wording_model.py --cv --oof-out``)
  adds each training half scored out of fold, by the fold model that never saw the message: the figure to
  tune by on these sets, as dev-oof is on the corpus (the in-sample training-half rows flatter the model).
* SmishTank (US smishing, 2021–23): measure only. No rule, list or weight was tuned on it. ``--categories``
  adds its flagged share per message category as the dataset labels it (Account Alert, Advertisement, …).

Phishing Pot (e-mails) is measured by benchmarks/email.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This folder holds email.py, which must not shadow the standard library's email package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT / "pysrc"))
sys.path.insert(0, str(ROOT / "scripts"))

import mikiwame  # noqa: E402
from rule_qa import wording_model  # noqa: E402
from train_wording_model import in_training_half, public_fold, public_sets, split_key  # noqa: E402


def smishtank(datasets: Path) -> list[str]:
    """The message bodies (MainText, else the full text) of SmishTank's rows."""
    return [text for text, _ in smishtank_rows(datasets)]


def smishtank_rows(datasets: Path) -> list[tuple[str, str]]:
    """(message body, the dataset's message category) of SmishTank's rows."""
    with open(datasets / "smishtank" / "smishtank.csv", encoding="utf-8", errors="replace") as f:
        return [((row.get("MainText") or row.get("Fulltext") or "").strip(), row.get("Message Categories") or "-")
                for row in csv.DictReader(f)]


def by_category(datasets: Path) -> list[tuple[str, str, Counter]]:
    """SmishTank's shares per message category, largest category first."""
    groups: dict[str, list[str]] = {}
    for text, category in smishtank_rows(datasets):
        groups.setdefault(category, []).append(text)
    return [("SmishTank (measure only)", category, shares(texts))
            for category, texts in sorted(groups.items(), key=lambda kv: -len(kv[1]))]


def shares(texts: list[str], lang: str = "en") -> Counter:
    return Counter(mikiwame.check(t, lang).verdict for t in texts if t.strip())


def rows(datasets: Path) -> list[tuple[str, str, list[str]]]:
    """(set, label, texts): UCI and Mendeley split into held-out and training halves, then SmishTank."""
    groups: dict[tuple[str, str], list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for text, _, name, label in public_sets(datasets):
        key = (name, split_key(text))
        if key in seen:
            continue
        seen.add(key)
        half = "training half" if in_training_half(text) else "held out"
        groups.setdefault((f"{name} ({half})", label), []).append(text)
    out = [(name, label, texts) for (name, label), texts in sorted(groups.items())]
    out.append(("SmishTank (measure only)", "smishing", smishtank(datasets)))
    return out


def out_of_fold(rows_: list[tuple[str, str, list[str]]], oof: Path) -> list[tuple[str, str, Counter]]:
    """The training halves' shares, each message checked with the fold model that did not learn it."""
    folds = json.loads(oof.read_text(encoding="utf-8"))["folds"]
    if any("public_fold" not in f for f in folds):
        raise SystemExit(f"{oof}: no public folds in it; retrain with train_wording_model.py --cv --oof-out")
    out = []
    for name, label, texts in rows_:
        if "training half" not in name:
            continue
        c: Counter = Counter()
        for fold in folds:
            with wording_model(fold["model"]):
                c += shares([t for t in texts if public_fold(split_key(t), fold["folds"]) == fold["public_fold"]])
        out.append((name.replace("training half", "training half, out of fold"), label, c))
    return out


def _line(name: str, label: str, c: Counter) -> str:
    n = sum(c.values())
    pct = {k: 100 * c[k] / n for k in ("scam", "suspicious", "clean")}
    return (f"| {name} | {label} | {n} | {pct['scam']:.1f}% | {pct['suspicious']:.1f}% | {pct['clean']:.1f}% | "
            f"{pct['scam'] + pct['suspicious']:.1f}% |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--oof", type=Path, help="fold models (train_wording_model.py --cv --oof-out): adds the "
                    "training halves scored out of fold")
    ap.add_argument("--categories", action="store_true", help="also SmishTank per message category")
    args = ap.parse_args(argv)
    if not args.datasets.is_dir():
        print(f"no datasets at {args.datasets}", file=sys.stderr)
        return 1
    print(f"engine {mikiwame.__version__} · {time.strftime('%Y-%m-%d')}\n")
    print("| set | label | messages | scam | suspicious | clean | flagged |")
    print("|---|---|---|---|---|---|---|")
    table = rows(args.datasets)
    for name, label, texts in table:
        print(_line(name, label, shares(texts)))
    for name, label, c in out_of_fold(table, args.oof) if args.oof else ():
        print(_line(name, label, c))
    for name, label, c in by_category(args.datasets) if args.categories else ():
        print(_line(name, label, c))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
