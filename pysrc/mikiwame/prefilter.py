"""Required-literal prefilters for regexes (the idea behind RE2's and Hyperscan's prefilters).

Python's ``re`` only skips ahead quickly when a pattern starts with a literal; most rule patterns start with
an alternation of phrases, so every pattern would otherwise be tried at every position of every message.
``required_literals(pattern)`` finds a set of strings of which at least one must occur in any match, so a
rule whose set has no member in the message is skipped with a few ``str.__contains__`` calls.
``required_clauses(pattern)`` finds every such set the pattern cannot do without (a conjunction: each one
must have a member in the text), so a regex whose gate word is there but whose other words are not is
skipped as well. Zero false negatives by construction: when the analysis is unsure it requires nothing
(``None``, or no clause).
"""

from __future__ import annotations

import _sre
import functools
import re
from re import _compiler
from re import _constants as C  # noqa: N812 - the parser's own name
from re import _parser as sre_parse

Requirement = frozenset[str]


def required_literals(pattern: str) -> Requirement | None:
    return functools.reduce(_better, _pattern_clauses(pattern), None)  # what ``_sequence`` finds


def required_clauses(pattern: str) -> tuple[Requirement, ...]:
    """Every requirement of ``pattern``: its literal runs and the groups, alternations and repeats (at least
    once) of its top-level sequence, looked into recursively; ``required_literals`` is the best single one."""
    return tuple(dict.fromkeys(_pattern_clauses(pattern)))


@functools.lru_cache(maxsize=1024)
def _analysed(pattern: str) -> tuple[sre_parse.SubPattern, tuple[Requirement, ...]]:
    """``re``'s parse of a pattern and its ``_clauses``, worked out once for the questions asked of each
    matcher's regex (``RuleSpec.matchers`` asks both functions above and compiles it from this parse,
    ``rules.gates.plan`` asks the second again). Each of the 862 matchers' patterns was walked three times
    and parsed a second time by ``re.compile`` (parsing is about half of compiling): work of ``warm_up()``,
    which a first visit of the page pays before the engine is ready. ``forget_parses`` lets them go once
    the gates are made."""
    parsed = sre_parse.parse(pattern)
    return parsed, tuple(_clauses(list(parsed)))


def _pattern_clauses(pattern: str) -> tuple[Requirement, ...]:
    return _analysed(pattern)[1]


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the parse the analysis made (``_analysed``) instead of a second
    one: the last steps of ``re._compiler.compile``, the same pattern object (tests/test_prefilter.py
    compares them, code and all). With flags, or where this Python's ``re`` internals differ, ``re.compile``
    itself."""
    if flags:
        return re.compile(pattern, flags)
    parsed = _analysed(pattern)[0]
    try:
        code = _compiler._code(parsed, 0)
        state = parsed.state
        indexgroup: list[str | None] = [None] * state.groups
        for name, i in state.groupdict.items():
            indexgroup[i] = name
        return _sre.compile(pattern, state.flags, code, state.groups - 1, state.groupdict, tuple(indexgroup))
    except (AttributeError, TypeError):
        return re.compile(pattern)


def forget_parses() -> None:
    _analysed.cache_clear()


def _clauses(items: list) -> list[Requirement]:
    """The requirements of a sequence, all of which hold in any match: an alternation needs one of its
    branches' best requirements (``_sequence``), a group or repeat everything its own sequence needs."""
    out: list[Requirement] = []
    run = [""]  # the literal run so far, in each of its spellings (a small class multiplies them: w[o0]n)
    for op, av in items:
        if op is C.LITERAL:
            run = [r + chr(av) for r in run]
            continue
        chars = _small_class(op, av)
        if chars and len(run) * len(chars) <= _SPELLINGS:
            run = [r + ch for r in run for ch in chars]
            continue
        if run != [""]:
            out.append(frozenset(run))
            run = [""]
        if op is C.BRANCH:
            branches = [_sequence(list(b)) for b in av[1]]
            if all(branches):
                out.append(frozenset().union(*branches))
        elif op is C.SUBPATTERN:
            out += _clauses(list(av[-1]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            out += _clauses(list(av[2]))
        elif chars:
            out.append(frozenset(chars))
    if run != [""]:
        out.append(frozenset(run))
    return out


# A literal run goes on through a small class while it has at most this many spellings ("w[o0]n": "won",
# "w0n"). Before, the class ended the run, and "w" alone became the gate of "(?:you|u|…) (?:awarded|w[o0]n)":
# one letter that nearly every English message holds, opening a regex that then failed (0.4 a message).
_SPELLINGS = 8


def _small_class(op: object, av: object) -> list[str] | None:
    """The characters of a class of at most four literals (``[o0]``), else None."""
    if op is C.IN and len(av) <= 4 and all(o is C.LITERAL for o, _ in av):
        return [chr(v) for _, v in av]
    return None


def implied(clause: Requirement, by: Requirement) -> bool:
    """Does a text holding a member of ``by`` always hold one of ``clause``? (Each member of ``by``
    contains a member of ``clause``.)"""
    return all(any(word in longer for word in clause) for longer in by)


def _better(a: Requirement | None, b: Requirement | None) -> Requirement | None:
    """Prefer the requirement whose shortest string is longest (fewer chance hits), then the smaller set."""
    if a is None:
        return b
    if b is None:
        return a
    key = lambda r: (min(map(len, r)), -len(r))  # noqa: E731
    return a if key(a) >= key(b) else b


def _sequence(items: list) -> Requirement | None:
    """The one best requirement of a sequence: the first of its clauses that ``_better`` prefers."""
    return functools.reduce(_better, _clauses(items), None)


def least_count(pattern: str, chars: frozenset[str]) -> int:
    """The fewest characters from ``chars`` that any match of ``pattern`` consumes: a text holding fewer
    cannot match (the phone regexes need 7 or 9 digits, which most messages lack). Zero false negatives by
    construction: a class counts only when every character it can match is in ``chars``, look-arounds and
    anything unsure count nothing."""
    return _least(list(sre_parse.parse(pattern)), chars)


def _least(items: list, chars: frozenset[str]) -> int:
    total = 0
    for op, av in items:
        if op is C.LITERAL:
            total += chr(av) in chars
        elif op is C.IN:
            total += _class_within(av, chars)
        elif op is C.SUBPATTERN:
            total += _least(list(av[-1]), chars)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            total += av[0] * _least(list(av[2]), chars)
        elif op is C.BRANCH:
            total += min(_least(list(branch), chars) for branch in av[1])
    return total


def _class_within(items: list, chars: frozenset[str]) -> bool:
    """Can a character class match only characters of ``chars``? (Literals and ranges only; a negated
    class or a category is never within.)"""
    for op, av in items:
        if op is C.LITERAL:
            if chr(av) not in chars:
                return False
        elif op is C.RANGE:
            if any(chr(code) not in chars for code in range(av[0], av[1] + 1)):
                return False
        else:
            return False
    return bool(items)
