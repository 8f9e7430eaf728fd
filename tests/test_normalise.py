"""Normalisation: what the views contain, and that every span maps back to the exact original slice.

Rules match the folded/skeleton views; a reader sees evidence in the text they pasted. Each case here names
the trick (full-width, half-width kana, invisible characters, spread letters, homoglyphs, defanged links)
and the exact original slice the evidence must show.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import mikiwame
from mikiwame.normalise import (_DEFANG, _FOLD, _JA, _MAY_BE_SPREAD, _SPREAD, View, _FoldTable, _japanese,
                                _join_wrapped, fold, lowered_fold, may_be_defanged, normalise, safe_text, skeletonise)


def _map_back(view: View, needle: str) -> str:
    """The original slice behind the first occurrence of ``needle`` in the view."""
    i = view.text.find(needle)
    assert i >= 0, f"{needle!r} not in view {view.text!r}"
    a, b = view.span(i, i + len(needle))
    assert 0 <= a <= b <= len(view.original)
    return view.original[a:b]


# (original, view text expected, needle in view, original slice that needle must map to)
FOLDED = [
    pytest.param("ご注文 Ａｍａｚｏｎ です", "ご注文 amazon です", "amazon", "Ａｍａｚｏｎ", id="full-width-latin"),
    pytest.param("電話 ０３－４３３９", "電話 03-4339", "03-4339", "０３－４３３９", id="full-width-digits"),
    pytest.param("ｶﾞｲﾄﾞ", "ガイド", "ガイド", "ｶﾞｲﾄﾞ", id="half-width-kana-voiced"),
    pytest.param("ｱﾏｿﾞﾝ", "アマゾン", "ゾ", "ｿﾞ", id="half-width-kana-one-char"),
    pytest.param("ﾊﾟｽﾜｰﾄﾞ", "パスワード", "パスワード", "ﾊﾟｽﾜｰﾄﾞ", id="half-width-kana-handakuten"),
    pytest.param("ama\u200bzon", "amazon", "amazon", "ama\u200bzon", id="zero-width-space"),
    pytest.param("a\u200dm\u2060a\ufeffzon", "amazon", "amazon", "a\u200dm\u2060a\ufeffzon", id="zwj-wj-bom"),
    pytest.param("\u202eamazon\u202c!", "amazon!", "amazon", "amazon", id="bidi-override"),
    pytest.param("x\u00adyz", "xyz", "xyz", "x\u00adyz", id="soft-hyphen"),
    pytest.param("AMAZON", "amazon", "amazon", "AMAZON", id="upper-case"),
    pytest.param("アマゾンジャパン㈱", "アマゾンジャパン(株)", "(株)", "㈱", id="parenthesised-kabu"),
    pytest.param("hxxps://evil[.]top/a", "https://evil.top/a", "https://evil.top", "hxxps://evil[.]top",
                 id="defanged-hxxp-dot"),
    pytest.param("hxxp[:]//evil(.)xyz", "http://evil.xyz", "evil.xyz", "evil(.)xyz", id="defanged-colon-paren"),
    pytest.param("evil[dot]top", "evil.top", "evil.top", "evil[dot]top", id="defanged-word-dot"),
]


@pytest.mark.parametrize(("original", "expected", "needle", "slice_"), FOLDED)
def test_folded_view(original: str, expected: str, needle: str, slice_: str) -> None:
    view = fold(original)
    assert view.text == expected
    assert _map_back(view, needle) == slice_


SKELETON = [
    pytest.param("a m a z o n", "amazon", "a m a z o n", id="spread-spaces"),
    pytest.param("a.m.a.z.o.n です", "amazon", "a.m.a.z.o.n", id="spread-dots"),
    pytest.param("p・a・y・p・a・l", "paypal", "p・a・y・p・a・l", id="spread-middle-dots"),
    pytest.param("\u0430mazon", "amazon", "\u0430mazon", id="cyrillic-a"),
    pytest.param("p\u0430yp\u0430l", "paypal", "p\u0430yp\u0430l", id="cyrillic-a-twice"),
    pytest.param("\u03b1pple", "apple", "\u03b1pple", id="greek-alpha"),
    pytest.param("amaz0n", "amazon", "amaz0n", id="zero-for-o"),
    pytest.param("paypa1", "paypal", "paypa1", id="one-for-l"),
    pytest.param("rnicrosoft", "microsoft", "rnicrosoft", id="rn-for-m"),
    pytest.param("Ａ ｍ ａ ｚ ｏ ｎ", "amazon", "Ａ ｍ ａ ｚ ｏ ｎ", id="full-width-and-spread"),
]


@pytest.mark.parametrize(("original", "needle", "slice_"), SKELETON)
def test_skeleton_view(original: str, needle: str, slice_: str) -> None:
    norm = normalise(original)
    assert needle in norm.skeleton.text
    assert _map_back(norm.skeleton, needle) == slice_


def test_skeleton_leaves_plain_numbers_and_words_alone() -> None:
    # Digits become letters only when they touch letters; rn only inside a word; no spreading of real words.
    norm = normalise("電話 0120-999-373 in 2024, turn left, a cat")
    assert "0120-999-373" in norm.skeleton.text
    assert "2024" in norm.skeleton.text
    assert "a cat" in norm.skeleton.text


def test_untouched_text_keeps_identity_map() -> None:
    view = fold("plain ascii text 123")
    assert view.text == "plain ascii text 123"
    assert view.span(6, 11) == (6, 11)


def test_every_folded_character_maps_inside_the_original() -> None:
    original = "Ａｍａｚｏｎ\u200b ｶﾞｲﾄﾞ ㈱ hxxps://x[.]top 😀 ﾊﾟｽ"
    view = fold(original)
    starts, ends = view.maps()
    assert len(starts) == len(ends) == len(view.text)
    for i, (a, b) in enumerate(zip(starts, ends)):
        assert 0 <= a < b <= len(original), (i, view.text[i], a, b)
    assert starts == sorted(starts), "the map must be monotonic"


def test_astral_characters_count_as_one_code_point() -> None:
    # Offsets are Python code points (the UI converts to UTF-16): an emoji before the evidence shifts by 1.
    text = "😀😀 アマゾンジャパン(株)"
    report = mikiwame.check(text)
    ev = next(f for f in report.findings if f.slug == "legal-form-mismatch").evidence[0]
    assert (ev.start, ev.end, ev.text) == (text.index("(株)"), text.index("(株)") + 3, "(株)")


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        pytest.param("a m a z o n アカウント確認", "a m a z o n", id="spread"),
        pytest.param("\u0430mazon security", "\u0430mazon", id="cyrillic"),
        pytest.param("Ａ ｍ ａ ｚ ｏ ｎ 確認", "Ａ ｍ ａ ｚ ｏ ｎ", id="full-width-spread"),
        pytest.param("rnicrosoft security", "rnicrosoft", id="rn-for-m"),
    ],
)
def test_obfuscated_brand_evidence_is_the_original_slice(text: str, evidence: str) -> None:
    finding = next((f for f in mikiwame.check(text).findings if f.slug == "obfuscated-brand"), None)
    assert finding is not None
    ev = finding.evidence[0]
    assert text[ev.start:ev.end] == ev.text == evidence


def test_plain_full_width_brand_is_not_obfuscation() -> None:
    # Full-width letters are how Japanese keyboards often type Latin: not a disguise.
    assert "obfuscated-brand" not in {f.slug for f in mikiwame.check("Ａｍａｚｏｎで購入").findings}


def test_safe_text_replaces_lone_surrogates_keeping_length() -> None:
    raw = "a\ud800b\udfffc"
    out = safe_text(raw)
    assert out == "a\ufffdb\ufffdc" and len(out) == len(raw)
    out.encode("utf-8")
    assert safe_text("普通の文 😀") == "普通の文 😀"


def test_skeletonise_is_idempotent_on_its_output() -> None:
    once = skeletonise(fold("a m a z o n аmazon amaz0n")).text
    assert skeletonise(View(once, once)).text == once


# --- the fast paths agree with the slow ones --------------------------------------------------------------

_ANY_CHAR = st.one_of(st.characters(exclude_categories=()), st.sampled_from(list("ＡａＡ㈱ｶﾞ\u3099\u200bİΣ(.)[]{}:dhxp")))


@settings(max_examples=500, deadline=None)
@given(st.text(_ANY_CHAR))
@example("abc")
@example("İ")
@example("a\u200bb")
@example("\u3099")
def test_text_that_folds_to_itself_is_unchanged_by_translate(text: str) -> None:
    if lowered_fold(text) == text:
        assert text.translate(_FOLD) == text
        # Nothing for the offset-tracking pass either, except the combining sound marks, which fold() looks
        # for itself (it cannot rely on _FOLD.complex, filled only by translate).
        assert not (_FOLD.complex & set(text)) - set("\u3099\u309a")


_FOLD_EXAMPLES = ["Your Parcel", "ΟΔΟΣ Σ σ", "İstanbul", "Amazon\u200bで", "お荷物 Amazon ＡＢＣ", "ガ\u3099 Abc", "か\u3099 Abc",
                  "\u3099Abc", "ǅ ǆ Ǆ", "Ⅻ Abc", "ﬁ Abc", "ẞ Straße", "K Kelvin", "Ω Ohm Ω", "\U0001d400 A", "ß SS", ""]


def _assert_lowered_fold_is_translate(text: str) -> None:
    table = _FoldTable()  # a fresh one: what translate would learn from this text alone
    expected = text.translate(table)
    lowered = lowered_fold(text)
    if lowered is not None:
        assert lowered == expected, text
        # nothing that translate would have taught the offset pass (except the sound marks it knows anyway)
        assert not (table.complex & set(text)) - set("\u3099\u309a"), text


@settings(max_examples=1000, deadline=None)
@given(st.text(_ANY_CHAR))
def test_lowered_fold_equals_translate(text: str) -> None:
    _assert_lowered_fold_is_translate(text)


def test_lowered_fold_equals_translate_on_the_corpus() -> None:
    from corpus_data import LEGIT, SCAM

    taken = 0
    for text in [m["text"] for m in SCAM + LEGIT] + _FOLD_EXAMPLES:
        _assert_lowered_fold_is_translate(text)
        taken += lowered_fold(text) not in (None, text)
    assert taken >= 200  # the fast path did work, not only the texts that fold to themselves


@settings(max_examples=500, deadline=None)
@given(st.text(_ANY_CHAR))
@example("\u3099")
@example("ｶﾞ")
@example("㈱")
def test_fold_skips_the_offset_pass_only_when_it_has_nothing_to_rewrite(text: str) -> None:
    table = _FoldTable()  # a fresh one: the shared table's contents depend on what ran before
    translated = lowered_fold(text)
    translated = text.translate(table) if translated is None else translated
    any_complex, complex_tokens = table.complex_patterns()
    if any_complex.search(translated) is None:
        assert complex_tokens.search(translated) is None


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("hxps[](){}.:/dot a"))))
@example("hxxps://a[.]b")
@example("a(.)b{.}c[dot]d[:]//")
@example("example[dot]com")
@example("http[:]//a")
def test_defang_prefilter_never_misses(text: str) -> None:
    if _DEFANG.search(text):
        assert may_be_defanged(text)


def test_fast_path_examples() -> None:
    assert lowered_fold("アマゾン 未納料金 https://example.com") == "アマゾン 未納料金 https://example.com"
    assert lowered_fold("Ａｍａｚｏｎ") is None  # full width: only translate folds it
    assert lowered_fold("Amazon") == "amazon"  # upper case: does not fold to itself
    assert lowered_fold("ama\u200bzon") is None  # invisible
    assert fold("hxxps://evil[.]top").text == "https://evil.top"


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("ab z0 .・･_-x"))))
@example("a m a z o n")
@example("a.m.a.z.o.n")
@example("p_a-y・p a l")
def test_spread_prefilter_never_misses(text: str) -> None:
    if _SPREAD.search(text):
        assert _MAY_BE_SPREAD.search(text)


def test_view_position_is_the_reverse_of_span():
    """position(original offset) finds the folded character made there, also where folding changed lengths."""
    text = "ｱﾏｿﾞﾝ ㈱ https://x.top/ 未納"
    view = fold(text)
    assert view.starts is not None  # half-width kana and ㈱ change lengths: the mapped case
    for i in range(len(view.text)):
        a, _ = view.span(i, i + 1)
        assert view.starts[view.position(a)] == a
    assert view.position(text.index("https")) == view.text.index("https")
    assert fold("plain text").position(3) == 3


# A text copied from a screenshot keeps the bubble's line ends, and OCR spaces Japanese characters out: the
# folded view joins what the screen cut, and evidence still maps to what was pasted.
@pytest.mark.parametrize(("text", "folded"), [
    ("未納料金が発生しています。本日中にご確\n認ください", "未納料金が発生しています。本日中にご確認ください"),
    ("未 納 料 金 が 発 生 し て お り ま す", "未納料金が発生しております"),
    ("Your parcel could not be delivered, please\nverify your address",
     "your parcel could not be delivered, please verify your address"),
])
def test_a_line_the_screen_wrapped_is_joined(text: str, folded: str) -> None:
    view = fold(text)
    assert view.text == folded
    assert view.span(0, len(view.text)) == (0, len(text))
    word = "確認" if "確認" in folded else ("料金" if "料金" in folded else "please verify")
    start = view.text.index(word)
    a, b = view.span(start, start + len(word))
    assert text[a:b].replace("\n", "").replace(" ", "") == word.replace(" ", "")


@pytest.mark.parametrize("text", [
    "Dear John\nYour account is ready",  # a capital: the sender began the line
    "Files or links\nattachments: invoice.pdf",  # a label line
    "Call us on\n0800 123 456",  # a number: could be a list
    "【Amazon】\nお客様のアカウント",  # a bracket ends the line
    "https://example.com/a\nご確認ください",  # a link ends the line
    "山田 太郎 様\nTaro Yamada",  # only Latin after the break
])
def test_a_line_the_sender_ended_stays(text: str) -> None:
    assert "\n" in fold(text).text


@pytest.mark.parametrize("text", ["Please\nverify your account,\nthen\ncall us", "Dear John\nYour account\nnote: x",
                                  "plain text", "a\n\nb"])
def test_a_join_that_moves_no_offset_keeps_no_map(text: str) -> None:
    """A space for a line end moves no offset: the view keeps no map, and reads as the mapped path does."""
    view = fold(text)
    assert view.starts is None
    starts, ends = View(text, text.lower()).maps()
    mapped = _join_wrapped(View(text, text.lower(), starts, ends))
    assert mapped.text == view.text
    assert [mapped.span(i, i + 1) for i in range(len(text))] == [view.span(i, i + 1) for i in range(len(text))]


def test_the_japanese_comparisons_are_the_japanese_class() -> None:
    """``_japanese`` (string comparisons, for speed) says what the ``_JA`` character class says."""
    cls = re.compile(f"[{_JA}]")
    assert all(_japanese(chr(c)) == bool(cls.match(chr(c))) for c in range(0x3000, 0xA000))
    assert not any(_japanese(chr(c)) for c in range(0, 0x3000))
