#!/usr/bin/env python3
"""Fit the rules' weights (data/weights.toml) to the dev split, the way SpamAssassin re-scores its rules on
a labelled corpus instead of setting each score by hand.

    .venv/bin/python scripts/train_wording_model.py --cv --dry-run --oof-out .cache/wording_oof.json
    .venv/bin/python scripts/fit_weights.py --oof .cache/wording_oof.json [--cv] [--write]

Which rules fire does not depend on the weights (meta rules combine fired rules, not scores), so each dev
message is checked once and its fired rules kept; a weight vector is then scored on those sets by the
engine's own arithmetic (``score.discounted``: the warning discount included, clamped 0–100, thresholds
from weights.toml). The wording model is trained on dev, so a dev message's MK037 comes from the fold
model that never saw its site (``--oof``, see scripts/rule_qa.py): otherwise the fit would trust the model
exactly as much as it flatters itself.

The objective counts what the issue's targets count: scams flagged and scams called scam, minus genuine
messages flagged (x ``--fp``) and called scam (x ``--fp-scam``), minus a small pull toward the hand-set
weights (``--stay``), so a rule seen a few times keeps roughly the weight its author gave it. Coordinate
ascent over a grid of multiples of 5 (weights stay readable), at most ``--max-move`` from the hand-set weight, positive rules only: signs in the message's
favour, thresholds and the e-mail rules (no e-mail sources in the corpus) are left as they are.

``--email W`` adds the dev halves of the e-mail benchmark (benchmarks/email.py: Phishing Pot as scams,
SpamAssassin easy and hard ham as genuine; the held-out halves are never read) as groups of their own, each
counted W times the corpus in the objective: text rules also fire on whole e-mails, and a weight that
only the corpus saw would be fitted blind to the genuine mail they misfire on.

``--cv`` fits on four site-grouped folds of dev and scores the fifth, beside the hand-set weights on the
same folds: the figure that says whether fitting generalises. The blind split is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pysrc"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from corpus_data import LEGIT, SCAM, site_of  # noqa: E402
from mikiwame.knowledge import load  # noqa: E402
from mikiwame.rules import MAIL_RULES  # noqa: E402
from mikiwame.score import discounted, score  # noqa: E402
from rule_qa import _run_oof  # noqa: E402

GRID = tuple(range(0, 65, 5))
# Shape markers (their meaning is the discount, not a weight) and rules no corpus message can fire; and the
# wording model's two bands: on dev alone the fit lowers them (short genuine Japanese messages are few), which
# would stop the model flagging English spam on its own (UCI and Mendeley training halves, measured apart).
FIXED_PREFIXES = ("talks-about-scams", "broadcast-markers", "scam-like-wording", "leans-scam-like-wording")


def fired_sets(oof: Path) -> list[tuple[frozenset[str], int, str, int, str]]:
    """(fired rules, 1 for scam / 0 for genuine, site, score, group "corpus") of every dev message, MK037
    out of fold."""
    for m in SCAM:
        m["kind"] = "scam"
    for m in LEGIT:
        m["kind"] = "legit"
    rows = []
    for kind, msgs in ((1, SCAM), (0, LEGIT)):
        for x in _run_oof(msgs, oof):
            rows.append((frozenset(x["slugs"]), kind, site_of(x["msg"]["source"]), x["score"], "corpus"))
    return rows


def email_rows() -> list[tuple[frozenset[str], int, str, int, str]]:
    """(fired rules, label, file name, score, group) of each e-mail in the dev halves of benchmarks/email.py."""
    import importlib.util

    # Loaded by its path: benchmarks/ on sys.path would shadow the standard library's email package.
    spec = importlib.util.spec_from_file_location("email_benchmark", ROOT / "benchmarks" / "email.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from mikiwame import engine

    items = [(p.name, p.read_bytes(), 1, "email:phishing") for p in sorted(bench.POT.glob("*.eml"))]
    sa = bench.spam_assassin()
    for name in ("easy ham", "hard ham"):
        items += [(n, t, 0, f"email:{name}") for n, t in bench.sa_messages(sa, bench.SA_SETS[name], None)]
    rows = []
    for name, source, label, group in items:
        if bench.half(name) != "dev":
            continue
        report = engine.check_bytes(source, "en") if isinstance(source, bytes) else engine.check(source, "en")
        rows.append((frozenset(f.slug for f in report.findings), label, name, report.score, group))
    return rows


def scores(rows, weights: dict[str, int], kb) -> list[int]:  # noqa: ANN001
    """Each message's score under ``weights``, by the engine's own arithmetic (``score.discounted``)."""
    return [score(discounted(sorted(slugs), kb, weights), kb.caps) for slugs, *_ in rows]


def tally(rows, weights, kb, group: str | None = "corpus") -> dict[str, int]:
    """Counts of one group's rows (``None``: every row) under ``weights``."""
    sus, scam = kb.thresholds["suspicious"], kb.thresholds["scam"]
    t = {"scam": 0, "legit": 0, "scam_flagged": 0, "scam_scam": 0, "legit_flagged": 0, "legit_scam": 0}
    mine = [r for r in rows if group is None or r[4] == group]
    for (slugs, y, *_), s in zip(mine, scores(mine, weights, kb)):
        k = "scam" if y else "legit"
        t[k] += 1
        t[k + "_flagged"] += s >= sus
        t[k + "_scam"] += s >= scam
    return t


def objective(t: dict[str, int], fp: float, fp_scam: float) -> float:
    return ((t["scam_flagged"] + t["scam_scam"]) / max(1, t["scam"])
            - fp * t["legit_flagged"] / max(1, t["legit"]) - fp_scam * t["legit_scam"] / max(1, t["legit"]))


def groups_value(rows, weights, kb, args) -> float:  # noqa: ANN001
    """The corpus's objective plus each e-mail group's, counted ``--email`` times."""
    value = objective(tally(rows, weights, kb), args.fp, args.fp_scam)
    for group in groups(rows)[1:]:
        value += args.email * objective(tally(rows, weights, kb, group), args.fp, args.fp_scam)
    return value


def fit(rows, kb, start: dict[str, int], free: list[str], args) -> dict[str, int]:
    """Coordinate ascent from the hand-set weights."""
    weights = dict(start)

    def value(w: dict[str, int]) -> float:
        drift = sum(abs(w[s] - start[s]) for s in free) / 5
        return groups_value(rows, w, kb, args) - args.stay * drift

    best = value(weights)
    for _ in range(args.rounds):
        improved = False
        for slug in free:
            for g in GRID:
                if g == weights[slug] or abs(g - start[slug]) > args.max_move:
                    continue
                trial = {**weights, slug: g}
                v = value(trial)
                if v > best + 1e-9:
                    best, weights, improved = v, trial, True
        if not improved:
            break
    return weights


def fold_of(site: str, k: int = 5) -> int:
    return hashlib.sha256(f"mikiwame-fit:{site}".encode()).digest()[0] % k


def line(name: str, t: dict[str, int]) -> str:
    pct = lambda a, b: f"{100 * t[a] / max(1, t[b]):5.1f}%"  # noqa: E731
    return (f"{name:<30} scams flagged {pct('scam_flagged', 'scam')}  called scam {pct('scam_scam', 'scam')}  "
            f"genuine flagged {pct('legit_flagged', 'legit')}  called scam {pct('legit_scam', 'legit')}")


def write(weights: dict[str, int], changed: dict[str, tuple[int, int]]) -> None:
    """Rewrite the changed ``slug = N`` lines of weights.toml in place (comments and order kept)."""
    path = ROOT / "pysrc" / "mikiwame" / "data" / "weights.toml"
    text = path.read_text(encoding="utf-8")
    for slug, (_, new) in changed.items():
        text, n = re.subn(rf"(?m)^{re.escape(slug)} = -?\d+", f"{slug} = {new}", text, count=1)
        if n != 1:
            raise SystemExit(f"weights.toml: no line for {slug}")
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oof", type=Path, required=True, help="fold models (train_wording_model.py --cv --oof-out)")
    ap.add_argument("--fp", type=float, default=4.0, help="cost of a genuine message flagged")
    ap.add_argument("--fp-scam", type=float, default=10.0, help="extra cost of a genuine message called scam")
    ap.add_argument("--stay", type=float, default=0.002, help="pull toward the hand-set weights, per step of 5")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--max-move", type=int, default=10, help="how far a weight may move from the hand-set one")
    ap.add_argument("--email", type=float, default=0.0,
                    help="also fit on the e-mail benchmark's dev halves, each group counted this many times")
    ap.add_argument("--cv", action="store_true", help="site-grouped 5-fold figures: fitted vs hand-set")
    ap.add_argument("--write", action="store_true", help="write the fitted weights into weights.toml")
    args = ap.parse_args(argv)

    kb = load()
    start = {spec.slug: spec.effective_weight for spec in kb.rules}
    free = [s for s, w in start.items() if w >= 0 and not s.startswith(FIXED_PREFIXES) and s not in MAIL_RULES]
    rows = fired_sets(args.oof) + (email_rows() if args.email else [])
    mismatch = sum(a != r[3] for a, r in zip(scores(rows, start, kb), rows))
    if mismatch:
        raise SystemExit(f"{mismatch} messages: this script's arithmetic differs from the engine's score")
    report(rows, start, kb, "hand-set")
    if args.cv:
        held_fit, held_hand = [], []
        for k in range(5):
            train = [r for r in rows if fold_of(r[2]) != k]
            test = [r for r in rows if fold_of(r[2]) == k]
            w = fit(train, kb, start, free, args)
            held_fit += [(r, w) for r in test]
            held_hand += test
        for group in groups(rows):
            t_fit = _sum([tally([r], w, kb, group) for r, w in held_fit if r[4] == group])
            print(line(f"{group} 5-fold, fit", t_fit))
            print(line(f"{group} 5-fold, hand", tally(held_hand, start, kb, group)))
    weights = fit(rows, kb, start, free, args)
    changed = {s: (start[s], weights[s]) for s in free if weights[s] != start[s]}
    report(rows, weights, kb, "fitted")
    for s, (a, b) in sorted(changed.items()):
        print(f"  {s:<28} {a:>3} -> {b:>3}")
    if args.write:
        write(weights, changed)
        print("wrote pysrc/mikiwame/data/weights.toml")
    return 0


def groups(rows) -> list[str]:  # noqa: ANN001
    return ["corpus"] + sorted({r[4] for r in rows} - {"corpus"})


def report(rows, weights, kb, name: str) -> None:  # noqa: ANN001
    """One line per group: the corpus (dev, wording model out of fold) and each e-mail dev half."""
    for group in groups(rows):
        print(line(f"{'dev-oof' if group == 'corpus' else group}, {name}", tally(rows, weights, kb, group)))


def _sum(tallies: list[dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in tallies:
        for k, v in t.items():
            out[k] = out.get(k, 0) + v
    return out


if __name__ == "__main__":
    raise SystemExit(main())
