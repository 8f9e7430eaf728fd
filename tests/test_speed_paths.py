"""The batch-speed paths (issue 9: ``--jsonl`` ≥ 5,000 messages/s) give exactly what the plain definitions
give, on every corpus message and on a sample of the UCI SMS set (when ``../shared/datasets`` is there).

Each fast path is compared with a slow reference kept here or next to it: the regexes as they were written
before they were reshaped for ``re``'s fast skip, the wording model's plain preparation and evidence, and
the report's verdict, score and findings.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus_data import LEGIT, SCAM
from mikiwame import entities, learned
from mikiwame.normalise import Normalised, normalise

ROOT = Path(__file__).resolve().parents[1]


def _uci_sample(every: int = 7) -> list[str]:
    """Every ``every``-th message of the UCI SMS Spam Collection (ham and spam), or none when the shared
    datasets are not next to the project (a clean clone elsewhere)."""
    for base in (ROOT.parent / "shared" / "datasets", Path("/work/shared/datasets")):
        path = base / "uci_sms_spam" / "SMSSpamCollection"
        if path.is_file():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            return [line.partition("\t")[2] for line in lines[::every]]
    return []


UCI = _uci_sample()
TEXTS = [m["text"] for m in SCAM + LEGIT] + UCI
FOLDED = [normalise(t).folded.text for t in TEXTS]


def test_the_comparison_covers_both_languages() -> None:
    assert len(TEXTS) >= 800
    assert sum(t.isascii() for t in FOLDED) >= 100 if UCI else True
    assert sum(not t.isascii() for t in FOLDED) >= 400


# --- regexes: the reshaped form finds the very same matches as the form as written -----------------------

_SEP = entities._SEP
PHONE_AS_WRITTEN = re.compile(
    rf"(?:\+(?<![0-9+]\+)81{_SEP}{{0,2}}(?:\(0\))?|0(?<![0-9+]0))(?:[0-9]{_SEP}{{0,2}}){{8,10}}[0-9](?![0-9])"
    rf"|\+(?<![0-9+]\+)(?!81)[1-9][0-9]{{0,2}}{_SEP}{{0,2}}(?:[0-9]{_SEP}{{0,2}}){{5,12}}[0-9](?![0-9])"
)
FOREIGN_PHONE_AS_WRITTEN = re.compile(
    r"(?:1[-. ])?\((?<![0-9])[2-9][0-9]{2}\) ?[2-9][0-9]{2}[-. ][0-9]{4}(?![0-9])"
    r"|1(?<![0-9]1)[-. ][2-9][0-9]{2}[-. ][2-9][0-9]{2}[-. ][0-9]{4}(?![0-9])"
    r"|[2-9](?<![0-9.\-/][2-9])[0-9]{2}[-.][2-9][0-9]{2}[-.][0-9]{4}(?![0-9])"
    r"|0(?<![0-9]0)(?:[1-9][0-9]{3} ?[0-9]{6}|[1-9][0-9]{2} ?[0-9]{3} ?[0-9]{4})(?![0-9])"
    r"|[6-9](?<![0-9][6-9])[0-9]{9}(?![0-9])"
)
# Numbers in every shape both regexes know, with neighbours that their look-arounds test.
PHONE_SHAPES = [
    "03-1234-5678", "+81 3 1234 5678", "+81(0)3-1234-5678", "+8190-1234-5678", "+1 415 555 0123", "+44 20 7946 0958",
    "(877) 555-0123", "1-(877) 555-0123", "1 (877) 555-0123", "1-800-555-0123", "877.555.0123", "0800 123 4567",
    "07700 900123", "9876543210", "x9876543210", "12(877) 555-0123", "a03-1234-56789", "+81-3-1234-567",
]


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(("fast", "slow"), [(entities._PHONE, PHONE_AS_WRITTEN),
                                            (entities._FOREIGN_PHONE, FOREIGN_PHONE_AS_WRITTEN)],
                         ids=["phone", "foreign-phone"])
def test_reshaped_phone_regexes_match_as_written(fast: re.Pattern[str], slow: re.Pattern[str]) -> None:
    shapes = [f"{a}{s}{b}" for s in PHONE_SHAPES for a in ("", "tel ", "1", "7", "(", "x", ".", "+") for b in ("", ".", "2", ")")]
    found = 0
    for text in FOLDED + shapes:
        expected = _matches(slow, text)
        assert _matches(fast, text) == expected, text
        found += len(expected)
    assert found >= 100  # the comparison saw numbers, not only texts without any


# --- the wording model ------------------------------------------------------------------------------------

_DIGITS_AND_SPACE = str.maketrans({**{c: "0" for c in "0123456789"}, "\n": " ", "\t": " ", "\r": " ", "\u3000": " "})


def _prepare_plain(text: str) -> str:
    """``learned.prepare`` as defined: every link, masked link, address, header label and quoting page's
    mask blanked, digits as 0 and white space as one space."""
    if "." in text or ":" in text:
        for pattern in (entities._URL, entities._MASKED_URL, entities._EMAIL, learned._LABEL):
            text = pattern.sub(learned._blank, text)
    for pattern in (learned._SENDER_NUMBER, *(run for run, _ in learned._MASK_RUNS), learned._BRACKET_MASK):
        text = pattern.sub(learned._blank, text)
    return text.translate(_DIGITS_AND_SPACE)


def test_prepare_equals_its_definition() -> None:
    extra = ["件名: x\nfrom: a@b.co", "https://xxxx/sagawa ください", "http://~ 000 0", "www.a.b", "a:b c.d\u3000\t\r\n1",
             " from: a", "x from: a", "件名：ご確認", "to: 1\rcc: 2", "date:", "subject 2: x\n\tsent: y",
             "call 03-xxxx-xxxx now", "○○様 ××銀行です", "dear [name], {serviceaddress}", "(sic) redacted", "taxxxi",
             "+1 (415) 555-0132\nhi mum", " 090-1234-5678 \n\nx", "0120 000 000\n", "(03) 1234 5678\n本文"]
    for text in FOLDED + extra:
        assert learned.prepare(text) == _prepare_plain(text), text


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("a Z0123456789\n\t\r\u3000\x0b\x00~確ー"), max_size=30))
@example("a1\n2\t3\r4\u3000 5")
def test_digits_and_spaces_folded_as_defined(text: str) -> None:
    """``learned._fold_digits_and_spaces`` (all-ASCII text through its bytes and a table) is the plain
    translate, on ASCII text and on text with a character beyond it, and on every folded corpus message."""
    for case in (text, text + "\u3000", *(FOLDED if text == "" else ())):
        assert learned._fold_digits_and_spaces(case) == case.translate(_DIGITS_AND_SPACE), case


def _widen_plain(text: str, a: int, b: int) -> tuple[int, int]:
    """``learned._widen`` as first written: one character at a time."""
    while a > 0 and text[a - 1].isascii() and text[a - 1].isalpha() and text[a].isascii() and text[a].isalpha():
        a -= 1
    while b < len(text) and text[b].isascii() and text[b].isalpha() and text[b - 1].isascii() and text[b - 1].isalpha():
        b += 1
    while a < b and text[a] == " ":
        a += 1
    while b > a and text[b - 1] == " ":
        b -= 1
    return a, b


def test_widen_equals_its_definition() -> None:
    texts = ["Your parcel is held: pay the fee at once", "abc", "a b  c ", "お荷物 Amazonで ﾃｽﾄ verify-now 確認",
             " Zebra[x]`a"] + FOLDED[:60] + [t for t in FOLDED if t.isascii()][:60]
    for text in texts:
        for a in range(len(text)):
            for b in range(a + 1, min(len(text), a + 12) + 1):
                assert learned._widen(text, a, b) == _widen_plain(text, a, b), (text, a, b)


def _phrases_plain(text: str, matched: set[str], weights: dict[str, float], top_n: int) -> tuple[tuple[int, int], ...]:
    """``learned.phrases`` as first written (heapq.nlargest over the scam-ward pairs, a generator per phrase)."""
    heaviest = heapq.nlargest(learned._EVIDENCE_GRAMS, [(w, g) for g in matched if (w := weights[g]) > 0])
    return _phrases_of_heaviest_plain(text, heaviest, top_n)


def _phrases_of_heaviest_plain(text: str, heaviest: list[tuple[float, str]], top_n: int) -> tuple[tuple[int, int], ...]:
    """The second half of ``_phrases_plain``: from the heaviest pairs to the phrases."""
    spans = sorted((start, start + len(g), w) for w, g in heaviest if (start := text.find(g)) >= 0)
    merged: list[list] = []
    for a, b, w in spans:
        if merged and a <= merged[-1][1] + 1 and "\n" not in text[merged[-1][1]:a]:
            merged[-1][1] = max(merged[-1][1], b)
            merged[-1][2] += w
        else:
            merged.append([a, b, w])
    runs, seen = [], set()
    for a, b, w in merged:
        a, b = _widen_plain(text, a, b)
        phrase = text[a:b]
        if sum(ch.isalnum() for ch in phrase) >= 3 and phrase not in seen:
            seen.add(phrase)
            runs.append((w, a, b))
    kept = sorted(runs, key=lambda r: (-r[0], r[1]))[:top_n]
    return tuple(sorted((a, b) for _, a, b in kept))


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab Z\n.確認くださいお0-"), min_size=1, max_size=30), st.data())
@example("Verify your parcel now", None)
@example("abc\ndef ご確認", None)
def test_phrases_equal_their_first_form(text: str, data: st.DataObject | None) -> None:
    """Random texts of Latin letters, spaces, a newline, kana and punctuation, with random n-grams of them as
    the heaviest pairs (equal weights included, and n-grams that are not in the text)."""
    if data is None:  # runs that touch across a newline are not merged; equal weights; one not in the text
        heaviest = [(2.0, "our"), (1.5, "arc"), (1.5, "now"), (1.0, "abc"), (1.0, "def"), (0.5, "ify"), (0.5, "xyz")]
    else:
        starts = data.draw(st.lists(st.integers(0, len(text) - 1), max_size=12))
        heaviest = [(data.draw(st.sampled_from([0.5, 1.0, 1.5])), text[i:i + data.draw(st.integers(1, 4))])
                    for i in starts] + data.draw(st.lists(st.tuples(st.just(1.0), st.just("qqq")), max_size=1))
        heaviest.sort(reverse=True)
    for top_n in (1, 3):
        assert learned.phrases(text, heaviest, top_n) == _phrases_of_heaviest_plain(text, heaviest, top_n)


def _score_plain(folded: str) -> learned.Score:
    """The wording score from the plain definitions: every distinct n-gram, summed in a loop."""
    m = learned.model()
    text = _prepare_plain(folded)
    grams = learned.ngrams(text, m.sizes)
    matched = {g for g in grams if g in m.weights}
    size = learned.size_of(text, m.sizes)
    logit = m.bias + math.fsum(m.weights[g] for g in matched) / max(1, size) ** 0.5
    probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
    top = _phrases_plain(text, matched, m.weights, 3) if probability >= m.threshold else ()
    return learned.Score(probability, top)


# Odd input for the wording model's paths: too short for a trigram, characters outside the BMP (which take
# the plain path), lone surrogates, repeats (few distinct trigrams), one long text.
ODD = ["", "a", "ab", "abc", "aaaa", "😀", "a😀b", "お荷物😀の確認はこちら", "\ud800\udfff確認", "\ud83d ご確認ください \ude00",
       "確認" * 500, " " * 40, "0000 000", "\x00\x01\x02\uffff\ufffe", "ご確認ください" + "𠮷野家 ご確認ください",
       "Your parcel is held, verify now " * 60]


def _packed_gram(index: "learned._Index") -> dict[int, str]:
    """Packed trigram → the trigram, for every BMP trigram of the model (to read the fast path's keys)."""
    m = learned.model()
    return {learned._packed(g.encode("utf-16-le", "surrogatepass"), 1)[0]: g for g in m.weights
            if len(g) == 3 and len(g.encode("utf-16-le", "surrogatepass")) == 6}


def test_packed_trigrams_gather_what_the_strings_do() -> None:
    """The packed-integer path finds as many distinct trigrams as the plain n-grams, the same ones among the
    model's, and the same total; text with an emoji (outside the BMP) too, its emoji packed as private-use
    characters, none of which the model has a weight for."""
    m = learned.model()
    index = learned._index(m)
    gram_of = _packed_gram(index)
    bmp = [g for g in m.weights if len(g) == 3 and len(g.encode("utf-16-le", "surrogatepass")) == 6]
    assert len(gram_of) == len(index.by_packed) == len(bmp) >= len(m.weights) - 10  # one-to-one over the vocabulary
    # the vocabulary packed in one call is each trigram packed alone
    assert index.by_packed == {k: m.weights[g] for k, g in gram_of.items()}
    assert index.by_gram == m.weights  # the same numbers, as weights that know their rank
    odd = ["abc", "a😀b", "xyz", "\ud800ab", "😀ab"]
    assert learned._packed_vocabulary(odd) == {g: learned._packed(g.encode("utf-16-le", "surrogatepass"), 1)[0]
                                               for g in ("abc", "xyz", "\ud800ab")}
    fast_path = 0
    for folded in FOLDED + ODD:
        text = learned.prepare(folded)
        grams, weight = learned._grams(text, m)
        plain = learned.ngrams(text, m.sizes)
        assert len(grams) == learned.size_of(text, m.sizes), folded
        if weight is index.by_packed:
            fast_path += 1
            grams = {gram_of[k] for k in grams if k in gram_of}
        assert grams & m.weights.keys() == {g for g in plain if g in m.weights}, folded
        matched = [m.weights[g] for g in plain if g in m.weights]
        size = learned.size_of(text, m.sizes)
        assert learned.logit(text, m) == m.bias + math.fsum(matched) / max(1, size) ** 0.5, folded
    assert fast_path >= len(FOLDED) - 20
    assert not any(0xE000 <= ord(c) < 0xF900 or ord(c) > 0xFFFF for g in m.weights for c in g)
    for text in ("a😀b", "お荷物😀の確認はこちら", "😀😀😀", "😀😁x", "📦🎁" * 40 + "ご確認ください"):
        assert learned._grams(text, m)[1] is index.by_packed, text  # the packed path
        assert len(learned.packed_trigrams(text, m)) == learned.size_of(text, m.sizes), text


def test_ascii_packing_gives_the_utf16_packing_s_integers() -> None:
    """``learned._packed_ascii`` (all-ASCII text, one byte a character) gives the very integers ``_packed``
    makes from the text's UTF-16 units, so the ASCII text's trigrams meet the same keys of the model."""
    assert learned._ASCII_PACKS  # little-endian here, as in every browser's wasm: the path is taken
    texts = [learned.prepare(f) for f in FOLDED if f.isascii() and len(f) >= 3]
    assert len(texts) >= 300
    texts += ["abc", "\x00\x7f\x01", "".join(map(chr, range(128))) * 2, "Your parcel is held, verify now " * 40]
    for text in texts:
        count = len(text) - 2
        utf16 = learned._packed(text.encode("utf-16-le", "surrogatepass"), count)
        assert list(learned._packed_ascii(text.encode("ascii"), count)) == list(utf16), text
        grams, weight = learned._grams(text, learned.model())
        assert grams == set(utf16) and weight is learned._index(learned.model()).by_packed


def test_ranked_equals_nlargest() -> None:
    """The evidence's heaviest n-grams by rank equal ``heapq.nlargest`` over the (weight, n-gram) pairs
    of positive weight, ties broken by the n-gram, in both key forms."""
    m = learned.model()
    index = learned._index(m)
    heavy = [g for _, g in index.heaviest[1:]]
    tied = [g for g in heavy if sum(m.weights[h] == m.weights[g] for h in heavy[:400]) > 1][:40]
    assert tied, "no tied weights to break"
    cases = [set(tied), set(heavy[:5]), set(heavy[-30:]), set(), {g for g in m.weights if m.weights[g] < 0}]
    cases += [set(learned.ngrams(learned.prepare(t), m.sizes)) for t in FOLDED[:300]]  # all trigrams, weighted or not
    for grams in cases:
        expected = heapq.nlargest(learned._EVIDENCE_GRAMS, [(w, g) for g in grams if (w := m.weights.get(g, 0)) > 0])
        assert learned._ranked(learned._weights(grams, index.by_gram), index) == expected
        packed = {learned._packed(g.encode("utf-16-le", "surrogatepass"), 1)[0] for g in grams if len(g) == 3}
        assert learned._ranked(learned._weights(packed, index.by_packed), index) == expected
    # a weight's place is its n-gram's in the model's ranking, 0 when not scam-ward
    assert all(index.by_gram[g].rank == r for r, (_, g) in enumerate(index.heaviest[1:], 1))
    assert all(w.rank == 0 for w in index.by_gram.values() if w <= 0)


def test_wording_score_and_evidence_equal_the_definition() -> None:
    fired = 0
    for text in FOLDED + ODD:
        fast = learned.score(text)
        assert fast == _score_plain(text), text
        fired += bool(fast.top)
    assert fired >= 200  # the evidence path ran, not only the probability


# --- pattern rules: a search first, then finditer from the first match -----------------------------------

def _pattern_plain(spec, ctx) -> list:  # noqa: ANN001 - RuleSpec, Context
    """``patterns.match`` with every matcher scanned by finditer from the start of the text."""
    from mikiwame.entities import _span
    from mikiwame.rules import patterns
    from mikiwame.rules.base import Hit

    if spec.requires_no and any(getattr(ctx.entities, kind) for kind in spec.requires_no):
        return []
    text = ctx.norm.folded.text
    found: list[tuple[int, int]] = []
    limit = patterns.MAX_CONTEXT_EVIDENCE if spec.category == "context" else patterns.MAX_EVIDENCE
    for pattern, boundary, _ in spec.matchers:
        for m in pattern.finditer(text):
            start, end = m.span()
            if end == start or (boundary and start and patterns._is_word_char(text[start - 1])):
                continue
            if spec.subject_filter is not None:  # the words of the match's sentence before it (200 at most)
                sentence = re.split(r"[.!?。\n]", text[max(0, start - 200):start])[-1]
                if spec.subject_filter.search(sentence):
                    continue
            if spec.denial_filter is not None:  # the rest of the match's sentence (60 at most) denies the ask
                rest = re.split(r"[.!?。\n]", text[end:end + 60])[0]
                if spec.denial_filter.match(rest):
                    continue
            found.append((start, end))
            if len(found) >= limit:
                break
    if not found:
        return []
    kept: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    evidence = [_span(ctx.norm, ctx.norm.folded, a, b) for a, b in kept]
    if spec.category == "context":  # a marker inside a link or an address is not the message's
        evidence = [e for e in evidence if not any(a.start <= e.start < a.end for a in ctx.link_spans)]
    return [Hit(spec.slug, tuple(evidence), source=spec.source)] if evidence else []


_PLAIN_SCANS: dict[str, list[list]] = {}


def _plain_scan(text: str, ctx) -> list[list]:  # noqa: ANN001 - Context
    """``_pattern_plain`` of every pattern rule (in ``rules_by_kind`` order) for the context of ``text``:
    the slow reference, scanned once per text and shared by the two tests below (a context is a pure
    function of its text)."""
    if text not in _PLAIN_SCANS:
        _PLAIN_SCANS[text] = [_pattern_plain(spec, ctx) for spec in ctx.kb.rules_by_kind["pattern"]]
    return _PLAIN_SCANS[text]


def test_pattern_rules_equal_a_plain_scan() -> None:
    from mikiwame.engine import context
    from mikiwame.knowledge import load
    from mikiwame.rules import patterns

    kb = load()
    fired = 0
    for text in TEXTS:
        ctx = context(text[:10_000], None, kb)
        for spec, plain in zip(kb.rules_by_kind["pattern"], _plain_scan(text, ctx), strict=True):
            hits = patterns.match(spec, ctx)
            assert hits == plain, (spec.slug, text)
            fired += bool(hits)
    assert fired >= 1_000


def test_gated_pattern_run_equals_every_matcher_from_the_start() -> None:
    """``rules._run_patterns`` (only the matchers whose gate words are in the text) fires the same rules with
    the same evidence as every matcher of every pattern rule scanned from the start of the text."""
    from mikiwame.engine import context
    from mikiwame.knowledge import load
    from mikiwame.rules import _run_patterns

    kb = load()
    shapes = ["ご連絡ください" * 3, "x" * 300 + "至急ご連絡ください", "お荷物 " * 50 + "不在のため持ち帰りました", "a\nb\n\nunpaid toll",
              "verify your account now " + "." * 200 + " suspended", "x" * 40 + "【重要】" + "y" * 40]
    fired = 0
    for text in TEXTS + ODD + shapes:
        ctx = context(text[:10_000], None, kb)
        _run_patterns(ctx)
        expected = {hit.slug: hit for hits in _plain_scan(text, ctx) for hit in hits}
        assert ctx.hits == expected, text
        fired += len(expected)
    assert fired >= 1_500


# --- gates: a matcher is searched only when its gate word and its other required words are in the text ---

def _opened_plain(text: str, kb) -> dict[int, list[int]]:  # noqa: ANN001 - Knowledge
    """``gates.opened`` by its definition: every matcher with a gate word in the text and a word of each of
    its required clauses, by substring tests, in (rule, matcher) order."""
    from mikiwame.prefilter import required_clauses

    out: dict[int, list[int]] = {}
    for r, spec in enumerate(kb.rules_by_kind["pattern"]):
        for m, (pattern, _, gate) in enumerate(spec.matchers):
            if gate and any(word in text for word in gate) and all(
                    any(word in text for word in clause) for clause in required_clauses(pattern.pattern)):
                out.setdefault(r, []).append(m)
    return out


def test_opened_matchers_equal_their_definition_and_lose_no_match() -> None:
    """``gates.opened`` opens exactly the matchers that its definition does, and every matcher that finds
    something in the text is among them (the corpus, the UCI sample, odd input, every rule example)."""
    from mikiwame.knowledge import load
    from mikiwame.rules import gates

    kb = load()
    examples = [t.lower() for spec in kb.rules for kind in ("flagged", "not_flagged") for t in spec.examples.get(kind, [])]
    opened_total = matching = 0
    for text in FOLDED + ODD + examples:
        opened = gates.opened(text, kb)
        assert opened == _opened_plain(text, kb), text
        for r, spec in enumerate(kb.rules_by_kind["pattern"]):
            for m, (pattern, _, _) in enumerate(spec.matchers):
                if pattern.search(text):
                    assert m in opened.get(r, ()), (spec.slug, pattern.pattern, text)
                    matching += 1
        opened_total += sum(map(len, opened.values()))
    assert matching >= 1_500 and opened_total > matching  # the gates opened matchers that found nothing too


# --- the report's JSON written straight from the decision -----------------------------------------------

def test_check_json_equals_the_report_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """``check_json`` (plain messages: JSON written from the rules' decision, ``report.plain_json``) gives
    the very bytes of ``check(...).to_json()`` in both languages, official links (whose evidence is left
    out) and every other input included; the fast path is the one taken for nearly all of them."""
    from mikiwame import engine, report

    taken = []
    monkeypatch.setattr(engine, "plain_json", lambda *args: taken.append(1) or report.plain_json(*args))
    official = ["Amazon: https://www.amazon.co.jp/ からご確認ください 未納料金", "【三井住友カード】https://www.smbc-card.com/ 不正利用の疑い",
                "Your USPS package https://usps.com/track is held, pay the fee", "x" * 10_001, "From: a@b.co\nSubject: x\n\nhi"]
    texts = TEXTS + ODD + official
    for text in texts:
        for lang in ("ja", "en", "fr"):
            assert engine.check_json(text, lang) == engine.check(text, lang).to_json(), (lang, text)
    assert len(taken) >= 3 * (len(texts) - 30)


def test_check_json_utf8_is_check_json_encoded(monkeypatch: pytest.MonkeyPatch) -> None:
    """``check_json_utf8`` (--jsonl: a plain report's repeating parts kept encoded, ``report.plain_json_utf8``)
    gives the very bytes of ``check_json(...).encode("utf-8", "replace")`` for every input of
    ``test_check_json_equals_the_report_as_json`` and random splices, both languages; its fast path is the
    one taken for nearly all of them, and the second time round it reads its encoded parts from the cache."""
    import random

    from mikiwame import engine, report

    taken = []
    monkeypatch.setattr(engine, "plain_json_utf8", lambda *args: taken.append(1) or report.plain_json_utf8(*args))
    rng = random.Random(5)
    spliced = ["".join(rng.choice(TEXTS)[:60] + rng.choice(ODD)[:20] for _ in range(3)) for _ in range(300)]
    texts = TEXTS + ODD + spliced + ["Amazon: https://www.amazon.co.jp/ からご確認ください 未納料金",
                                     "x" * 10_001, "From: a@b.co\nSubject: x\n\nhi", "\ud800 アマゾン \udfff"]
    expected = {(text, lang): engine.check_json(text, lang).encode("utf-8", "replace")
                for text in texts for lang in ("ja", "en", "fr")}  # the reference, made once for both rounds
    for _ in range(2):
        for text in texts:
            for lang in ("ja", "en", "fr"):
                assert engine.check_json_utf8(text, lang) == expected[text, lang], (lang, text)
    assert len(taken) >= 2 * 3 * (len(texts) - 30)
    assert report._utf8.cache_info().hits > report._utf8.cache_info().misses


def _steps_as_first_written(verdict, slugs, named, kb, lang):
    """``report._steps`` as it was: each triggered step rendered, then the list encoded."""
    from mikiwame.report import AdviceStep, _official_hint, _report_hint, encode_json, render

    triggers = {verdict, *slugs, *(kb.rule_by_slug[slug].category for slug in slugs)}
    official, report = _official_hint(list(named), lang), _report_hint(list(named), lang)
    steps = tuple(AdviceStep(step["id"], render(step[f"text_{lang}"], {"official": official, "report": report},
                                                 lang).strip(), step.get("source") or None)
                  for step in kb.advice["step"] if triggers.intersection(step["when"]))
    return steps, encode_json([s.to_dict() for s in steps])


def test_advice_steps_from_ready_made_texts_equal_their_first_form() -> None:
    """``report._steps`` (each step's text and JSON made once per brands named and language, ``_step_texts``)
    gives the steps and JSON of the form that rendered them for every new combination: for the verdict,
    findings and brands of every corpus message in both languages, for every rule and verdict alone, and for
    several brands named at once."""
    from mikiwame import engine, report
    from mikiwame.knowledge import load

    kb = load()
    combos = set()
    for text in TEXTS:
        ctx, hits, weights, _, result = engine.decide(text, None, kb)
        combos.add((result, tuple(sorted(h.slug for h in hits if weights[h.slug] > 0)), tuple(ctx.named_brands)))
    brands = tuple(kb.brands[:3])
    combos |= {(v, (spec.slug,), named) for v in ("clean", "suspicious", "scam") for spec in kb.rules
               for named in ((), brands[:1])}
    combos |= {("scam", tuple(spec.slug for spec in kb.rules), brands), ("clean", (), ())}
    assert len(combos) >= 300 and any(named for _, _, named in combos)
    for verdict, slugs, named in combos:
        for lang in ("ja", "en"):
            advice = report._steps.__wrapped__(verdict, slugs, named, kb, lang)
            assert (advice.steps, advice.json) == _steps_as_first_written(verdict, slugs, named, kb, lang)


# --- JSON: one C encoder made once, and span JSON remembered per report -----------------------------------

def test_encode_json_is_the_json_encoder() -> None:
    """``report.encode_json`` (one C encoder made once) writes what the JSONEncoder with the same options
    writes, for every kind of value a report holds, and for a corpus message's whole report."""
    import json

    from mikiwame import check
    from mikiwame.report import encode_json

    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
    values = ["", "a\"b\\c\n\t\x00\x1f", "確認\u3000😀\ud800", 0, -7, 2**70, 0.1, 1e300, -0.0, float("nan"),
              float("inf"), True, False, None, [], {}, [1, [2, {"k": None}]], {"ü": "é", "1": [0.5, "x"]},
              {"phones": [], "urls": [{"start": 1, "end": 9, "official": None, "brand": "amazon"}]}, (1, "t")]
    values += [check(t).to_dict() for t in TEXTS[:40]]
    for value in values:
        assert encode_json(value) == encoder.encode(value), value


# --- ASCII text: the tests of characters that no ASCII text holds are skipped ----------------------------

def test_ascii_shortcuts_skip_only_classes_without_ascii_characters() -> None:
    """``normalise`` skips, for all-ASCII text, the invisible-character, lone-surrogate, homoglyph and
    complex-fold tests, and folds it by ``lower``: each holds only because none of those classes has an
    ASCII member and every ASCII character folds to its lower case (a fresh fold table says so)."""
    from mikiwame import normalise as norm

    ascii_chars = "".join(map(chr, range(128)))
    for pattern in (norm._INVISIBLE, norm._LONE_SURROGATE, norm._HOMOGLYPH, *norm._FOLD.complex_patterns()):
        assert pattern.search(ascii_chars) is None, pattern.pattern
    table = norm._FoldTable()
    assert ascii_chars.translate(table) == ascii_chars.lower() and not table.complex
    for text in [t for t in TEXTS if t.isascii()][:400] + [ascii_chars, "Hxxps://Evil[.]Top a m a z o n rn0l1"]:
        assert norm.lowered_fold(text) == text.translate(norm._FoldTable()), text
        # fold's general path: translate, the offset-tracking pass, then the defanged links
        view = norm.View(text, text.translate(norm._FoldTable()))
        view = norm._rewrite(view, norm._FOLD.complex_patterns()[1], norm._fold_complex)
        view = norm._zeros_read(norm._rewrite(view, norm._DEFANG, norm._undefang))
        assert norm.fold(text) == norm._join_wrapped(norm._drop_screen_chrome(view)), text


# --- first looks with ``in`` and ``str.replace`` instead of a regex over a character class ------------------

def test_first_looks_stand_for_their_regexes() -> None:
    """The sender-line scan runs only when the text holds one of its words (a match cannot do without one:
    what ``prefilter.required_literals`` reads from the regex), and then finds what the regex run over every
    text finds. (The money-amount scan this test also held was removed with its regex: nothing read it.)"""
    from mikiwame.prefilter import required_literals

    assert required_literals(entities._SENDER_LINE.pattern) <= set(entities._SENDER_WORDS)
    extra = ["差出人：Amazon\nfrom: x", "From : a\n送信元: b", "from: one line only", "no sender here: from"]
    found = 0
    for text in TEXTS + extra:
        norm = normalise(text)
        view = norm.folded
        senders = [entities._span(norm, view, *m.span(1)) for m in entities._SENDER_LINE.finditer(view.text)]
        assert entities._senders(norm) == senders, text
        found += bool(senders)
    assert found >= 5  # 9 of the corpus texts and the extras hold a sender line (measured 2026-12-01)


def test_safe_text_by_the_codec_equals_the_regex() -> None:
    """``safe_text`` asks the strict UTF-8 codec whether a text holds a surrogate; the answer is the regex's."""
    from mikiwame.normalise import _LONE_SURROGATE, safe_text

    odd = ["", "a", "確認", "😀", "a\ud800", "\udfff確認", "\ud83d\ude00", "x\ud83d", "\ud800" * 3, "ok 😀 \udc00 ok"]
    for text in TEXTS + odd:
        assert safe_text(text) == _LONE_SURROGATE.sub("\ufffd", text), text


def test_phone_scans_skipped_below_their_least_digit_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message with fewer digits than a phone regex needs (``prefilter.least_count``) is not scanned for
    it; the numbers found are those of both scans run over every text."""
    from mikiwame.knowledge import load
    from mikiwame.prefilter import least_count

    digits = frozenset("0123456789")
    assert entities.least_digits() == (7, 9, 8)  # read from the regexes ("[(0-9]", which may be "(", counts none)
    assert least_count("a[0-9]{3}(?:[0-9]|x)[0-9]+(?=[0-9])", digits) == 4
    assert least_count("[0-9a]{5}|[^0-9]{9}|.{9}|(?:12|3)", digits) == 0
    shapes = [f"{a}{s}{b}" for s in PHONE_SHAPES for a in ("", "tel ", "(") for b in ("", ".")]
    kb = load()
    gated = [entities._phones(normalise(t), kb) for t in TEXTS + shapes]
    monkeypatch.setattr(entities, "least_digits", lambda: (0, 0, 0))
    assert gated == [entities._phones(normalise(t), kb) for t in TEXTS + shapes]
    assert sum(map(bool, gated)) >= 100
    for text in FOLDED + shapes + ["", "０１２", "a\ud800 1"]:
        assert entities.ascii_count(text, b"0123456789") == sum(ch in digits for ch in text), text


def test_entities_json_equals_the_encoded_dict() -> None:
    """A plain report's entities: written straight from the brand mentions when the message has no phone
    number, link or address, byte for byte what encoding ``entities_dict`` gives, in both languages."""
    from mikiwame import engine, report
    from mikiwame.knowledge import load

    kb = load()
    odd = ['"Amazon"\\ アマゾン\n楽天', "a m a z o n ＰａｙＰａｙ", "amazon 03-1234-5678", "https://amazon.co.jp/ 楽天"]
    fast = 0
    for text in TEXTS[:600] + odd:
        ctx = engine.decide(text, None, kb).ctx
        for lang in ("ja", "en"):
            entities = report.entities_dict(ctx.entities, kb, ctx.named_brands, lang)
            expected = (report.encode_json(entities), report.official_spans(entities))
            assert report._entities_json(ctx.entities, kb, ctx.named_brands, lang) == expected, text
        fast += not (ctx.entities.phones or ctx.entities.urls or ctx.entities.emails) and bool(ctx.entities.brands)
    assert fast >= 50


def test_skeleton_skips_only_rewrites_that_need_a_latin_letter() -> None:
    """``skeletonise`` leaves out the rn, digit and spread rewrites for text without a letter a-z (after the
    homoglyphs became Latin letters) and the homoglyph one for ASCII text: the view is the one every rewrite
    in turn gives, offsets included."""
    from mikiwame import normalise as norm

    def plain(view: "norm.View") -> "norm.View":
        view = norm._rewrite(view, norm._HOMOGLYPH, lambda m: norm._HOMOGLYPHS[m.group()])
        view = norm._rewrite(view, norm._RN, lambda m: "m")
        view = norm._rewrite(view, norm._DIGIT_FOR_LETTER, lambda m: norm._DIGITS[m.group()])
        return norm._rewrite(view, norm._SPREAD, lambda m: norm._SPREAD_GAP.sub("", m.group()))

    odd = ["ао 0 1 3", "Рау Ра1", "確認 ｒｎ", "０１ 確認 3", "к・о・н・б・и・н・и", "確認 a m a z o n", "рауоо", "確認\ud800rn",
           "確認 ɡoogle", "ℓine 確認", "確認 ıd", "ԁ確認", "確認 paypa1 amaz0n", "確認 13 a3b 0x", "確認 Ω 確認 é"]
    skipped = 0
    for text in TEXTS + odd:
        folded = norm.fold(text)
        assert norm.skeletonise(folded) == plain(folded), text
        latin = any("a" <= c <= "z" for c in folded.text)
        assert (b"a" in norm.char_classes(folded.text)) == latin, text
        skipped += not folded.text.isascii() and not latin
    assert skipped >= 100


def test_undiscounted_weights_from_the_table_equal_the_arithmetic() -> None:
    """``score.discounted`` without a discounting rule takes the rules' own weights from a table; with the
    same weights given as ``base`` the full arithmetic runs: both agree, with and without discounts."""
    from mikiwame import engine, score
    from mikiwame.knowledge import load

    kb = load()
    own = {slug: rule.effective_weight for slug, rule in kb.rule_by_slug.items()}
    cases = [[h.slug for h in engine.decide(t, None, kb).hits] for t in TEXTS[:400]]
    cases += [c + [d] for c in cases[:50] for d in list(kb.discounts)[:2] + list(kb.phrase_discounts)[:1]]
    preview = [slug for slug, rule in kb.rule_by_slug.items() if rule.status == "preview"]
    cases += [preview, []]
    for slugs in cases:
        assert score.discounted(slugs, kb) == score.discounted(slugs, kb, own), slugs
    assert sum(1 for c in cases if kb.discounts.keys().isdisjoint(c) and kb.phrase_discounts.keys().isdisjoint(c)) >= 300


def test_meta_run_by_group_sets_equals_every_meta_rule_matched() -> None:
    """``rules._run_meta`` (each meta rule's groups as sets, narrowest first, ``_meta_groups``, tested before any
    call; a message without an option of any narrowest group passed over at once) fires the same meta rules
    with the same evidence as ``meta.match`` called for every meta rule in order."""
    from mikiwame import rules
    from mikiwame.engine import context
    from mikiwame.knowledge import load
    from mikiwame.rules import meta

    kb = load()
    metas, narrowest = rules._meta_groups(kb)
    assert [spec for spec, _ in metas] == list(kb.rules_by_kind["meta"])
    assert narrowest is not None and all(groups[0] <= narrowest for _, groups in metas)
    fired = passed_over = 0
    for text in TEXTS:
        fast, plain = context(text[:10_000], None, kb), context(text[:10_000], None, kb)
        for ctx in (fast, plain):
            rules._run_patterns(ctx)
            rules._run_builtins(ctx)
        passed_over += meta.present_options(fast).isdisjoint(narrowest)
        rules._run_meta(fast)
        for spec in kb.rules_by_kind["meta"]:
            hits = meta.match(spec, plain)
            if hits:
                plain.add(hits)
        assert fast.hits == plain.hits, text
        fired += len(fast.hits) > len([s for s in fast.hits if kb.rule_by_slug[s].kind != "meta"])
    assert fired >= 500 and passed_over >= 200  # both ways taken: meta rules fired, messages passed over at once


def test_builtins_by_absence_equal_those_for_the_kinds_present(monkeypatch: pytest.MonkeyPatch) -> None:
    """``rules._run_builtins`` picks its builtins by a tuple of absence flags (``_builtins_by_absence``): for
    every combination of entity kinds and e-mail, the very builtins that ``_builtins_for`` gives for the set
    of kind names as the run made it before (``getattr`` of each of ``_ENTITY_KINDS``, then "mail")."""
    import itertools
    from types import SimpleNamespace

    from mikiwame import rules
    from mikiwame.knowledge import load

    kb, asked = load(), []
    by_absence = rules._builtins_by_absence
    monkeypatch.setattr(rules, "_builtins_by_absence", lambda kb, absent: asked.append(absent) or ())
    chosen = set()
    for *kinds, mail in itertools.product((False, True), repeat=len(rules._ENTITY_KINDS) + 1):
        ents = SimpleNamespace(**{k: (object(),) if has else () for k, has in zip(rules._ENTITY_KINDS, kinds)})
        ctx = SimpleNamespace(entities=ents, mail=object() if mail else None, kb=kb)
        rules._run_builtins(ctx)  # type: ignore[arg-type]
        present = frozenset(["text", *[kind for kind in rules._ENTITY_KINDS if getattr(ents, kind)]]
                            + (["mail"] if ctx.mail else []))
        chosen.add(by_absence(kb, asked[-1]))
        assert by_absence(kb, asked[-1]) == rules._builtins_for(kb, present), present
    assert len(chosen) > 8  # the kinds do choose different builtins


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.text(max_size=20), st.sampled_from([None, "https://x"]))
def test_records_made_by_tuple_new_equal_those_their_classes_make(start: int, end: int, text: str,
                                                                   source: str | None) -> None:
    """``entities.new_span`` and ``rules.base.new_hit`` (``tuple.__new__`` without the namedtuple's Python
    ``__new__``) make the records the classes make: equal, of the same type, the shared empty params kept."""
    from mikiwame.entities import Span, new_span
    from mikiwame.rules.base import NO_PARAMS, Hit, new_hit

    span = new_span((start, end, text))
    assert type(span) is Span and span == Span(start, end, text) and span.text is text
    hit, plain = new_hit(("slug", (span,), NO_PARAMS, source)), Hit("slug", (span,), source=source)
    assert type(hit) is Hit and hit == plain and hit.source == source
    assert hit.params is plain.params is Hit("other", ()).params


# --- offsets' digits from a table ------------------------------------------------------------------------

def test_span_json_is_the_plain_f_string() -> None:
    """Offsets' digits come from ``report._DECIMAL``; offsets past MAX_CHARS are written but not kept."""
    from mikiwame import MAX_CHARS, report
    from mikiwame.entities import Span

    for span in [Span(0, 1, "a"), Span(9, 10, '"\\ü\n'), Span(MAX_CHARS, MAX_CHARS, ""), Span(MAX_CHARS + 5, 10**6, "x")]:
        plain = f'{{"start":{span.start},"end":{span.end},"text":{json.dumps(span.text, ensure_ascii=False)}}}'
        assert report._span_json(span) == plain
    assert MAX_CHARS + 5 not in report._DECIMAL and 10**6 not in report._DECIMAL


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("013 9ax.確ɡаоé_-・rn"), max_size=14))
@example("amaz0n")
@example("1ine")
@example("a m a z o n")
@example("a・m・a・z")
@example("x.y..z__w q")
def test_skeleton_first_looks_are_the_regexes_answers(text: str) -> None:
    """The skeleton's first looks from the classes of a text's bytes (``normalise.char_classes``): a letter
    a-z, the digit-for-letter regex's answer exactly, and no spread word missed; the view is the plain one."""
    from mikiwame import normalise as norm

    classes = norm.char_classes(text)
    assert (b"a" in classes) == any("a" <= c <= "z" for c in text)
    digit = b"da" in classes or b"ad" in classes and norm._may_end_digit_for_letter(classes)
    assert digit == bool(norm._DIGIT_FOR_LETTER.search(text))
    if norm._SPREAD.search(text):
        assert norm._may_be_spread(text, classes)
    view = norm.View(text, text)
    plain = norm._rewrite(view, norm._HOMOGLYPH, lambda m: norm._HOMOGLYPHS[m.group()])
    plain = norm._rewrite(plain, norm._RN, lambda m: "m")
    plain = norm._rewrite(plain, norm._DIGIT_FOR_LETTER, lambda m: norm._DIGITS[m.group()])
    plain = norm._rewrite(plain, norm._SPREAD, lambda m: norm._SPREAD_GAP.sub("", m.group()))
    assert norm.skeletonise(view) == plain


_URL_ODD = ["", "a.b", "see bit.ly/x now", "mail.163.com", "1.2.3.4.example.com", "x@a.co", "ＷＷＷ.a.jp",
            "http://localhost", "hxxp://a[.]b", "go to www.a-b.co.jp/ok.", "e.g. st.george", "a-.b.com", "-a.com",
            "ご確認はamazon.co.jp.verify-login.xyz/aで", "end with a dot.", "@x.com a.b.c", "/a.com", "xn--a.xn--bc",
            "first. then http://z.io and a.b.top"]


def _assert_url_search_start_loses_no_link(text: str) -> None:
    every = [m.span() for m in entities._URL.finditer(text)]
    start = entities.url_search_start(text)
    assert all(a >= start for a, _ in every), text
    assert [m.span() for m in entities._URL.finditer(text, start)] == every, text
    assert [m.span() for m in entities.url_matches(text)] == every, text
    assert learned._blanked_links(text) == entities._URL.sub(learned._blank, text), text


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from("ahtpsw.:/-0x1@ nb確。"), max_size=24))
@example("s.a.x")
@example("w.htt.hx")
def test_url_search_start_loses_no_link(text: str) -> None:
    """No match of ``_URL`` starts before ``url_search_start``, so the links found from there, and the text
    blanked from there, are those of the search from the start."""
    _assert_url_search_start_loses_no_link(text)


def test_url_search_start_on_the_corpus() -> None:
    """The same on the corpus (and UCI sample) and odd text; and it does skip text: most of it, where a link
    may be."""
    for text in FOLDED + _URL_ODD:
        _assert_url_search_start_loses_no_link(text)
    maybe = [t for t in FOLDED if entities.may_have_link(t)]
    assert sum(map(entities.url_search_start, maybe)) > 0.3 * sum(map(len, maybe))


def test_imitated_brand_passes_over_tokens_not_in_the_host() -> None:
    """``_imitated_brand_of`` skips a brand token that is not in the host's skeleton before its two tests;
    the brand found is the one the walk through every token finds (corpus links, brands' domains, odd hosts)."""
    from mikiwame import knowledge as kn

    kb = kn.load()

    def plain(host: str, registrable: str, tld: str) -> "kn.Brand | None":
        if kb.owner_of(host) is not None or kb.infrastructure_of(host) is not None:
            return None
        skeleton = kn.host_skeleton(host)
        stem = registrable.split(".")[0]
        for token, brand, ordinary in kn._brand_tokens(kb):
            if ordinary:
                if not kn.ordinary_word_in_host(skeleton, registrable, tld, token, brand, kb):
                    continue
            elif not kn._contains_token(skeleton, token):
                continue
            if brand.owns(host) or stem == token and tld not in kb.suspicious_tlds:
                continue
            return brand
        return None

    hosts = {u.host for t in TEXTS if entities.may_have_link(t.lower()) for u in entities.extract(normalise(t), kb).urls
             if u.host}
    for brand in kb.brands[::3]:
        for domain in sorted(brand.official_domains)[:2]:
            stem, _, rest = domain.partition(".")
            hosts |= {f"{stem}-login.top", f"secure-{stem}.{rest}", f"{stem}0.xyz", f"my{stem}.com", domain}
    hosts |= {"kraken-login.top", "amaz0n-co-jp.xyz", "outlook.example.biz", "a.b", "paypa1.com.verify.top"}
    found = 0
    for host in sorted(hosts):
        registrable = entities.registrable_domain(host)
        tld = host.rsplit(".", 1)[-1]
        got = kn._imitated_brand_of.__wrapped__(host, registrable, tld, kb)
        assert got is plain(host, registrable, tld), host
        found += got is not None
    assert found >= 50


def test_public_sector_and_institution_suffixes_equal_the_domain_walk() -> None:
    """``Knowledge.is_public_sector`` and ``is_institution`` test a host's public-sector and academic suffixes
    with one ``str.endswith`` of the dotted domains; the answers are those of the walk through the domains
    (``host == d or host.endswith("." + d)``), on corpus links, each listed domain, hosts under and beside
    them, and odd hosts."""
    from mikiwame import knowledge as kn

    kb = kn.load()

    def walk(host: str, domains: frozenset[str]) -> bool:
        return any(host == d or host.endswith("." + d) for d in domains)

    hosts = {u.host for t in TEXTS if entities.may_have_link(t.lower())
             for u in entities.extract(normalise(t), kb).urls}
    for d in kb.public_sector | kb.academic:
        hosts |= {d, "www." + d, "x" + d, d + ".example", d.partition(".")[2], "a.b." + d, "." + d}
    hosts |= {"", ".", "gov", "xgov", "police.gov.sg", "city.osaka.lg.jp", "pref.kyoto.jp", "example.com"}
    public = 0
    for host in sorted(hosts):
        registrable = entities.registrable_domain(host) if host.strip(".") else host
        labels = registrable.split(".")
        rest = (len(labels) == 3 and len(labels[2]) == 2 and labels[1] in kb.public_sector_second_levels
                or registrable.endswith(".jp") and registrable.startswith(kb.public_sector_prefixes))
        assert kb.is_public_sector(host, registrable) == (walk(host, kb.public_sector) or rest), host
        assert kb.is_institution(host, registrable) == (walk(host, kb.academic) or walk(host, kb.public_sector)
                                                        or rest), host
        public += walk(host, kb.public_sector)
    assert public >= 20


def _extract_plain(norm: Normalised, kb) -> entities.Entities:  # noqa: ANN001 - Knowledge
    """``entities.extract`` as first written: each filtering comprehension made whatever there is to filter."""
    emails = entities._emails(norm)
    urls = [u for u in entities._urls(norm, kb) if not any(e.span.start <= u.span.start < e.span.end for e in emails)]
    urls += entities._masked_urls(norm, urls)
    link_spans = [u.span for u in urls] + [e.span for e in emails]
    senders = entities._senders(norm)
    phones = [p for p in entities._phones(norm, kb)
              if not any(s.start <= p.span.start < s.end for s in link_spans + senders)]
    sender = entities._sender_phone(norm, phones)
    return entities.Entities(tuple(p for p in phones if p is not sender), tuple(urls), tuple(emails),
                             tuple(entities._brands(norm, kb)), tuple(entities._legal_names(norm, kb)),
                             tuple(([sender.span] if sender else []) + senders), (sender,) if sender else ())


def test_entities_and_context_views_made_only_where_needed_equal_their_plain_forms() -> None:
    """``entities.extract`` filters links by addresses and numbers by links only where both are there, and a
    Context's ``link_spans``, ``named`` and ``named_brands`` and the meta rules' ``groups_evidence`` skip their
    comprehensions where there is nothing to go through, and ``_first_evidence`` asks ``evidence_of`` only about
    fired rules and facts: the same entities, spans, mentions and evidence as the plain forms, on the corpus and
    on links, addresses and numbers inside one another."""
    from mikiwame import rules
    from mikiwame.engine import context
    from mikiwame.knowledge import load
    from mikiwame.rules import base

    kb = load()
    odd = ["mail a@call-0312345678.example.com or 03-1234-5678", "https://0120-123-456.example.jp/x 0120-123-456",
           "Amazon https://amazon.co.jp/ a@amazon.co.jp アマゾン", "http://~ (偽サイトのURL) www.x.example a@b.example",
           "+81 90-1234-5678\n差出人: 0120-123-456\nご連絡は 03-1234-5678 まで"]
    kinds = set()
    for text in TEXTS[:1500] + odd:
        norm = normalise(text[:10_000])
        assert entities.extract(norm, kb) == _extract_plain(norm, kb), text
        ctx = context(text[:10_000], None, kb)
        rules._run_patterns(ctx)
        rules._run_builtins(ctx)
        ents = ctx.entities
        assert ctx.link_spans == [u.span for u in ents.urls] + [e.span for e in ents.emails], text
        assert ctx.named == base._platforms_dropped(
            [m for m in ents.brands if not base._within(m.span.start, ctx.link_spans)], norm.original), text
        assert ctx.named_brands == list({m.brand.id: m.brand for m in ctx.named}.values()), text
        for spec in kb.rules_by_kind["meta"]:
            plain: list = []
            for group in spec.all_of:
                found = next((f for option in group if (f := base.evidence_of(option, ctx))), [])
                assert base._first_evidence(group, ctx) == found, (text, group)
                if not found:
                    plain = []
                    break
                plain += [s for s in found if s not in plain]
            assert base.groups_evidence(spec.all_of, ctx) == plain, (text, spec.slug)
            kinds.add(bool(plain))
        kinds.add(("links", bool(ents.urls) and bool(ents.phones)))
    assert kinds >= {True, False, ("links", True), ("links", False)}


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("follwus natvi,&/ ANDOR\n\t\u3000.ſıKé確をaprhgymbe"), max_size=50), st.integers(0, 60))
@example("Follow us on  ", 14)
@example("find us at Facebook, Instagram and ", 35)
@example("Website / ", 10)
@example("pay using\n", 10)
@example("download it from the ", 21)
@example("ご利用の ", 5)
@example("your ", 5)
@example("on our ", 7)
@example("usİng ", 6)
def test_channel_cue_first_look_is_the_search_s_answer(text: str, start: int) -> None:
    """``base.after_channel_cue`` skips ``_PLATFORM_BEFORE``'s search where the words before a mention end in no
    cue's last character; its answer is the search's (odd text, every case and white space, Unicode letters that
    fold to Latin ones under ``re.I``)."""
    from mikiwame.rules import base

    start = min(start, len(text))
    want = base._PLATFORM_BEFORE.search(text, max(0, start - 40), start) is not None
    assert base.after_channel_cue(text, start) == want


def test_channel_cue_first_look_on_the_corpus() -> None:
    """The same before every position where a brand mention could start in the corpus (and UCI sample), and
    it does pass over most of them."""
    from mikiwame.rules import base

    searched = 0
    for text in TEXTS[::3]:
        for start in range(0, len(text), 7):
            head = text[max(0, start - 40):start].rstrip()
            want = base._PLATFORM_BEFORE.search(text, max(0, start - 40), start) is not None
            assert base.after_channel_cue(text, start) == want, (text, start)
            searched += bool(head) and (head[-5:].lower().endswith(base._CUE_ENDS) if head[-5:].isascii()
                                        else base._CUE_LAST.fullmatch(head[-1]) is not None)
    assert searched < 0.2 * sum(len(range(0, len(t), 7)) for t in TEXTS[::3])
