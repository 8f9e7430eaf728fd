"""A second learned signal: how close a message's wording is to one scam reported before.

The wording model (learned.py) weighs each n-gram on its own; a scam campaign sends one template to many
people, and pages across the web quote it with a name, a date or a link changed. A message that shares most
of a reported scam's *distinctive* wording is very likely that campaign again, and the page can say which
report it resembles, with its source and date.

The library is ``data/scam_templates.json``: the dev split's scam messages (scripts/build_template_library.py;
never the blind split). A message and a template are compared by the cosine of their sets of distinctive
trigrams: trigrams the wording model has a weight for (what it learned to tell scams and genuine messages
apart by), prepared as the model prepares them (``learned.prepare``: links and addresses blanked, digits
folded), that at most ``MAX_SHARE`` of the templates hold. A trigram that every other scam has (those of
「ください」 or "your ") tells nothing of which campaign a message belongs to, and it would make the comparison slow: each
trigram of the message visits the templates that hold it (``postings``).

Chosen out of fold on dev before it was built (each dev message compared with a library and a wording model
that never saw its site; 2026-12-01, 1,110 dev messages, a simulation over the engine's scores): given to the
messages the other rules left "suspicious", a cosine of 0.4 moved 16 dev scams to scam and no genuine message;
0.3 moved one genuine message too. Keeping trigrams held by up to 4 or 6 % of the templates moved fewer scams
at the same cosine and cost each message three to five times the visits (527 and 937 postings, against 182).
Built into the engine, out of fold: 17 dev scams from suspicious to scam, no genuine message moved. With the
seventeenth round's wording model (C = 10: a smaller vocabulary, so fewer distinctive trigrams) it fires on 18
of the 613 dev scams out of fold and on no genuine message (docs/quality.md, README "Corpus and detection
quality"). The data card is ``data/scam_templates.md``.
"""

from __future__ import annotations

import functools
import json
import math
import operator
from collections import Counter
from importlib import resources
from itertools import chain
from typing import NamedTuple

from . import learned
from .normalise import fold

# A trigram held by more than this share of the templates is not distinctive (see the module docstring).
MAX_SHARE = 0.02
# The cosine from which a message counts as worded like a reported scam (chosen out of fold, see above).
SIMILAR = 0.4


class Entry(NamedTuple):
    """One reported scam: the corpus id, its text, the page that quoted it and the date on that page."""
    id: str
    text: str
    source: str
    date: str


class Library(NamedTuple):
    """The templates indexed for one wording model (its vocabulary decides which trigrams are features).

    Only what every comparison needs is made at once: the page's start-up snapshot holds it (``engine.warm_up``).
    A template's own trigram set, wanted only when a message is most like that template, is made then
    (``distinctive``)."""
    entries: tuple[Entry, ...]
    postings: dict[int, tuple[int, ...]]  # distinctive trigram (packed as learned packs it) → the templates holding it
    scale: tuple[float, ...]  # each template's 1/sqrt(number of distinctive trigrams)
    made: dict[int, set[int]]  # the templates' trigram sets made so far (``distinctive``), by template


class Match(NamedTuple):
    similarity: float
    entry: Entry
    present: frozenset[int] | set[int]  # the message's distinctive trigrams (packed)
    index: int  # the template's place in the library

    @property
    def shared(self) -> tuple[str, ...]:
        """The distinctive trigrams the message and the template share, in order. Worked out only when asked:
        nearly every message compared (all but the few that reach ``SIMILAR``) needs its similarity alone,
        and this needs the template's own trigram set and an unpacking of each shared trigram in Python."""
        lib = library()
        return tuple(sorted(map(unpacked, self.present & distinctive(lib, self.index, learned.model()))))


@functools.cache
def entries() -> tuple[Entry, ...]:
    raw = json.loads(resources.files("mikiwame").joinpath("data", "scam_templates.json").read_text(encoding="utf-8"))
    return tuple(Entry(*row) for row in raw["templates"])


_library_of: dict[tuple[int, int], Library] = {}


def library() -> Library:
    """The library indexed for the current wording model (made on first use; a measuring script may swap the
    model or the entries, as scripts/rule_qa.py --oof does)."""
    m, rows = learned.model(), entries()
    key = (id(m.weights), id(rows))
    lib = _library_of.get(key)
    if lib is None:
        _library_of.clear()
        lib = _library_of[key] = build(rows, m)
    return lib


def build(rows: tuple[Entry, ...], m: learned.Model) -> Library:
    """Index ``rows`` by their distinctive trigrams under model ``m``.

    Made once, on the first message in the "suspicious" band (``engine.warm_up`` has one, so the page's
    snapshot holds the index; a batch pays it inside its run): the set operations run in C, against a
    frozenset of the model's packed trigrams, each template's kept only where few templates hold them."""
    vocabulary = frozenset(learned._index(m).by_packed)
    every = [_trigrams(row.text, m) & vocabulary for row in rows]
    held = Counter(chain.from_iterable(every))
    limit = max(1, int(MAX_SHARE * len(rows)))
    keep = frozenset(g for g, n in held.items() if n <= limit)
    grams = [trigrams & keep for trigrams in every]
    postings: dict[int, list[int]] = {g: [] for g in keep}
    for i, trigrams in enumerate(grams):
        for g in trigrams:
            postings[g].append(i)
    scale = tuple(1 / math.sqrt(len(g)) if g else 0.0 for g in grams)
    return Library(rows, {g: tuple(ids) for g, ids in postings.items()}, scale, {})


def distinctive(lib: Library, i: int, m: learned.Model) -> set[int]:
    """Template ``i``'s distinctive trigrams (as ``build`` found them), made on first use and kept in ``made``:
    a batch meets the same few campaigns again and again, the page's snapshot needs none of them."""
    made = lib.made.get(i)
    if made is None:
        made = lib.made[i] = _trigrams(lib.entries[i].text, m) & lib.postings.keys()
    return made


def unpacked(packed: int) -> str:
    """The trigram a packed integer stands for (``learned._packed``: the three characters' low bytes, then
    their high bytes; an all-ASCII text's integers are the same with the high bytes zero)."""
    return "".join(chr((packed >> 8 * j & 0xFF) | (packed >> 8 * (3 + j) & 0xFF) << 8) for j in range(3))


def _trigrams(text: str, m: learned.Model) -> set[int]:
    """A text's packed trigrams as the model reads them (empty where it cannot pack them)."""
    return learned.packed_trigrams(learned.prepare(fold(text).text), m) or set()


def nearest(grams: set[int]) -> Match | None:
    """The template most like a message whose packed trigrams are ``grams`` (``onepass.Lookups.grams``), or
    None when they share no distinctive trigram. Ties go to the template listed first (the set's order of
    integers differs between CPython and Pyodide, whose hashes are 32-bit, so it must not decide).

    Only the templates that share a trigram with the message are visited, each counted once per trigram
    shared (``Counter`` over the postings) and weighed by its ``scale``, all in C; tests/test_templates.py
    holds it equal to the cosine with every template."""
    lib = library()
    present = grams & lib.postings.keys()
    if not present:
        return None
    counts = Counter(chain.from_iterable(map(lib.postings.__getitem__, present)))
    ids = list(counts)
    weighed = list(map(operator.mul, counts.values(), map(lib.scale.__getitem__, ids)))
    top = max(weighed)
    # the first template listed among those of the top weight: one C call when it is the only one (nearly always)
    best = ids[weighed.index(top)] if weighed.count(top) == 1 else min(i for i, w in zip(ids, weighed) if w == top)
    return Match(top / math.sqrt(len(present)), lib.entries[best], present, best)
