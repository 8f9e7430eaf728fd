"""MK120 similar-to-reported-scam and its library (``mikiwame.templates``): built from the dev split only,
up to date with the corpus, the indexed search equal to comparing with every template, and the second look
given only to messages the other rules left "suspicious"."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

import mikiwame
from corpus_data import LEGIT, SCAM, site_of
from mikiwame import engine, learned, templates
from mikiwame.knowledge import load
from mikiwame.normalise import fold

ROOT = Path(__file__).resolve().parents[1]
KB = load()
SLUG = "similar-to-reported-scam"


def test_library_is_the_dev_splits_scams_and_up_to_date() -> None:
    """Never a blind message (it would be measured against itself), never a genuine one; and what the build
    script makes from today's corpus."""
    split = {m["id"]: m["split"] for m in SCAM + LEGIT}
    ids = [e.id for e in templates.entries()]
    assert ids and all(i.startswith("scam-") and split[i] == "dev" for i in ids)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_template_library.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _brute(grams: set[int], every: list[set[int]]) -> tuple[float, int] | None:
    """The definition: cosine of distinctive trigram sets with every template, the first one on a tie."""
    mine = grams & templates.library().postings.keys()
    best: tuple[float, int] | None = None
    for i, theirs in enumerate(every):
        if mine and theirs and (shared := len(mine & theirs)):
            cosine = shared / math.sqrt(len(mine) * len(theirs))
            if best is None or cosine > best[0] + 1e-12:  # a tie (to rounding: 1/√n and 3/√(9n)) keeps the first
                best = (cosine, i)
    return best


def _grams(text: str) -> set[int]:
    return learned.packed_trigrams(learned.prepare(fold(text).text), learned.model()) or set()


@pytest.mark.parametrize("every", [3])
def test_indexed_nearest_equals_comparing_with_every_template(every: int) -> None:
    lib = templates.library()
    sets = [templates.distinctive(lib, i, learned.model()) for i in range(len(lib.entries))]
    for m in (SCAM + LEGIT)[::every]:
        grams = _grams(m["text"])
        got = templates.nearest(grams)
        want = _brute(grams, sets)
        if want is None:
            assert got is None
            continue
        assert got is not None and got.entry is lib.entries[want[1]]
        assert got.similarity == pytest.approx(want[0])
        mine = grams & lib.postings.keys()  # the shared trigrams, worked out when asked (``Match.shared``)
        assert got.shared == tuple(sorted(templates.unpacked(g) for g in mine & sets[want[1]]))


def test_distinctive_trigrams_are_held_by_few_templates_and_unpack() -> None:
    """Each distinctive trigram is held by at most MAX_SHARE of the templates, and the packed integer gives
    back the trigram the model knows (the evidence is found by it in the text)."""
    lib = templates.library()
    limit = max(1, int(templates.MAX_SHARE * len(lib.entries)))
    assert max(map(len, lib.postings.values())) <= limit
    packed = learned._packed_vocabulary([g for g in learned.model().weights if len(g) == 3])
    assert lib.postings.keys() <= set(packed.values())
    assert all(templates.unpacked(k) == g for g, k in packed.items())
    assert templates.unpacked(learned.packed_trigrams("abc", learned.model()).pop()) == "abc"


def test_a_suspicious_message_worded_like_a_reported_scam_is_a_scam() -> None:
    """A dev scam that other rules leave "suspicious" on their own, with a detail changed (another ministry's
    name): the second look finds the report, and the finding names its page and date."""
    text = "【国土交通省】重要なお知らせ、必ずお読みください"
    ctx = engine.context(text, None, KB)
    first = engine.counted_weights(engine.run(ctx), KB)
    assert KB.thresholds["suspicious"] <= engine.score(first) < KB.thresholds["scam"]
    report = mikiwame.check(text)
    finding = next(f for f in report.findings if f.slug == SLUG)
    assert report.verdict == "scam"
    source = next(e for e in templates.entries() if e.source == finding.source)
    assert site_of(source.source) in finding.message and source.date in finding.message
    assert all(text[e.start:e.end] == e.text for e in finding.evidence) and finding.evidence


@pytest.mark.parametrize(("text", "verdict"), [
    ("Hi, are we still meeting at 6? I'll bring the book.", "clean"),
    ("【総務省】重要なお知らせ、必ずお読みください https://bit.ly/3xYzAbc までアクセスし、未納料金を至急お支払いください", "scam"),
])
def test_no_second_look_outside_the_suspicious_band(text: str, verdict: str) -> None:
    """Clean stays clean and a scam needs no second look: MK120 never runs on either."""
    decision = engine.decide(text, None, KB)
    assert decision.verdict == verdict
    assert SLUG not in {h.slug for h in decision.hits}


def test_a_warning_that_quotes_the_scam_gets_no_second_look() -> None:
    """A police mail quoting the campaign word for word is expected to resemble it (MK053)."""
    text = ("【県警からのお知らせ】「【総務省】重要なお知らせ、必ずお読みください」という不審なSMSが届いたとの"
            "相談が寄せられています。詐欺の可能性があります。リンクは開かず、警察相談専用電話#9110へ。")
    report = mikiwame.check(text)
    assert SLUG not in {f.slug for f in report.findings}


def test_no_genuine_dev_message_is_second_looked() -> None:
    """In-sample (the whole library, the model that learned dev): no genuine dev message is found worded like
    a reported scam, police warnings that quote scams among them."""
    for m in LEGIT:
        if m["split"] != "dev":
            continue
        report = mikiwame.check(m["text"], m.get("lang", "ja"))
        assert SLUG not in {f.slug for f in report.findings}, m["id"]
