#!/usr/bin/env python3
"""Quality over the labelled corpus, dev and blind side by side, with a per-rule table (SpamAssassin rule-QA
style).

    .venv/bin/python scripts/rule_qa.py                 print the tables
    .venv/bin/python scripts/rule_qa.py --misses dev    also list dev messages called wrongly (by id)
    .venv/bin/python scripts/rule_qa.py --write-docs    also write docs/quality.md from the same figures
    .venv/bin/python scripts/rule_qa.py --oof .cache/wording_oof.json
                                                        also score dev with out-of-fold wording models

The wording model (MK037) is trained on dev, so in-sample dev figures flatter every rule that builds on it.
``--oof`` takes the fold models that ``scripts/train_wording_model.py --cv --oof-out FILE`` writes (folds
grouped by site) and adds a ``dev-oof`` row: each dev message scored by the model that never saw its site,
which is the dev figure to tune by.

The corpus is split by site (tests/corpus_data.py): tune on ``dev``, measure on ``blind``. For each rule:
how many scam and genuine messages it fires on, in dev and in blind, and S/O (scam hits / all hits; 1.00 =
fires only on scams). A rule with genuine hits and S/O well below 1 costs false positives; a rule that
fires in dev but never in blind was fitted to dev's wording.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pysrc"))  # run from a checkout without installing
sys.path.insert(0, str(ROOT / "tests"))

import mikiwame  # noqa: E402
from corpus_data import LEGIT, SCAM, SPLITS, site_of  # noqa: E402
from mikiwame import learned, templates  # noqa: E402
from mikiwame.knowledge import load  # noqa: E402


def _run(rows: list[dict]) -> list[dict]:
    out = []
    for m in rows:
        r = mikiwame.check(m["text"], m.get("lang", "ja"))
        out.append({"msg": m, "score": r.score, "verdict": r.verdict, "slugs": {f.slug for f in r.findings}})
    return out


@contextlib.contextmanager
def wording_model(raw: dict):
    """Score with another wording model for a while (a measuring tool's swap; the engine has one model)."""
    shipped = learned.model
    fold = learned.from_json(raw)
    learned.model = lambda: fold
    try:
        yield
    finally:
        learned.model = shipped


@contextlib.contextmanager
def reported_scams_without(sites: set[str]):
    """Compare with a template library without ``sites``' messages for a while (MK120, ``mikiwame.templates``):
    out of fold, a dev message must not find itself, or its site's template, among the reported scams."""
    shipped = templates.entries
    kept = tuple(e for e in shipped() if site_of(e.source) not in sites)
    templates.entries = lambda: kept
    try:
        yield
    finally:
        templates.entries = shipped


def _run_oof(rows: list[dict], path: Path) -> list[dict]:
    """Dev messages, each scored with the fold model that never saw its site (and a template library without
    its site); marked split ``dev-oof``."""
    folds = json.loads(path.read_text(encoding="utf-8"))["folds"]
    out = []
    for fold in folds:
        sites = set(fold["sites"])
        with wording_model(fold["model"]), reported_scams_without(sites):
            pick = [m for m in rows if m["split"] == "dev" and site_of(m["source"]) in sites]
            out += [{**x, "msg": {**x["msg"], "split": "dev-oof"}} for x in _run(pick)]
    if len(out) != sum(m["split"] == "dev" for m in rows):
        raise SystemExit(f"{path}: its folds do not cover today's dev split; retrain with --cv --oof-out")
    return out


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "    - "


# Blind batches collected in later rounds (their ``collected`` tag), whose misses were never looked at while
# rules were changed.
LATER_BATCHES = {"blind-fresh": "2026-11-30b", "blind-r3": "2026-11-30c", "blind-r6": "2026-11-30e",
                 "blind-r7": "2026-11-30f", "blind-r8": "2026-11-30g", "blind-r9": "2026-11-30h",
                 "blind-r10": "2026-11-30i", "blind-r11": "2026-11-30j",
                 "blind-r12": "2026-11-30k", "blind-r13": "2026-11-30l",
                 "blind-r14": "2026-11-30m", "blind-r15": "2026-11-30n",
                 "blind-r16": "2026-11-30o", "blind-r17": "2026-11-30p",
                 "blind-r18": "2026-11-30q", "blind-r19": "2026-12-01a",
                 "blind-r20": "2026-12-01b", "blind-r21": "2026-12-01c",
                 "blind-r22": "2026-12-01d", "blind-r23": "2026-12-01e",
                 "blind-r24": "2026-12-01f", "blind-r25": "2026-12-01g",
                 "blind-r26": "2026-12-01h", "blind-r27": "2026-12-01i",
                 "blind-r28": "2026-12-01k", "blind-r29": "2026-12-01l",
                 "blind-r30": "2026-12-01m", "blind-r31": "2026-12-01n",
                 "blind-r32": "2026-12-01o", "blind-r33": "2026-12-02a"}


def _in_split(msg: dict, split: str) -> bool:
    """``blind-new``: blind messages collected in the corpus-growing rounds (they carry a ``collected``
    date); the older blind messages had been seen when earlier rules were written. The ``LATER_BATCHES``:
    blind messages of one later batch each."""
    if split == "blind-new":
        return msg["split"] == "blind" and "collected" in msg
    if split in LATER_BATCHES:
        return msg["split"] == "blind" and msg.get("collected") == LATER_BATCHES[split]
    return msg["split"] == split


def summary(results: dict[str, list[dict]]) -> list[dict]:
    """One row per split and language: the shares the issue's targets are stated in."""
    rows = []
    for split in ("dev", "dev-oof", "blind", "blind-new", *LATER_BATCHES):
        for lang in ("all", "ja", "en"):
            pick = [x for x in results["scam"] + results["legit"]
                    if _in_split(x["msg"], split) and (lang == "all" or x["msg"].get("lang", "ja") == lang)]
            scam = [x for x in pick if x["msg"]["kind"] == "scam"]
            legit = [x for x in pick if x["msg"]["kind"] == "legit"]
            if not pick:
                continue
            rows.append({
                "split": split, "lang": lang, "scam": len(scam), "legit": len(legit),
                "sites": len({site_of(x["msg"]["source"]) for x in pick}),
                "scam_flagged": sum(x["verdict"] != "clean" for x in scam),
                "scam_scam": sum(x["verdict"] == "scam" for x in scam),
                "legit_flagged": sum(x["verdict"] != "clean" for x in legit),
                "legit_scam": sum(x["verdict"] == "scam" for x in legit),
            })
    return rows


def summary_table(rows: list[dict]) -> list[str]:
    head = "| split | lang | scam | genuine | sites | scams flagged | scams called scam | genuine flagged | genuine called scam |"
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        lines.append(f"| {r['split']} | {r['lang']} | {r['scam']} | {r['legit']} | {r['sites']} | "
                     f"{_pct(r['scam_flagged'], r['scam']).strip()} | {_pct(r['scam_scam'], r['scam']).strip()} | "
                     f"{_pct(r['legit_flagged'], r['legit']).strip()} | {_pct(r['legit_scam'], r['legit']).strip()} |")
    return lines


# The four shares the targets are stated in: (kind of message, what counts as a hit).
SHARES = (("scam", "flagged"), ("scam", "scam"), ("legit", "flagged"), ("legit", "scam"))


def _hit(verdict: str, what: str) -> bool:
    return verdict != "clean" if what == "flagged" else verdict == "scam"


def site_interval(outcomes: list[tuple[str, bool]], draws: int = 2000, seed: int = 0) -> tuple[float, float]:
    """The central 95 % of a share over ``draws`` resamplings of the sites (``outcomes``: one (site, hit) per
    message). Messages of one site share a template and a writer, so they are not independent draws: a
    binomial interval over messages would be too narrow. Resampling whole sites (a cluster bootstrap) gives
    the spread a new set of sites of the same size would show. Seeded, so the docs do not change by chance."""
    by_site: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for site, hit in outcomes:
        by_site[site][0] += hit
        by_site[site][1] += 1
    sites = list(by_site.values())
    if not sites:
        return (0.0, 0.0)
    rng = random.Random(seed)
    shares = []
    for _ in range(draws):
        pick = rng.choices(sites, k=len(sites))
        shares.append(sum(h for h, _ in pick) / sum(n for _, n in pick))
    shares.sort()
    return (shares[int(0.025 * draws)], shares[min(draws - 1, int(0.975 * draws))])


def interval_table(results: dict[str, list[dict]], splits: tuple[str, ...] = ("dev-oof", "blind")) -> list[str]:
    """Each split's four shares with the 95 % interval that resampling its sites gives: how far a figure can
    move with the sites that happened to be collected, so that a change smaller than that is not read as
    progress (or as harm)."""
    lines = ["| split | lang | scams flagged | scams called scam | genuine flagged | genuine called scam |",
             "|" + "---|" * 6]
    for split in splits:
        for lang in ("all", "ja", "en"):
            cells = []
            for kind, what in SHARES:
                outcomes = [(site_of(x["msg"]["source"]), _hit(x["verdict"], what)) for x in results[kind]
                            if _in_split(x["msg"], split) and (lang == "all" or x["msg"].get("lang", "ja") == lang)]
                if not outcomes:
                    cells.append("-")
                    continue
                lo, hi = site_interval(outcomes)
                share = sum(h for _, h in outcomes) / len(outcomes)
                cells.append(f"{100 * share:.1f}% ({100 * lo:.1f}–{100 * hi:.1f})")
            if any(c != "-" for c in cells):
                lines.append(f"| {split} | {lang} | " + " | ".join(cells) + " |")
    return lines


def pretext_table(results: dict[str, list[dict]], splits: tuple[str, ...] = ("dev-oof", "blind")) -> list[str]:
    """The four shares by the pretext each message was labelled with when it was collected (the corpus's
    ``pretext``; older records have none): where the misses and false alarms sit, by kind of message rather than
    by message, so a blind figure can be read without reading a blind text."""
    lines = ["| split | pretext | scams | flagged | called scam | genuine | flagged | called scam |",
             "|" + "---|" * 8]
    for split in splits:
        picked = {k: [x for x in results[k] if _in_split(x["msg"], split)] for k in ("scam", "legit")}
        pretexts = sorted({x["msg"].get("pretext") or "(not labelled)" for k in picked for x in picked[k]})
        for pretext in pretexts:
            cells = []
            for kind in ("scam", "legit"):
                group = [x for x in picked[kind] if (x["msg"].get("pretext") or "(not labelled)") == pretext]
                cells.append(str(len(group)))
                for what in ("flagged", "scam"):
                    cells.append(_pct(sum(_hit(x["verdict"], what) for x in group), len(group)).strip()
                                 if group else "-")
            lines.append(f"| {split} | {pretext} | " + " | ".join(cells) + " |")
    return lines


def rule_table(results: dict[str, list[dict]], kb) -> list[str]:
    counts: dict[tuple[str, str], Counter] = {}
    for kind in ("scam", "legit"):
        for split in SPLITS:
            counts[kind, split] = Counter(s for x in results[kind] if x["msg"]["split"] == split for s in x["slugs"])
    n = {(k, s): sum(x["msg"]["split"] == s for x in results[k]) for k in ("scam", "legit") for s in SPLITS}
    lines = ["| id | rule | weight | dev scam | dev genuine | blind scam | blind genuine | S/O dev | S/O blind |",
             "|" + "---|" * 9]
    for spec in kb.rules:
        cells = []
        for split in SPLITS:
            for kind in ("scam", "legit"):
                c = counts[kind, split][spec.slug]
                cells.append(f"{c} ({_pct(c, n[kind, split]).strip()})")
        so = []
        for split in SPLITS:
            s, g = counts["scam", split][spec.slug], counts["legit", split][spec.slug]
            so.append(f"{s / (s + g):.2f}" if s + g else "-")
        weight = f"{spec.effective_weight}" + ("" if spec.effective_weight == spec.weight else " (preview)")
        lines.append(f"| {spec.id} | {spec.slug} | {weight} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} | "
                     f"{so[0]} | {so[1]} |")
    return lines


def misses(results: dict[str, list[dict]], split: str) -> list[str]:
    lines = [f"{split}: scam messages called clean"]
    for x in results["scam"]:
        if x["msg"]["split"] == split and x["verdict"] == "clean":
            lines.append(f"  {x['msg']['id']:<34} {x['score']:>3}  {','.join(sorted(x['slugs'])) or '-'}")
    lines.append(f"{split}: genuine messages called suspicious or scam")
    for x in results["legit"]:
        if x["msg"]["split"] == split and x["verdict"] != "clean":
            lines.append(f"  {x['msg']['id']:<34} {x['verdict']:<10} {x['score']:>3}  {','.join(sorted(x['slugs']))}")
    return lines


def external_table() -> list[str]:
    """benchmarks/external.py's table (UCI, Mendeley, SmishTank from ../shared/datasets), when they are there."""
    import subprocess

    datasets = ROOT.parent / "shared" / "datasets"
    if not datasets.is_dir():
        return ["(`../shared/datasets` is not present here: run `benchmarks/external.py` where it is.)"]
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "external.py")], capture_output=True, text=True,
                         check=True).stdout
    return [line for line in out.splitlines() if line.startswith("|")] + [
        "", "\"held out\": the half of UCI and Mendeley the wording model never saw. SmishTank: measure only."]


def write_docs(rows: list[dict], rules: list[str], intervals: list[str], pretexts: list[str]) -> Path:
    path = ROOT / "docs" / "quality.md"
    today = datetime.date.today().isoformat()
    text = "\n".join([
        "# Detection quality (generated by `scripts/rule_qa.py --write-docs`; do not edit by hand)",
        "",
        f"Measured {today}, engine {mikiwame.__version__}, data {load().data_version}.",
        "",
        "The corpus (`tests/corpus/`, every message real and sourced) is split by a hash of each message's "
        "source site (`tests/corpus_data.py`): rules, lists and weights are tuned on **dev**; **blind** is "
        "only measured. \"Flagged\" means suspicious or scam. **dev-oof** is dev scored with wording models that "
        "never saw the message's site (`train_wording_model.py --cv --oof-out`, `rule_qa.py --oof`): the dev "
        "figure to tune by, since the shipped model learned dev. `blind-new` and "
        f"{', '.join(f'`{b}`' for b in LATER_BATCHES)} are blind messages collected in later rounds; the "
        "latter batches were never looked at while rules changed.",
        "",
        *summary_table(rows),
        "",
        "## How far the figures can move",
        "",
        "Each share with the 95 % interval of a cluster bootstrap over the split's sites (`site_interval`: "
        "2,000 resamplings of whole sites, seeded). A change smaller than the interval's width is within what "
        "another sample of sites of the same size would show.",
        "",
        *intervals,
        "",
        "## By pretext",
        "",
        "The same shares by the pretext each message was labelled with when it was collected (what it claims "
        "or wants: account-security, delivery, romance-wrong-number, warning-about-scams, …; records from the "
        "first rounds have no label). It says which kinds of message the misses and false alarms are.",
        "",
        *pretexts,
        "",
        "## Per rule",
        "",
        "Hits (share of that split's scam or genuine messages). S/O = scam hits / all hits.",
        "",
        *rules,
        "",
        "## Public English sets",
        "",
        *external_table(),
        "",
    ])
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--misses", choices=(*SPLITS, "dev-oof"), help="list the messages of that split called wrongly")
    ap.add_argument("--oof", type=Path, help="fold models from train_wording_model.py --cv --oof-out")
    ap.add_argument("--write-docs", action="store_true", help="write docs/quality.md")
    args = ap.parse_args(argv)

    kb = load()
    for m in SCAM:
        m["kind"] = "scam"
    for m in LEGIT:
        m["kind"] = "legit"
    results = {"scam": _run(SCAM), "legit": _run(LEGIT)}
    if args.oof:
        results = {"scam": results["scam"] + _run_oof(SCAM, args.oof),
                   "legit": results["legit"] + _run_oof(LEGIT, args.oof)}
    rows = summary(results)
    rules = rule_table(results, kb)
    intervals = interval_table(results, ("dev-oof", "blind") if args.oof else ("blind",))
    pretexts = pretext_table(results, ("dev-oof", "blind") if args.oof else ("dev", "blind"))
    print(f"corpus: {len(SCAM)} scam, {len(LEGIT)} genuine · data {kb.data_version} · engine {mikiwame.__version__}\n")
    print("\n".join(summary_table(rows)))
    print()
    print("95 % intervals, sites resampled:")
    print("\n".join(intervals))
    print()
    print("\n".join(rules))
    print()
    print("\n".join(pretexts))
    if args.misses:
        print()
        print("\n".join(misses(results, args.misses)))
    if args.write_docs:
        print(f"\nwrote {write_docs(rows, rules, intervals, pretexts).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
