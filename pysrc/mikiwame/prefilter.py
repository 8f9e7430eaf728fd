"""Required-literal prefilters for regexes (the idea behind RE2's and Hyperscan's prefilters).

Python's ``re`` only skips ahead quickly when a pattern starts with a literal; most rule patterns start with
an alternation of phrases, so every pattern would otherwise be tried at every position of every message.
``required_literals(pattern)`` finds a set of strings of which at least one must occur in any match, so a
rule whose set has no member in the message is skipped with a few ``str.__contains__`` calls.
Zero false negatives by construction: when the analysis is unsure it returns ``None`` (no prefilter).
"""

from __future__ import annotations

from re import _constants as C  # noqa: N812 - the parser's own name
from re import _parser as sre_parse

Requirement = frozenset[str]


def required_literals(pattern: str) -> Requirement | None:
    return _sequence(list(sre_parse.parse(pattern)))


def _better(a: Requirement | None, b: Requirement | None) -> Requirement | None:
    """Prefer the requirement whose shortest string is longest (fewer chance hits), then the smaller set."""
    if a is None:
        return b
    if b is None:
        return a
    key = lambda r: (min(map(len, r)), -len(r))  # noqa: E731
    return a if key(a) >= key(b) else b


def _sequence(items: list) -> Requirement | None:
    best: Requirement | None = None
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        if op is C.BRANCH:
            branches = [_sequence(list(b)) for b in av[1]]
            if all(branches):
                best = _better(best, frozenset().union(*branches))
        elif op is C.SUBPATTERN:
            best = _better(best, _sequence(list(av[-1])))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            best = _better(best, _sequence(list(av[2])))
        elif op is C.IN and len(av) <= 4 and all(o is C.LITERAL for o, _ in av):
            best = _better(best, frozenset(chr(v) for _, v in av))
    if run:
        best = _better(best, frozenset(["".join(run)]))
    return best
