"""The speed-ups must never change what a rule matches: the regex splitter and the gate words."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus_data import LEGIT, SCAM
from mikiwame.knowledge import load, split_alternatives
from mikiwame.normalise import normalise
from mikiwame.prefilter import implied, required_clauses, required_literals
from mikiwame.rules import gates


def _opened_matchers(text: str, kb) -> set[tuple[int, int]]:  # noqa: ANN001
    """(pattern rule, matcher) pairs that the gate scanners open for ``text`` (``gates.scan``)."""
    by_id = gates.plan(kb).gates
    return {(by_id[i].rule, by_id[i].matcher) for i in gates.scan(text, kb)}


@pytest.mark.parametrize("pattern,parts", [
    (r"\b(?:a|b(?:c|d)|[|)]x)", [("a", True), ("b(?:c|d)", True), ("[|)]x", True)]),
    ("未納|未払|(?:x|y)z", [("未納", False), ("未払", False), ("(?:x|y)z", False)]),
    (r"(?:a|b)(?:c)", [("(?:a|b)(?:c)", False)]),  # not one group: left whole
    (r"a\|b|c", [(r"a\|b", False), ("c", False)]),  # an escaped bar does not split
    (r"x|\by", [("x", False), ("y", True)]),  # a word boundary of its own
    (r"\bx|アクセス", [("x", True), ("アクセス", False)]),  # a leading boundary binds the first alternative only
])
def test_split_alternatives(pattern: str, parts: list) -> None:
    assert split_alternatives(pattern) == parts


@pytest.mark.parametrize("pattern,required", [
    ("法的(?:手続き?|措置)", {"法的"}),
    ("(?:訴訟|提訴)", {"訴訟", "提訴"}),
    ("[0-9]+円", {"円"}),
    ("お?支払", {"支払"}),
    ("a.*", {"a"}),
])
def test_required_literals(pattern: str, required: set) -> None:
    assert required_literals(pattern) == required


def test_required_literals_is_none_when_nothing_is_required() -> None:
    assert required_literals("[0-9]+") is None
    assert required_literals("(?:a|[0-9])") is None  # one branch has no literal


@pytest.mark.parametrize("pattern,clauses", [
    ("(?:を|に)(?:装|よそお)(?:った|う|い)", [{"を", "に"}, {"装", "よそお"}, {"った", "う", "い"}]),
    ("法的(?:手続き?|措置)", [{"法的"}, {"手続", "措置"}]),
    ("(?:お)?支払い?(?:下さい|ください)", [{"支払"}, {"下さい", "ください"}]),  # optional parts require nothing
    ("[0-9]{4,8}\\s*(?:は|が)(?:.{0,20})確認", [{"は", "が"}, {"確認"}]),
    ("(?:a|[0-9])b", [{"b"}]),  # one branch has no literal: the alternation requires nothing
    ("x(?=abc)", [{"x"}]),  # a look-ahead is not looked into
    ("you w[o0]n", [{"you won", "you w0n"}]),  # a small class goes on with the run, in each spelling
    ("[$£€]\\d", [{"$", "£", "€"}]),
    ("a[bc]d[ef]g[hi]j[kl]", [{"abdeghj", "abdegij", "abdfghj", "abdfgij", "acdeghj", "acdegij", "acdfghj", "acdfgij"},
                             {"k", "l"}]),  # at most _SPELLINGS spellings: then the class stands alone
])
def test_required_clauses(pattern: str, clauses: list) -> None:
    assert [set(c) for c in required_clauses(pattern)] == clauses


def test_implied() -> None:
    assert implied(frozenset({"確認"}), frozenset({"ご確認", "確認コード"}))
    assert not implied(frozenset({"確認"}), frozenset({"ご確認", "認証"}))
    assert implied(frozenset({"a", "b"}), frozenset({"xa", "bx"}))


def _clause_texts() -> list[str]:
    """Rule examples and corpus messages, folded as the rules see them."""
    kb = load()
    examples = [t.lower() for spec in kb.rules for kind in ("flagged", "not_flagged") for t in spec.examples.get(kind, [])]
    return examples + [normalise(m["text"]).folded.text for m in SCAM + LEGIT]


def test_every_match_contains_a_word_of_each_required_clause() -> None:
    """Each matcher that matches, on every rule example and corpus message, has a word of each of its
    required clauses inside the match: so skipping a matcher that misses one cannot lose a match."""
    kb = load()
    checked = 0
    for text in _clause_texts():
        for spec in kb.rules_by_kind["pattern"]:
            for pattern, _, _ in spec.matchers:
                for m in pattern.finditer(text):
                    for clause in required_clauses(pattern.pattern):
                        assert any(word in m.group() for word in clause), (spec.slug, text, pattern.pattern, clause)
                        checked += 1
    assert checked >= 2_000


def test_every_rule_match_contains_one_of_its_gate_words() -> None:
    """On every rule example, each matcher that matches has one of its gate words inside the match:
    so skipping a matcher whose words are absent from the text cannot lose a match."""
    kb = load()
    for spec in kb.rules:
        for text in spec.examples.get("flagged", []) + spec.examples.get("not_flagged", []):
            folded = text.lower()
            for pattern, _, gate in spec.matchers:
                for m in pattern.finditer(folded):
                    assert gate is not None and any(word in m.group() for word in gate), (spec.slug, text, pattern.pattern)


def test_split_parts_match_what_the_whole_pattern_matches() -> None:
    kb = load()
    for spec in kb.rules:
        for text in spec.examples.get("flagged", []):
            folded = text.lower()
            whole = any(re.search(p, folded) for p in spec.pattern_texts)
            parts = any(pattern.search(folded) for pattern, _, _ in spec.matchers)
            assert whole == parts, (spec.slug, text)


def _opened_by_substring_search(text: str) -> set[tuple[int, int]]:
    """The slow, obvious reference: a matcher is opened when one of its gate words is a substring."""
    kb = load()
    return {(r, m) for r, spec in enumerate(kb.rules_by_kind["pattern"])
            for m, (_, _, gate) in enumerate(spec.matchers) if any(word in text for word in gate or ())}


_GATE_WORDS = sorted(load().matcher_index)
_GATE_TEXT = st.lists(st.one_of(st.sampled_from(_GATE_WORDS), st.sampled_from(_GATE_WORDS).map(lambda w: w[1:]),
                                st.text(max_size=3)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(_GATE_TEXT)
@example("ご連絡")
@example("package hold your parcel")
@example("お荷物 unpaid 未納")
def test_gate_scanners_open_exactly_the_matchers_whose_words_are_in_the_text(text: str) -> None:
    assert _opened_matchers(text, load()) == _opened_by_substring_search(text)


_ASCII_GATE_WORDS = [w for w in _GATE_WORDS if w.isascii()]
_ASCII_GATE_TEXT = st.lists(st.one_of(st.sampled_from(_ASCII_GATE_WORDS),
                                      st.sampled_from(_ASCII_GATE_WORDS).map(lambda w: w[1:]),
                                      st.text(st.characters(max_codepoint=127), max_size=3)), max_size=12).map("".join)


def _words_by_one_ascii_scanner(text: str) -> set[str]:
    """The form the per-letter scanners replace on all-ASCII text: the one ASCII scanner of
    ``Knowledge.gate_scanners``, restarted one character after each hit."""
    (scanner,) = [scanner for scanner, ascii_words in load().gate_scanners if ascii_words]
    found, m = set(), scanner.search(text)
    while m is not None:
        found.add(m.group())
        m = scanner.search(text, m.start() + 1)
    return found


@settings(max_examples=300, deadline=None)
@given(_ASCII_GATE_TEXT)
@example("if you do not pay the fine of 300, legal action in court")
@example("  a new package")
def test_ascii_text_is_scanned_one_first_letter_at_a_time_with_the_same_result(text: str) -> None:
    kb = load()
    index = gates.plan(kb).index
    by_one = set().union(*(index[word] for word in _words_by_one_ascii_scanner(text)),
                         *(index[word] for word in kb.gate_singles if word in text))
    assert gates.scan(text, kb) == by_one
    assert _opened_matchers(text, kb) == _opened_by_substring_search(text)


def test_gate_scanners_on_the_corpus() -> None:
    for msg in SCAM + LEGIT:
        folded = normalise(msg["text"]).folded.text
        assert _opened_matchers(folded, load()) == _opened_by_substring_search(folded)


def test_each_gate_is_the_rarest_looking_required_clause() -> None:
    """A matcher's gate is one of the clauses its regex cannot match without (so gating by it loses no
    match), the one ``knowledge._rarity`` ranks highest: kanji over kana, signs over a space."""
    from mikiwame.knowledge import _rarity
    from mikiwame.knowledge import split_alternatives

    kb = load()
    checked = 0
    for spec in kb.rules_by_kind["pattern"]:
        parts = [part for text in spec.pattern_texts for part, _ in split_alternatives(text)]
        for part, (_, _, gate) in zip(parts, spec.matchers, strict=True):
            best = required_literals(part)
            if best is None:
                assert gate is None
                continue
            candidates = [frozenset(best), *required_clauses(part)]
            assert gate in candidates, (spec.slug, part)
            assert _rarity(gate) == max(map(_rarity, candidates)), (spec.slug, part)
            checked += 1
    assert checked > 500
    assert _rarity([":", "："]) > _rarity([" "])
    assert _rarity(["よそお", "装"]) > _rarity(["に", "を"])
    assert _rarity(["24", "48", "72"]) > _rarity(["in", "within"])


def test_each_matcher_is_compiled_as_re_compile_compiles_it() -> None:
    """``prefilter.compiled`` builds a matcher's regex from the parse its gate was read from: the very pattern
    object ``re.compile`` makes (Pattern equality compares the flags, the pattern and the compiled code)."""
    from mikiwame.prefilter import compiled

    kb = load()
    regexes = [regex for spec in kb.rules_by_kind["pattern"] for regex, _, _ in spec.matchers]
    assert len(regexes) > 500
    for regex in regexes:
        expected = re.compile(regex.pattern)
        assert regex == expected, regex.pattern
        assert (regex.groups, regex.groupindex) == (expected.groups, expected.groupindex)
    named = compiled(r"(?P<year>\d{4})-(\d\d)(?i:x)")  # groups, names and inline flags too
    assert named == re.compile(r"(?P<year>\d{4})-(\d\d)(?i:x)")
    assert named.groupindex == {"year": 1} and named.groups == 2
    assert named.fullmatch("2026-12X").group("year") == "2026"
