#!/usr/bin/env python3
"""Per-rule quality over the labelled corpus, SpamAssassin rule-QA style (prints a table).

    .venv/bin/python scripts/rule_qa.py [--corpus tests/corpus] [--lang-from-corpus] [--misses]

For each rule: SCAM% (share of scam messages it fires on), LEGIT% (share of legit messages), S/O (scam hits /
all hits: 1.00 = fires only on scams), its weight and status. Then overall recall and false positives at
each score threshold (the configured "suspicious" and "scam" thresholds are marked), and optionally the
scam messages called clean and the legit messages called suspicious or scam.

A rule with high LEGIT% and S/O well below 1 costs false positives; a preview rule whose S/O holds near 1
over a growing corpus is a candidate for promotion (give it a weight in weights.toml).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pysrc"))  # run from a checkout without installing

import mikiwame  # noqa: E402
from mikiwame.knowledge import load  # noqa: E402


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    ap.add_argument("--misses", action="store_true", help="list misclassified messages by id")
    args = ap.parse_args(argv)

    kb = load()
    scam = read_jsonl(args.corpus / "scam.jsonl")
    legit = read_jsonl(args.corpus / "legit.jsonl")
    results = {"scam": [], "legit": []}
    for label, msgs in (("scam", scam), ("legit", legit)):
        for m in msgs:
            r = mikiwame.check(m["text"], m.get("lang", "ja"))
            results[label].append((m["id"], r.score, r.verdict, {f.slug for f in r.findings}))

    n_scam, n_legit = len(scam), len(legit)
    print(f"corpus: {n_scam} scam, {n_legit} legit · data {kb.data_version} · engine {mikiwame.__version__}\n")
    print(f"{'ID':<6} {'RULE':<24} {'WEIGHT':>6} {'SCAM%':>7} {'LEGIT%':>7} {'S/O':>5}  STATUS")
    for spec in kb.rules:
        s_hits = sum(spec.slug in slugs for _, _, _, slugs in results["scam"])
        l_hits = sum(spec.slug in slugs for _, _, _, slugs in results["legit"])
        total = s_hits + l_hits
        so = f"{s_hits / total:.2f}" if total else "  -  "
        status = spec.status + ("" if spec.effective_weight == spec.weight else " (counts 0)")
        print(f"{spec.id:<6} {spec.slug:<24} {spec.weight:>6} {100 * s_hits / n_scam:>6.1f}% "
              f"{100 * l_hits / n_legit:>6.1f}% {so:>5}  {status}")

    t_susp, t_scam = kb.thresholds["suspicious"], kb.thresholds["scam"]
    print(f"\n{'THRESHOLD':>9} {'RECALL':>8} {'MISSED':>7} {'FP%':>7} {'FP':>4}")
    for t in sorted({*range(10, 101, 10), t_susp, t_scam}):
        caught = sum(score >= t for _, score, _, _ in results["scam"])
        fp = sum(score >= t for _, score, _, _ in results["legit"])
        mark = "  ← suspicious" if t == t_susp else "  ← scam" if t == t_scam else ""
        print(f"{t:>9} {100 * caught / n_scam:>7.1f}% {n_scam - caught:>7} {100 * fp / n_legit:>6.1f}% {fp:>4}{mark}")

    recall = sum(v != "clean" for _, _, v, _ in results["scam"]) / n_scam
    legit_scam = sum(v == "scam" for _, _, v, _ in results["legit"]) / n_legit
    legit_flag = sum(v != "clean" for _, _, v, _ in results["legit"]) / n_legit
    print(f"\nrecall (scam or suspicious): {recall:.1%} · legit called scam: {legit_scam:.1%} · "
          f"legit called scam or suspicious: {legit_flag:.1%}")

    if args.misses:
        print("\nscam messages called clean:")
        for mid, score, verdict, slugs in results["scam"]:
            if verdict == "clean":
                print(f"  {mid:<28} {score:>3}  {','.join(sorted(slugs)) or '-'}")
        print("legit messages called suspicious or scam:")
        for mid, score, verdict, slugs in results["legit"]:
            if verdict != "clean":
                print(f"  {mid:<28} {verdict:<10} {score:>3}  {','.join(sorted(slugs))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
