"""Scam texts carry emoji (📦, 🎁, ⚠️, 🙏). An emoji lies outside Unicode's BMP, and the packed trigrams that the
wording model's fast path, the one-pass lookups and the reported-scam templates read once had none for such a
text: a dev scam with "⚠️" put in front lost its likeness to the reported scam it is (60 of 629 dev scams,
fold models). Now an emoji is packed as a private-use character (learned._astral_in_bmp), and what is found
around it is what is found in the same text without it."""

from __future__ import annotations

from pathlib import Path

import pytest

import mikiwame
from corpus_data import SCAM
from mikiwame import learned

SCAMS = sorted((Path(__file__).parent / "fixtures" / "messages").glob("*_scam_*.txt"))


@pytest.mark.parametrize("path", SCAMS, ids=lambda p: p.stem)
def test_an_emoji_around_a_scam_leaves_its_findings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    decorated = "⚠️" + text + " 🙏"
    plain, read = mikiwame.check(text, "ja"), mikiwame.check(decorated, "ja")
    assert {f.slug for f in read.findings} == {f.slug for f in plain.findings}
    assert read.verdict == plain.verdict


def test_similar_to_reported_scam_reads_a_text_with_an_emoji() -> None:
    """Dev scams the reported-scam library matches (each is in it) are still matched with an emoji in front."""
    matched = 0
    for m in SCAM:
        if m["split"] != "dev" or not m["id"].startswith("scam-en"):
            continue
        if "similar-to-reported-scam" in {f.slug for f in mikiwame.check(m["text"], "en").findings}:
            matched += 1
            decorated = {f.slug for f in mikiwame.check("📦 " + m["text"], "en").findings}
            assert "similar-to-reported-scam" in decorated, m["id"]  # the id only: a corpus text is not printed
    assert matched >= 5


def test_each_emoji_is_its_own_character() -> None:
    m = learned.model()
    one = learned.packed_trigrams("a😀b😀c", m)
    two = learned.packed_trigrams("a😀b😁c", m)
    assert len(one) == learned.size_of("a😀b😀c", m.sizes) == 3
    assert len(two) == learned.size_of("a😀b😁c", m.sizes) == 3
    # a private-use character already in the text is not reused for an emoji
    assert len(learned.packed_trigrams("\ue000😀\ue000😀", m)) == learned.size_of("\ue000😀\ue000😀", m.sizes)
