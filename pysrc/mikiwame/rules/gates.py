"""Which pattern-rule regexes can match a message at all, before any of them is tried (see prefilter.py).

Each matcher (one top-level alternative of a rule's pattern, ``RuleSpec.matchers``) has a gate: words of which
one must be in any text it matches. The gate scanners (``Knowledge.gate_scanners``) find every gate word of a
message (those of one character by ``in``: ``Knowledge.gate_singles``), and a matcher whose gate word is there
is *opened*. Gate words are often common ("を", "in",
"確認"): a benchmark message opens about 13 matchers of which 2 match. So each matcher also carries the
other clauses its regex cannot match without (``prefilter.required_clauses``: "を" and one of "装"/"よそお"),
tested with ``in`` (a substring search in C, a fraction of a regex search's cost); a matcher missing one is
not searched, and its rule is not visited when none of its matchers is left. Zero lost matches by
construction; tests/test_speed_paths.py compares the rules' hits with every matcher scanned in full.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from ..knowledge import Knowledge, _script, trie_regex
from .. import onepass
from .. import prefilter
from ..prefilter import implied, required_clauses


class Gate(NamedTuple):
    """One matcher as the plan knows it: its rule (index into the pattern rules), its index in the rule's
    matchers, and the clauses besides its gate words, each a tuple of words of which one must be in the text."""

    rule: int
    matcher: int
    clauses: tuple[tuple[str, ...], ...]


class Plan(NamedTuple):
    index: dict[str, frozenset[int]]  # gate word → ids of the matchers it (and its prefixes) opens
    gates: tuple[Gate, ...]  # by id: ids follow the (rule, matcher) order, so sorted ids are in rule order
    scanners: tuple[re.Pattern[str], ...]  # ``Knowledge.gate_scanners``, for text that is not all ASCII
    ascii_scanners: tuple[re.Pattern[str], ...]  # for all-ASCII text: one per first character (``_by_first``)
    # beside ``onepass.lookups``, which finds the gate words filed under a trigram: the others (two characters)
    short_scanners: tuple[re.Pattern[str], ...]  # for text that is not all ASCII: the large script groups
    short_ascii_scanners: tuple[re.Pattern[str], ...]  # for all-ASCII text: the large ASCII group, if any
    short_words: tuple[str, ...]  # the small script groups' words, tested with ``in`` (``_short_split``)
    short_ascii_words: tuple[str, ...]  # those of them an all-ASCII text can hold


@functools.cache
def plan(kb: Knowledge) -> Plan:
    """The gate words and clauses of every matcher of ``kb``'s pattern rules, worked out once."""
    gates: list[Gate] = []
    ids: dict[tuple[int, int], int] = {}
    for r, spec in enumerate(kb.rules_by_kind["pattern"]):
        for m, (pattern, _, gate) in enumerate(spec.matchers):
            ids[(r, m)] = len(gates)
            gates.append(Gate(r, m, _other_clauses(pattern.pattern, gate)))
    index = {word: frozenset(ids[pair] for pair in pairs) for word, pairs in kb.matcher_index.items()}
    prefilter.forget_parses()  # kept only while the matchers' gates and clauses were worked out
    keyed = onepass.keys(kb)  # gate words (and brand aliases) found from the wording model's trigrams
    short = [word for word in sorted(kb.matcher_index) if len(word) > 1 and word not in keyed]
    scanned, tested = _short_split(short)
    return Plan(index, tuple(gates), tuple(scanner for scanner, _ in kb.gate_scanners),
                _by_first([word for word in kb.matcher_index if len(word) > 1 and word[0].isascii()]),
                tuple(re.compile(trie_regex(group)) for group in scanned),
                tuple(re.compile(trie_regex(group)) for group in scanned if group[0].isascii()),
                tuple(tested), tuple(word for word in tested if word.isascii()))


# A script group of at most this many two-character gate words is looked for word by word with ``in``.
_TESTED_GROUP = 16


def _short_split(short: list[str]) -> tuple[list[list[str]], list[str]]:
    """The two-character gate words (those ``onepass`` does not find) as the script groups scanned with a trie
    regex, and the words of the small groups, each tested with ``in``.

    A trie regex of a few words still has ``re`` test the class of their first characters at every position
    of the text (about 55 instructions a character) and restart after each hit; ``in`` is a ``memchr``-like
    search in C. The ASCII group ("24", "48", "72", "g-", ": ") and the kana group (8 words) cost about 1.3 µs
    a message each as tries, their ``in`` tests a fraction of that; the 149 kanji words stay in their trie,
    where ``in`` per word would cost more. Every occurrence of every word is what the trie scan finds too,
    so the same matchers open (tests/test_onepass.py compares with the full scan)."""
    scanned: list[list[str]] = []
    tested: list[str] = []
    for group in _by_script(short).values():
        if len(group) <= _TESTED_GROUP:
            tested += group
        else:
            scanned.append(group)
    return scanned, tested


def _by_script(words: list[str]) -> dict[str, list[str]]:
    """``words`` grouped by the script of their first character (``knowledge._script``), as the gate
    scanners are (``Knowledge.gate_scanners``)."""
    scripts: dict[str, list[str]] = {}
    for word in words:
        scripts.setdefault(_script(word[0]), []).append(word)
    return scripts


def _by_first(words: list[str]) -> tuple[re.Pattern[str], ...]:
    """One trie regex per first character of ``words``, for all-ASCII text (English messages).

    There nearly every position is a letter that some gate word starts with, and at each one ``re`` tries
    the alternatives of the one ASCII scanner (``Knowledge.gate_scanners``: one per first character, 32) in
    turn, all of them when the word there is not a gate word. A regex whose words share their first character
    starts with that literal, which ``re`` skips to in a tight loop in C, and tries only the words that start
    there: 32 such scans took the benchmark's English messages about a third less time than the one scanner
    (26 → 17 µs; 9 % fewer instructions, 182k → 166k). Each position's longest word is the same whichever regex
    finds it, so ``scan`` finds the same words (tests/test_prefilter.py)."""
    firsts: dict[str, list[str]] = {}
    for word in sorted(words):
        firsts.setdefault(word[0], []).append(word)
    return tuple(re.compile(trie_regex(group)) for group in firsts.values())


def _other_clauses(pattern: str, gate: frozenset[str] | None) -> tuple[tuple[str, ...], ...]:
    """What the regex needs besides one of its gate words: the required clauses that the gate does not
    already imply, the ones with the longest shortest word first (the likeliest to be missing)."""
    if gate is None:
        return ()
    clauses = [c for c in required_clauses(pattern) if not implied(c, gate)]
    clauses.sort(key=lambda c: (-min(map(len, c)), len(c), sorted(c)))
    return tuple(tuple(sorted(c, key=lambda w: (-len(w), w))) for c in clauses)


def scan(text: str, kb: Knowledge, keyed: list[str] | None = None) -> set[int]:
    """Ids of the matchers with a gate word in ``text``: each scanner restarts one character after each hit,
    so that overlapping words are all seen; a hit stands for the gate words that are its prefixes too. The
    one-character gate words are looked for with ``in`` (``Knowledge.gate_singles``).

    ``keyed``: the gate words filed under a trigram (``onepass.keys``) that ``text`` holds, found from
    the wording model's look-ups (``onepass.lookups``); then only the other gate words are looked for
    (``Plan.short_words`` with ``in``, ``Plan.short_scanners``)."""
    index, _, scanners, ascii_scanners, short, short_ascii, short_words, short_ascii_words = plan(kb)
    found: set[int] = set()
    for word in kb.gate_singles:
        if word in text:
            found.update(index[word])
    is_ascii = text.isascii()
    if keyed is not None:
        for word in keyed:
            found.update(index[word])
        for word in short_ascii_words if is_ascii else short_words:
            if word in text:
                found.update(index[word])
        scanners, ascii_scanners = short, short_ascii
    # an all-ASCII text holds no word that starts with another script, and is scanned one first letter at a time
    for scanner in ascii_scanners if is_ascii else scanners:
        m = scanner.search(text)
        while m is not None:
            found.update(index[m.group()])
            m = scanner.search(text, m.start() + 1)
    return found


def opened(text: str, kb: Knowledge, keyed: list[str] | None = None) -> dict[int, list[int]]:
    """Pattern rule → its matchers (indices, in order) whose gate word and other clauses are all in
    ``text``; rules in order, and none without a matcher left. (The clause test is written out in the
    loop: a function call per opened matcher cost more than most of its substring tests.)"""
    gates = plan(kb).gates
    out: dict[int, list[int]] = {}
    for i in sorted(scan(text, kb, keyed)):
        rule, matcher, clauses = gates[i]
        for clause in clauses:
            for word in clause:
                if word in text:
                    break
            else:
                break  # a clause without a word in the text: the regex cannot match
        else:
            if rule in out:
                out[rule].append(matcher)
            else:
                out[rule] = [matcher]
    return out
