"""A learned signal: how much a message's wording resembles scam messages, from character n-grams.

Phrase rules only see the wordings they were written from; a linear model over short character sequences
(trigrams of the folded text: the sizes are stored with the weights) generalises to new wordings of the
same pretexts ("your parcel", "再配達", "verify", "ご確認"). It is trained by ``scripts/train_wording_model.py`` (scikit-learn, a
development-only dependency) and shipped as a data file of weights, ``data/wording_model.json``, whose data
card (``data/wording_model.md``) names the training data. Here it is plain Python, so it runs the same in
CPython and Pyodide.

The model explains itself: the phrases whose n-grams pushed the score up most are returned as evidence.
"""

from __future__ import annotations

import functools
import json
import math
import operator
import re
import string
import struct
import sys
from importlib import resources
from typing import NamedTuple

from .entities import _DOT_LETTER, _EMAIL, _MASKED_URL, url_matches
from .normalise import NUMBER_LINE, NUMBER_START

# The model learned from SMS- and chat-length messages (corpus scams: median 129 characters, 4 of 429 over
# 800). On a longer text, or on an e-mail read with its headers (mailing-list prose), it is outside what it
# learned and reads ordinary prose as scam-like (SpamAssassin's genuine e-mails: benchmarks/email.py), so
# it says nothing there (rules/wording.py ``reads``), and the library of reported scams it is the vocabulary
# of keeps templates no longer than this (templates.py).
READ_LIMIT = 1_000


class Model(NamedTuple):
    weights: dict[str, float]
    bias: float
    sizes: tuple[int, ...]
    threshold: float  # probability at or above which the wording counts as scam-like
    confident: float  # at or above this, the wording counts in full beside another clue
    alone: float  # at or above this, it counts in full with no other clue (no link, number or ask)


class Score(NamedTuple):
    probability: float
    top: tuple[tuple[int, int], ...]  # the strongest scam-ward phrases: (start, end) in the folded text


# Links and addresses are judged by the link rules, not by wording: their characters become spaces, so a
# domain's letters ("bit.ly", ".cn") are neither a feature nor a piece of evidence. What a link or an address
# looks like is defined once, by the entity extractor's patterns (_URL, _MASKED_URL, _EMAIL).


# Header labels are layout, not wording: e-mails quoted on warning pages start "Subject:", and every e-mail
# the intake reads shows "From:" and "Subject:" lines, so the labels must not count either way.
_LABEL = re.compile(r"(?m)^[ \t]*(?:from|to|cc|subject|date|sent|reply-to|return-path|authentication|件名|差出人|宛先|"
                    r"本文|送信者|送信元|送信日時|日時)[ \t]*:")

# A number alone on the first line, with the message under it, is the sender's (the thread's header that a
# copied conversation or a screenshot's text starts with: ``entities._sender_phone``), not the message's
# wording: a number the message gives to call is judged by the phone rules, and this one by none.
_SENDER_NUMBER = re.compile(r"\A" + NUMBER_LINE + r"(?=\n\s*\S)")


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


# A quoting page's masks are the page's, not the message's wording: "03-xxxx-xxxx", "○○様", "××銀行",
# "[name]", "{serviceaddress}", "<merchant_name>", "(reference number)", "redacted", "(sic)". A received
# message never holds them, and warning pages mask scams more than genuine notices, so as n-grams they taught
# the model the quoting and not the scam (dev, site-grouped folds: more scams ranked above 1, 2, 4 % of genuine
# messages with them blanked, in each of four fold layouts). Each kind of mask run is its own regex, tried
# only where one of its cues is in the text (a leading look-behind makes Python's re try every position, and
# most texts hold no mask); then a bracketed mask word, where an opening bracket is.
_MASK_RUNS = (
    (re.compile(r"(?<![a-z])x{3,}(?![a-z])"), ("xxx",)),  # 03-xxxx-xxxx, not "taxxxi"
    (re.compile(r"[○〇●◯□△×＊*]{2,}"), ("*", "○", "〇", "●", "◯", "□", "△", "×", "＊")),
    (re.compile(r"\bredacted\b|\(sic\)"), ("redacted", "(sic")),
)
_BRACKET_MASK = re.compile(r"[\[{<(][a-z0-9_ ]{0,20}(?:name|number|address|date|time|amount|link|url|digits|"
                           r"merchant|redacted|deleted|removed)[a-z0-9_ ]{0,20}[\]}>)]")


def _blanked_masks(text: str) -> str:
    """``text`` with a quoting page's masks (``_MASK_RUNS``, ``_BRACKET_MASK``) as spaces."""
    for pattern, cues in _MASK_RUNS:
        for cue in cues:
            if cue in text:
                text = pattern.sub(_blank, text)
                break
    if ("(" in text or "[" in text or "{" in text or "<" in text) and _BRACKET_MASK.search(text):
        text = _BRACKET_MASK.sub(_blank, text)
    return text


# The same folding as training: digits are all "0" (a code or price is not wording), every white-space
# character is one space; both keep the text's length, so n-gram offsets stay offsets into the folded view.
# Done by ``str.replace``, one character at a time (``_fold_digits_and_spaces``): each is a ``memchr``-like
# search in C that returns the text itself when the character is absent. ``re.sub`` over a character class
# tests the class at every position of the text (about 32k instructions for a benchmark message, against
# 11k), and ``str.translate`` with a mapping looks every character of a Japanese text up in a dict.
_AS_ZERO = "123456789"
_AS_SPACE = "\n\t\r\u3000"
# ``_fold_digits_and_spaces`` of an ASCII byte: a digit as "0", newline, tab and carriage return as a space.
_ASCII_FOLD = bytes(ord("0") if chr(b) in "0" + _AS_ZERO else ord(" ") if chr(b) in _AS_SPACE else b
                    for b in range(256))


def prepare(text: str) -> str:
    """The text the n-grams are taken from (same length as ``text``): links, addresses, header labels and
    a quoting page's masks blanked (``blank``), digits and white space folded (``_fold_digits_and_spaces``)."""
    return _fold_digits_and_spaces(blank(text))


def blank(text: str) -> str:
    """``text`` with its links, masked links, addresses, header labels, a sender's number heading it and a
    quoting page's masks as spaces
    (same length; ``text`` itself, equal, when it has none).

    Each blanking pattern runs only when the text holds what every match of it must contain (a link
    "http", "www." or a dot before a letter; a masked link "://"; an address "@"; a header label ":"), so
    prose is not scanned four times for nothing. Tested equal to its plain definition
    (tests/test_speed_paths.py)."""
    if "." in text or ":" in text:
        if "http" in text or "www." in text or _DOT_LETTER.search(text):
            text = _blanked_links(text)
        if "://" in text:
            text = _MASKED_URL.sub(_blank, text)
        if "@" in text:
            text = _EMAIL.sub(_blank, text)
        # a label starts a line: in text without "\n" only at its start, where one anchored try tells
        if ":" in text and ("\n" in text or _LABEL.match(text)):
            text = _LABEL.sub(_blank, text)
    if text[:1] in NUMBER_START and "\n" in text:
        text = _SENDER_NUMBER.sub(_blank, text)
    return _blanked_masks(text)


def _blanked_links(text: str) -> str:
    """``_URL.sub(_blank, text)`` from the link extractor's matches (``entities.url_matches``, searched from
    where a link can start at the earliest; the same matches, tests/test_speed_paths.py)."""
    out: list[str] = []
    pos = 0
    for m in url_matches(text):
        start, end = m.span()
        out += (text[pos:start], " " * (end - start))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _fold_digits_and_spaces(text: str) -> str:
    """Every digit as "0" and every white-space character (newline, tab, carriage return, ideographic
    space) as one space: what ``re.sub("[0-9]", "0", …)`` then ``re.sub("[\\n\\t\\r\\u3000]", " ", …)`` give.

    All-ASCII text (a third of the benchmark's messages) goes through its bytes: one ``bytes.translate`` by
    a table of 256 bytes (``_ASCII_FOLD``) between two ASCII copies, in C, where each of the 12 characters
    it can hold was looked for in turn (callgrind: 2.0k fewer instructions a benchmark message)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
    for digit in _AS_ZERO:
        if digit in text:
            text = text.replace(digit, "0")
    for space in _AS_SPACE:
        if space in text:
            text = text.replace(space, " ")
    return text


def ngrams(text: str, sizes: tuple[int, ...]) -> dict[str, int]:
    """Each distinct n-gram of ``text`` with the offset of its first occurrence (features are binary).
    N-grams made only of spaces or digits carry no wording and are skipped."""
    seen: dict[str, int] = {}
    for n in sizes:
        for i in range(len(text) - n + 1):
            gram = text[i:i + n]
            if gram not in seen and gram.strip(" 0"):
                seen[gram] = i
    return seen


@functools.cache
def model() -> Model:
    raw = json.loads(resources.files("mikiwame").joinpath("data", "wording_model.json").read_text(encoding="utf-8"))
    return from_json(raw)


def from_json(raw: dict) -> Model:
    """A model as wording_model.json (or a fold model of scripts/train_wording_model.py --cv) holds it."""
    return Model(raw["weights"], raw["bias"], tuple(raw["sizes"]), raw["threshold"], raw["confident"],
                 raw.get("alone", raw["confident"]))


def size_of(prepared: str, sizes: tuple[int, ...]) -> int:
    """How many distinct n-grams a prepared text has (all of them, spaces and digits included): the
    length the features are scaled by, in training and here."""
    return len({prepared[i:i + n] for n in sizes for i in range(len(prepared) - n + 1)})


class _Weight(float):
    """A weight of the model that carries its n-gram's place (from 1) in ``_Index.heaviest``, the ranking of
    the scam-ward n-grams (0 for a weight that is not positive).

    The evidence needs the places of a message's heaviest scam-ward n-grams. Kept on the weight, they are
    read from the weights that the score looked up anyway (``_ranked``), where a second dict of places cost a
    second look-up for every n-gram of the message, each a likely cache miss in a table of thousands; and
    ``math.fsum`` adds a float subclass as the float it is, so the score is the same number."""

    __slots__ = ("rank",)


_RANK = operator.attrgetter("rank")


class _Index(NamedTuple):
    """The model's weights keyed for lookup, made once per model (``_index``)."""
    by_gram: dict[str, _Weight]  # n-gram → its weight
    by_packed: dict[int, _Weight]  # trigrams of BMP characters only (``_packed``) → the same weight objects
    heaviest: tuple[tuple[float, str], ...]  # every scam-ward (weight, n-gram), heaviest first, after a blank


_index_of: dict[int, tuple[Model, _Index]] = {}


def _index(m: Model) -> _Index:
    """The lookup index of model ``m`` (made on first use; a measuring script may swap the model)."""
    cached = _index_of.get(id(m.weights))
    if cached is not None and cached[0].weights is m.weights:
        return cached[1]
    heaviest = sorted(((w, g) for g, w in m.weights.items() if w > 0), reverse=True)
    rank = {g: r for r, (_, g) in enumerate(heaviest, 1)}
    by_gram: dict[str, _Weight] = {}
    for g, w in m.weights.items():
        by_gram[g] = weight = _Weight(w)
        weight.rank = rank.get(g, 0)
    packed = _packed_vocabulary([g for g in m.weights if len(g) == 3])
    index = _Index(by_gram, {k: by_gram[g] for g, k in packed.items()}, ((0.0, ""), *heaviest))
    _index_of.clear()
    _index_of[id(m.weights)] = (m, index)
    return index


def _packed_vocabulary(grams: list[str]) -> dict[str, int]:
    """Each trigram of BMP characters in ``grams`` → its packed integer, all in one ``_packed`` call over
    the trigrams written one after another (every third trigram of that text is one of them): one call per
    n-gram cost the page's first check tens of milliseconds."""
    units = "".join(grams).encode("utf-16-le", "surrogatepass")
    if len(units) != 6 * len(grams):  # some character outside the BMP: leave those trigrams out
        grams = [g for g in grams if len(g.encode("utf-16-le", "surrogatepass")) == 6]
        units = "".join(grams).encode("utf-16-le", "surrogatepass")
    if not grams:
        return {}
    return dict(zip(grams, _packed(units, 3 * len(grams) - 2)[::3]))


def _packed(units: bytes | bytearray, count: int) -> memoryview:
    """The first ``count`` trigrams of a text given as UTF-16 code units (``units``; every character in the
    BMP, so one unit each), each as one 64-bit integer holding its three units side by side.

    An integer is made, hashed and compared for much less than a three-character string. The six bytes of
    each are laid out by six strided byte copies (``bytearray`` slice assignment, a tight loop in C; a
    strided ``memoryview`` copy of two-byte items calls ``memcpy`` per item), and read back as integers
    through a ``memoryview``. The three low bytes come first: a set or dict places an integer by its low
    bits, and a Japanese character's high byte is nearly always the same (0x30 for kana), so integers
    that began with one character's two bytes crowded into the same slots. Two texts' trigrams are equal
    exactly when their integers are (the packing is one-to-one), so counts and matches are those of the
    strings."""
    out = bytearray(8 * count)
    n = 2 * count
    for k in range(3):  # unit i + k of the text: its low byte in byte k, its high byte in byte 3 + k
        out[k::8] = units[2 * k:n + 2 * k:2]
        out[3 + k::8] = units[2 * k + 1:n + 2 * k:2]
    return memoryview(out).cast("Q")


def _packed_ascii(chars: bytes | bytearray, count: int) -> memoryview:
    """``_packed`` for a text of ASCII characters given as its bytes: the same integers, each the three
    bytes of a trigram side by side in a 32-bit item (three strided copies instead of six, and a buffer
    half the size). A character below U+0100 has a high byte of zero, so ``_packed``'s three high bytes
    are zero and its integer is ``c0 + c1 << 8 + c2 << 16``, as here; the items are read in the machine's
    byte order, as ``_packed``'s are, so the two agree where that order is little-endian (``_ASCII_PACKS``;
    tests/test_speed_paths.py)."""
    out = bytearray(4 * count)
    for k in range(3):
        out[k::4] = chars[k:count + k]
    return memoryview(out).cast("I")


# ``_packed_ascii`` gives ``_packed``'s integers only where 32-bit items are little-endian (x86, ARM, wasm).
_ASCII_PACKS = sys.byteorder == "little" and struct.calcsize("I") == 4


def _grams(prepared: str, m: Model) -> tuple[set, dict]:
    """The distinct n-grams of ``prepared`` (all of them: their number scales the score), with the model's
    weights under the same form of key.

    Fast path (trigrams of a text whose characters are all in the BMP, i.e. nearly every message): the
    trigrams as packed integers (``packed_trigrams``), gathered by ``set`` in C. Otherwise one set
    comprehension of strings. N-grams of only spaces and digits, which ``ngrams`` skips, are never among the
    weights (training took its features from ``ngrams``). Tested equal to the plain definition
    (tests/test_speed_paths.py)."""
    index = _index(m)
    packed = packed_trigrams(prepared, m)
    if packed is not None:
        return packed, index.by_packed
    text = prepared
    return {text[i:i + n] for n in m.sizes for i in range(len(text) - n + 1)}, index.by_gram


def packed_trigrams(prepared: str, m: Model) -> set[int] | None:
    """The distinct trigrams of ``prepared`` as packed integers (``_packed``), or None where the model's
    n-grams are not trigrams or the text is shorter than one. A character outside the BMP (an emoji: 📦, 🎁,
    common in scam texts) is packed as a private-use character (``_astral_in_bmp``)."""
    text = prepared
    if m.sizes == (3,) and len(text) >= 3:
        # as a bytearray: ``_packed``'s slice assignments copy any other source into one first, at each slice
        if _ASCII_PACKS and text.isascii():  # a third of the messages: one byte a character, half the copies
            return set(_packed_ascii(bytearray(text, "ascii"), len(text) - 2))
        units = bytearray(text, "utf-16-le", "surrogatepass")
        if len(units) != 2 * len(text):  # a character outside the BMP takes two units
            bmp = _astral_in_bmp(text)
            if bmp is None:
                return None
            units = bytearray(bmp, "utf-16-le", "surrogatepass")
        return set(_packed(units, len(text) - 2))
    return None


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_PRIVATE_USE = range(0xE000, 0xF900)  # the BMP's private-use area: no model weight, no template holds one


def _astral_in_bmp(text: str) -> str | None:
    """``text`` with each distinct character outside the BMP replaced by its own private-use character that
    ``text`` does not hold (None in the unlikely text where too few are free). One for one, so the text has
    as many distinct trigrams as before, and none of those with such a character is the model's or a
    template's (the model has no weight for either kind, tests/test_speed_paths.py): what a message is scored
    on, and how many trigrams it is divided by, is what the string path finds, while the trigrams around an
    emoji (「お荷物📦の確認」) are the model's and the templates' as in any other text."""
    free = (chr(code) for code in _PRIVATE_USE if chr(code) not in text)
    table: dict[int, str] = {}
    for char in dict.fromkeys(_ASTRAL.findall(text)):
        sub = next(free, None)
        if sub is None:
            return None
        table[ord(char)] = sub
    return text.translate(table)


def _weights(grams: set, weight: dict) -> list[_Weight]:
    """The weights of the n-grams of ``grams`` that have one, looked up straight from the set (``filter``
    drops the ``None`` of an n-gram without one; a weight of zero, which it also drops, adds nothing)."""
    return list(filter(None, map(weight.get, grams)))


def _total(size: int, weights: list[_Weight], m: Model) -> float:
    """Bias plus ``weights`` over sqrt(``size``, the number of distinct n-grams). ``math.fsum`` is exact,
    so the result does not depend on the set's order, which follows string hashes and differs between
    processes (PYTHONHASHSEED)."""
    return m.bias + math.fsum(weights) / max(1, size) ** 0.5


def logit(prepared: str, m: Model) -> float:
    """The model's log-odds for a prepared text: each n-gram present counts 1/sqrt(the number of distinct
    n-grams), so a long e-mail is not a scam for adding up many small weights (training scales the same)."""
    grams, weight = _grams(prepared, m)
    return _total(len(grams), _weights(grams, weight), m)


# How many of the heaviest scam-ward n-grams the evidence is built from.
_EVIDENCE_GRAMS = 12


def score(folded: str, top_n: int = 3, looked_up: "tuple[str, set, list[_Weight]] | None" = None) -> Score:
    """Probability that the wording is a scam's; when it reaches the model's threshold, also the ``top_n``
    phrases that pushed it up most (worked out only then, from the heaviest n-grams).

    ``looked_up``: the prepared text, its n-grams and their weights as ``onepass.lookups`` found them for
    ``folded`` with this model (the same weights, and zero-weight entries that count for nothing)."""
    m = model()
    if looked_up is None:
        prepared = prepare(folded)
        grams, weight = _grams(prepared, m)
        weights = _weights(grams, weight)
    else:
        prepared, grams, weights = looked_up
    probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, _total(len(grams), weights, m)))))
    if probability < m.threshold:
        return Score(probability, ())
    return Score(probability, phrases(prepared, _ranked(weights, _index(m)), top_n))


def phrases(text: str, heaviest: list[tuple[float, str]], top_n: int) -> tuple[tuple[int, int], ...]:
    """Readable evidence from the heaviest scam-ward (weight, n-gram) pairs, heaviest first (``_ranked``):
    each placed where it first occurs, merged where they touch or overlap, widened to whole Latin words;
    the ``top_n`` heaviest phrases of at least three letters are kept, once each, in reading order.

    Written for the half of the messages that the model flags, each of which needs it (about a twelfth of a
    message's work before): the run being merged is kept in three names rather than a list changed in place;
    ``_widen`` is called only for a run that starts or ends with a Latin letter or a space (the only ones it
    changes), a phrase that is all letters or digits is counted as such without a call per character, and
    the runs are sorted as tuples (weight, start, then their order: ``sorted``'s key as first written, and
    as stable). Tested equal to that first form (tests/test_speed_paths.py)."""
    find = text.find
    spans = sorted([(start, start + len(g), w) for w, g in heaviest if (start := find(g)) >= 0])
    if not spans:
        return ()
    lines = "\n" in text  # never in a prepared text (``prepare`` makes it a space); kept for any other
    merged: list[tuple[int, int, float]] = []
    a, b, w = spans[0]
    for a2, b2, w2 in spans[1:]:
        if a2 <= b + 1 and not (lines and "\n" in text[b:a2]):
            if b2 > b:
                b = b2
            w += w2
        else:
            merged.append((a, b, w))
            a, b, w = a2, b2, w2
    merged.append((a, b, w))
    runs, seen = [], set()
    for order, (a, b, w) in enumerate(merged):
        if text[a] in _WIDENS or text[b - 1] in _WIDENS:
            a, b = _widen(text, a, b)
        phrase = text[a:b]
        if (phrase.isalnum() and len(phrase) >= 3 or sum(map(str.isalnum, phrase)) >= 3) and phrase not in seen:
            seen.add(phrase)  # words, not punctuation
            runs.append((-w, a, order, b))
    runs.sort()
    return tuple(sorted([(a, b) for _, a, _, b in runs[:top_n]]))


def _ranked(weights: list[_Weight], index: _Index) -> list[tuple[float, str]]:
    """The ``_EVIDENCE_GRAMS`` heaviest scam-ward (weight, n-gram) pairs among a message's ``weights``,
    heaviest first (ties broken by the n-gram, so the choice is the same in every process): what
    ``heapq.nlargest`` picks from the pairs of positive weight. Each weight carries its n-gram's place in the
    model's own ranking (``_Weight``; 0, dropped, when not positive), so only small integers are sorted."""
    places = sorted(filter(None, map(_RANK, weights)))[:_EVIDENCE_GRAMS]
    return list(map(index.heaviest.__getitem__, places))


# Latin letters: what ``str.isascii() and str.isalpha()`` accept, one at a time and as a run.
_LATIN = frozenset(string.ascii_letters)
# The characters at a run's edge that ``_widen`` acts on: a Latin letter (widened) or a space (trimmed).
_WIDENS = _LATIN | {" "}


def _widen(text: str, a: int, b: int) -> tuple[int, int]:
    """Extend a span that cuts a Latin word to the whole word; trim spaces at the edges. The letters just
    before ``a`` and just after ``b`` are the runs that ``str.rstrip`` and ``str.lstrip`` of the letters
    take off the text on either side, in C, without the reversed copy of the text that a ``re`` match of
    ``[A-Za-z]*`` needed (callgrind: 1.0k fewer instructions a benchmark message)."""
    if text[a] in _LATIN:
        a = len(text[:a].rstrip(string.ascii_letters))
    if text[b - 1] in _LATIN:
        b = len(text) - len(text[b:].lstrip(string.ascii_letters))
    while a < b and text[a] == " ":
        a += 1
    while b > a and text[b - 1] == " ":
        b -= 1
    return a, b
