"""One pass over a message's trigrams for the wording model, the pattern rules' gate words and the brands.

The wording model (learned.py) gathers every distinct trigram of the message's prepared text, packed as
integers, and looks each one up. The pattern rules' gate words (rules/gates.py) were found by scanning the
text again with trie regexes (three on Japanese text, 32 on English), which ``re`` tries at nearly every
position and restarts after every hit. Here the gate words of three characters or more come from the
model's trigram set instead: each is filed under one of its trigrams (its *key*, ``keys``), one set
intersection in C tells which keys the message holds, and an ``in`` test confirms each word filed there.
Only the two-character gate words are still scanned for, by much smaller tries (``gates.plan``), and the
one-character ones are tested with ``in`` as before. Brand aliases are filed the same way, beside the gate
words under the same keys: a message that names no brand (most) is no longer scanned with the trie of
1,800 aliases at all, and one that does is searched for the aliases it holds (``entities.alias_hits``).

Exact, not a heuristic: a gate word or alias that occurs in the folded text occurs, its digits and white
space folded as ``learned.prepare`` folds them, at the same place in the text so folded, so its key is among
that text's trigrams. Where nothing was blanked (about 85 % of the benchmark's messages) those are the very
trigrams the model reads; where a link, an address or a header label was blanked (its words count for the
gates and brands, not for the model), the unblanked text's trigrams around what was blanked are gathered
once more (``_blanked_window``), which still costs less than the scans. The model's own result is untouched:
the same trigram set and weights, made once. Tested against the full scans (tests/test_onepass.py).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from . import learned
from .knowledge import Knowledge, char_rarity


class Lookups(NamedTuple):
    """One message's pass: what ``learned.score`` takes as ``looked_up``, and the gate words found."""

    prepared: str
    grams: set[int]  # its distinct trigrams, packed (``learned.packed_trigrams``)
    weights: list[learned._Weight]  # their weights in the model (``learned._weights``)
    gate_words: list[str] | None  # every keyed gate word in the folded text (None: scan it)
    aliases: list[str] | None  # every brand alias in the folded text (None: scan it)

    @property
    def looked_up(self) -> tuple[str, set[int], list[learned._Weight]]:
        return self.prepared, self.grams, self.weights


class Keys(NamedTuple):
    """The gate words and brand aliases filed under their keys, packed as the model packs trigrams."""

    packed: frozenset[int]
    filed: dict[int, tuple[tuple[str, ...], tuple[str, ...]]]  # key → (gate words, aliases) filed there
    unkeyed_aliases: tuple[str, ...]  # aliases without a key (fewer than three characters): tested with ``in``


def lookups(text: str, kb: Knowledge) -> Lookups | None:
    """The pass over folded ``text`` (None where the model's packed trigrams do not apply: a text shorter
    than three characters, or with one outside the BMP)."""
    m = learned.model()
    blanked = learned.blank(text)
    prepared = learned._fold_digits_and_spaces(blanked)
    grams = learned.packed_trigrams(prepared, m)
    if grams is None:
        return None
    weights = learned._weights(grams, learned._index(m).by_packed)
    packed, filed, unkeyed = packed_keys(kb)
    present = grams & packed
    if blanked != text:  # the words inside links and addresses count: the trigrams where text was blanked
        start, end = _blanked_window(text, blanked)
        held = learned.packed_trigrams(learned._fold_digits_and_spaces(text[start:end]), m)
        if held is None:  # a character outside the BMP in what was blanked
            return Lookups(prepared, grams, weights, None, None)
        present |= held & packed
    words: list[str] = []
    aliases: list[str] = []
    for alias in unkeyed:
        if alias in text:
            aliases.append(alias)
    for key in present:
        gate_words, brand_aliases = filed[key]
        for word in gate_words:
            if word in text:
                words.append(word)
        for alias in brand_aliases:
            if alias in text:
                aliases.append(alias)
    return Lookups(prepared, grams, weights, words, aliases)


def _blanked_window(text: str, blanked: str) -> tuple[int, int]:
    """Where the unblanked text's trigrams can differ from the blanked text's: from two characters before
    the first character blanking changed to the last one changed (``text`` and ``blanked`` differ, same length).

    Outside it the two texts, and their folds, are the same, so a trigram there is among the model's own
    trigrams; only the trigrams that touch what was blanked are gathered again, where the whole text's were
    (a link is a fraction of a message that has one: 15 % of the benchmark's messages). The first and last
    changes are found by halving, comparing slices in C."""
    first = _common_prefix(text, blanked)
    last = len(text) - _common_prefix(text[::-1], blanked[::-1])  # one past the last change
    return max(0, first - 2), min(len(text), last + 2)


def _common_prefix(a: str, b: str) -> int:
    """How many first characters of ``a`` and ``b`` (equal lengths, not equal) are the same."""
    lo, hi = 0, len(a)  # a[:lo] == b[:lo], a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


@functools.cache
def packed_keys(kb: Knowledge) -> Keys:
    """The gate words (``kb.matcher_index``) and brand aliases (``kb.alias_owners``) by their packed keys
    (``keys``)."""
    gate_keys = keys(kb)
    by_key: dict[str, tuple[list[str], list[str]]] = {}
    for word, key in gate_keys.items():
        if word in kb.matcher_index:
            by_key.setdefault(key, ([], []))[0].append(word)
        if word in kb.alias_owners:
            by_key.setdefault(key, ([], []))[1].append(word)
    packed = learned._packed_vocabulary(list(by_key))
    return Keys(frozenset(packed.values()),
                {packed[key]: (tuple(words), tuple(aliases)) for key, (words, aliases) in by_key.items()},
                tuple(sorted(alias for alias in kb.alias_owners if alias not in gate_keys)))


@functools.cache
def keys(kb: Knowledge) -> dict[str, str]:
    """Gate word or brand alias → the trigram (of the word as ``learned.prepare`` folds it) it is filed
    under, for each with a trigram of BMP characters: one within a word (without a space or a digit, which
    every message has: "at " of "nat west" would be tested in every other English message), then the one
    that fewest other words share, a rough measure of how common a trigram is ("ing", "you" are in dozens),
    then the rarest-looking by its characters (``knowledge.char_rarity``, the gates' measure), then the
    first. The fewer words a message's trigrams name in vain, the fewer ``in`` tests."""
    folded = {word: learned._fold_digits_and_spaces(word) for word in [*kb.matcher_index, *kb.alias_owners]}
    usable = {word: [t for t in dict.fromkeys(f[i:i + 3] for i in range(len(f) - 2))
                     if all(ord(ch) <= 0xFFFF for ch in t)]
              for word, f in folded.items()}
    shared: dict[str, int] = {}
    for trigrams in usable.values():
        for t in trigrams:
            shared[t] = shared.get(t, 0) + 1
    return {word: max(trigrams, key=lambda t: (" " not in t and "0" not in t, -shared[t], sum(map(char_rarity, t))))
            for word, trigrams in sorted(usable.items()) if trigrams}
