"""The one pass (``onepass.lookups``): gate words and brand aliases found from the wording model's trigrams
are exactly the ones a plain substring test finds, the gates and brands built on them equal the full
scans, and the model's result is the one it computes on its own (issue 9: ``--jsonl`` speed).

Each comparison is with the plain definition (``word in text`` over every word, the trie regexes scanned in
full), on the corpus, a sample of the UCI SMS set, odd input, every rule's examples and seeded random
splices; a test also checks that the fast path is the one taken for most of them, so that a pass that
always gave up (and left everything to the old scans) would fail.
"""

from __future__ import annotations

import random

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mikiwame import entities, learned, onepass
from mikiwame.engine import context
from mikiwame.knowledge import load
from mikiwame.normalise import normalise
from mikiwame.rules import gates
from test_speed_paths import FOLDED, ODD, TEXTS

KB = load()
GATE_WORDS = sorted(w for w in KB.matcher_index if len(w) > 1)
ALIASES = sorted(KB.alias_pattern[1])
_rng = random.Random(9)
SPLICED = [normalise("".join(_rng.choice(TEXTS)[:50] + _rng.choice(ODD)[:15] for _ in range(3))).folded.text
           for _ in range(300)]
EXAMPLES = [normalise(t).folded.text for spec in KB.rules for kind in ("flagged", "not_flagged")
            for t in spec.examples.get(kind, [])]
# Gate words and aliases where blanking hides them (inside a link, an address, after a header label), digits
# and white space the fold changes, words across a line break, an alias in a longer alias, overlapping ones.
EDGE = ["https://amazon-verify.example.com/login 確認", "subject: 未払い料金\nご確認ください", "a@amazon.co.jp 再配達",
        "24時間以内に 72時間", "your\naccount has been 停止", "アマゾンジャパン アマゾン amazon prime amazon",
        "smbc card 三井住友カード三井住友", "佐川急便 佐川 東電", "ａｍａｚｏｎ", "verify your account\tnow", "110番 119番"]
CASES = FOLDED + [normalise(t).folded.text for t in ODD + EDGE] + EXAMPLES + SPLICED


def _plain_present(text: str, words: list[str]) -> list[str]:
    return sorted(w for w in words if w in text)


def test_the_fast_path_is_taken_for_most_texts() -> None:
    taken = [onepass.lookups(t, KB) for t in FOLDED]
    assert sum(lk is not None and lk.gate_words is not None for lk in taken) >= 0.7 * len(FOLDED)
    # words inside a link count for the gates and brands (not for the model, which reads the text blanked)
    text = "see https://amazon.example.com/verify-your-account now"
    blanked = onepass.lookups(text, KB)
    assert blanked is not None and "amazon" in blanked.aliases and "amazon" not in blanked.prepared
    assert gates.scan(text, KB, blanked.gate_words) == gates.scan(text, KB)
    assert onepass.lookups("ab", KB) is None
    # an emoji (outside the BMP) takes the same pass, in the text and inside a link's blanked words
    for text in ("https://x.example/😀 確認", "お荷物📦の確認はこちら", "🎁 amazon gift card 🎁"):
        found = onepass.lookups(text, KB)
        assert found is not None and found.gate_words is not None, text
        assert sorted(found.gate_words) == _plain_present(text, [w for w in GATE_WORDS if w in onepass.keys(KB)])
        assert sorted(found.aliases) == _plain_present(text, ALIASES), text


def test_found_words_are_every_keyed_gate_word_and_alias_in_the_text() -> None:
    keyed = onepass.keys(KB)
    keyed_gates = [w for w in GATE_WORDS if w in keyed]
    found_any = 0
    for text in CASES:
        lk = onepass.lookups(text, KB)
        if lk is None or lk.gate_words is None:
            continue
        assert sorted(lk.gate_words) == _plain_present(text, keyed_gates), text
        assert sorted(lk.aliases) == _plain_present(text, ALIASES), text
        found_any += bool(lk.aliases)
    assert found_any >= 100


def test_every_gate_word_is_keyed_or_scanned() -> None:
    """A gate word of two or more characters is either filed under a trigram of its own (folded as the
    model folds) or in the short scanners: none is lost between them."""
    keyed = onepass.keys(KB)
    plan = gates.plan(KB)
    short = {m.group() for scanner in plan.short_scanners for w in GATE_WORDS if (m := scanner.fullmatch(w))}
    short |= set(plan.short_words)
    assert set(plan.short_ascii_words) == {w for w in plan.short_words if w.isascii()}
    assert not set(plan.short_words) & {m.group() for s in plan.short_scanners for w in GATE_WORDS
                                         if (m := s.fullmatch(w))}  # each word looked for one way
    for word in GATE_WORDS:
        if word in keyed:
            assert keyed[word] in learned._fold_digits_and_spaces(word) and len(keyed[word]) == 3
        else:
            assert len(word) == 2 and word in short, word
    assert len(keyed) >= 0.8 * len(GATE_WORDS)


def test_gates_from_the_pass_equal_the_full_scan() -> None:
    opened = 0
    for text in CASES:
        lk = onepass.lookups(text, KB)
        keyed = lk.gate_words if lk is not None else None
        assert gates.scan(text, KB, keyed) == gates.scan(text, KB), text
        assert gates.opened(text, KB, keyed) == gates.opened(text, KB), text
        opened += keyed is not None and bool(gates.opened(text, KB, keyed))
    assert opened >= 500


def test_alias_hits_equal_the_trie_regex() -> None:
    for text in CASES:
        lk = onepass.lookups(text, KB)
        present = lk.aliases if lk is not None and lk.aliases is not None else _plain_present(text, ALIASES)
        expected = [(m.start(), m.end(), m.group()) for m in KB.alias_pattern[0].finditer(text)]
        assert entities.alias_hits(text, present) == expected, text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["amazon", "amazon prime", "ama", "zon", "アマゾン", "アマゾンジャパン", "佐川", "佐川急便",
                                 " ", "x", "確認", "\n", "1"]), max_size=12))
@example(["amazon", "amazon prime"])
def test_alias_hits_take_the_leftmost_longest_like_finditer(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [(m.start(), m.end(), m.group()) for m in KB.alias_pattern[0].finditer(text)]
    assert entities.alias_hits(text, _plain_present(text, ALIASES)) == expected


def test_brands_and_entities_from_the_pass_equal_the_scans() -> None:
    for text in TEXTS + ODD + EDGE:
        norm = normalise(text)
        lk = onepass.lookups(norm.folded.text, KB)
        if lk is None or lk.aliases is None:
            continue
        assert entities.extract(norm, KB, lk.aliases) == entities.extract(norm, KB), text


def test_the_model_s_score_from_the_pass_is_its_own() -> None:
    flagged = 0
    for text in CASES:
        lk = onepass.lookups(text, KB)
        if lk is None:
            continue
        assert lk.prepared == learned.prepare(text)
        result = learned.score(text, looked_up=lk.looked_up)
        assert result == learned.score(text), text
        flagged += bool(result.top)
    assert flagged >= 200


def test_the_pipeline_makes_the_pass_only_where_the_model_reads() -> None:
    assert context("ご確認ください amazon", None, KB).lookups is not None
    assert context("x" * 1_001, None, KB).lookups is None


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab 確.:/1"), min_size=3, max_size=20), st.data())
@example("abc", None)
def test_blanked_window_holds_every_trigram_blanking_changed(text: str, data: st.DataObject | None) -> None:
    """Every trigram of the text that blanking changed lies inside ``_blanked_window`` (so the words there are
    found from the window's trigrams, and the others from the model's own)."""
    cases = [(t, learned.blank(t)) for t in CASES if learned.blank(t) != t] if data is None else []
    if data is not None:
        blank = data.draw(st.sets(st.integers(0, len(text) - 1), min_size=1))
        blanked = "".join(" " if i in blank else ch for i, ch in enumerate(text))
        cases = [(text, blanked)] if blanked != text else []
    for original, blanked in cases:
        start, end = onepass._blanked_window(original, blanked)
        for i in range(len(original) - 2):
            if original[i:i + 3] != blanked[i:i + 3]:
                assert start <= i and i + 3 <= end, (original, blanked, start, end)
    assert data is not None or len(cases) >= 100
