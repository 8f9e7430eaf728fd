"""Properties that hold for ANY input: check() never raises, the report is valid JSON text, the verdict and
score are in range, and every span points at the exact slice of the original (lone surrogates shown as
U+FFFD, see mikiwame.normalise.safe_text). Plus explicit huge and pathological inputs with a generous time
bound: a guard against catastrophic regex backtracking, not a benchmark.
"""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import mikiwame
from corpus_data import LEGIT, SCAM
from mikiwame.normalise import safe_text

VERDICTS = {"scam", "suspicious", "clean"}
TIME_LIMIT_S = 2.0

mikiwame.warm_up()  # loading data must not count against the first timed case


def assert_valid_report(text: str, lang: str = "ja") -> dict:
    report = mikiwame.check(text, lang)
    d = report.to_dict()
    encoded = json.dumps(d, ensure_ascii=False)
    encoded.encode("utf-8")  # raises on a lone surrogate anywhere in the report
    assert json.loads(encoded) == d
    assert mikiwame.check_json(text, lang) == json.dumps(d, ensure_ascii=False, separators=(",", ":"))
    assert d["verdict"] in VERDICTS
    assert isinstance(d["score"], int) and 0 <= d["score"] <= 100
    t = d["thresholds"]
    expected = "scam" if d["score"] >= t["scam"] else "suspicious" if d["score"] >= t["suspicious"] else "clean"
    assert d["verdict"] == expected
    assert d["truncated"] == (len(text) > mikiwame.MAX_CHARS)
    limit = min(len(text), mikiwame.MAX_CHARS)
    spans = [ev for f in d["findings"] for ev in f["evidence"]]
    spans += [e for kind in ("phones", "urls", "emails", "brands") for e in d["entities"][kind]]
    for s in spans:
        assert 0 <= s["start"] <= s["end"] <= limit, s
        assert s["text"] == safe_text(text[s["start"]:s["end"]]), s
    weights = [f["weight"] for f in d["findings"]]
    assert weights == sorted(weights, reverse=True), "findings sorted by descending weight"
    return d


# Alphabet: every code point including lone surrogates, plus characters the normaliser treats specially.
SPECIAL = list("\x00\u200b\u200d\u202e\u2060\ufeff\u00adｱｶﾞﾞﾟ㈱（）－ー０１ＡａаоＯ.@:/-[] \n\t円¥$")
ALPHABET = st.one_of(
    st.characters(exclude_categories=()),
    st.characters(categories=["Cs"]),
    st.sampled_from(SPECIAL),
)
# Fragments of real scam and legitimate messages, so random mixes also produce findings with spans.
FRAGMENTS = [
    "アマゾンジャパン(株)", "アマゾンジャパン㈱", "Ａｍａｚｏｎ", "a m a z o n", "аmazon", "ｱﾏｿﾞﾝ", "amaz0n",
    "本日ご連絡なき場合", "法的手続きに移行致します", "未納金が発生しております", "０３－４３３９－２７４５",
    "03ー4339ー2745", "(0343392745)", "+81 3 4339 2745", "0120-999-373", "https://amazon-co-jp.xyz/login",
    "hxxps://evil[.]top", "https://www.amazon.co.jp/", "http://192.0.2.1/", "bit.ly/abc", "info@example.co.jp",
    "ヤマト運輸", "不在の為持ち帰りました", "確認コード：4821", "\u200b", "\ud800", "\udfff", "😀", "\x00", "。", " ",
    "\n", "1,000円", "¥5,000", "PayPal", "your account has been suspended", "xn--pypal-4ve.com",
]
MIXED = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(ALPHABET, max_size=5)), max_size=25).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.text(ALPHABET), st.sampled_from(["ja", "en"]))
@example("\x00", "ja")
@example("\ud800アマゾンジャパン(株)\udfff 0343392745", "ja")
@example("ｶﾞ" + "\u3099" * 5, "en")
def test_any_text(text: str, lang: str) -> None:
    assert_valid_report(text, lang)


@settings(max_examples=200, deadline=None)
@given(MIXED, st.sampled_from(["ja", "en"]))
@example("\ud800アマゾンジャパン(株) (0343392745) 本日ご連絡なき場合法的手続き", "ja")
@example("hxxps://evil[.]top\ud800bit.ly/abc", "en")  # a link's host with a lone surrogate in it (found by hypothesis)
def test_mixed_scripts_and_real_fragments(text: str, lang: str) -> None:
    assert_valid_report(text, lang)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_plain_text_strategy(text: str) -> None:
    assert_valid_report(text)


def test_fast_json_equals_dict_json_on_corpus() -> None:
    """Report.to_json (cached fragments) and json.dumps(to_dict()) agree on every real message, both
    languages, twice over (the second pass runs on warm caches)."""
    texts = [m["text"] for m in SCAM + LEGIT]
    assert len(texts) > 100
    for _ in range(2):
        for text in texts:
            for lang in ("ja", "en"):
                report = mikiwame.check(text, lang)
                assert report.to_json() == json.dumps(report.to_dict(), ensure_ascii=False, separators=(",", ":"))


@settings(max_examples=50, deadline=None)
@given(MIXED)
def test_deterministic(text: str) -> None:
    assert mikiwame.check_json(text) == mikiwame.check_json(text)


PATHOLOGICAL = {
    "a*1M": "a" * 1_000_000,
    "0*1M": "0" * 1_000_000,
    "ア*1M": "ア" * 1_000_000,
    "a.*200k": "a." * 200_000,
    "0-*200k": "0-" * 200_000,
    "http+a*100k": "http://" + "a" * 100_000,
    "@*100k": "@" * 100_000,
    "ｱ*100k+ﾞ*100k": "ｱ" * 100_000 + "ﾞ" * 100_000,
    "a_space*100k": "a " * 100_000,
    # Inside the analysed 10,000 characters: shapes that stress one regex each.
    "0,*5k": "0," * 5_000,  # money amounts
    "1_space*5k": "1 " * 5_000,  # phone separators
    "0ー*5k": "0ー" * 5_000,
    "+81*2.5k": "+81 " * 2_500,
    "a@*5k": "a@" * 5_000,  # e-mail
    "a.b@*2.5k": "a.b@" * 2_500,
    "www.*2.5k": "www." * 2_500,  # links
    "x.*5k+com": "x." * 5_000 + "com",
    "a-*5k": "a-" * 5_000,
    "a・*5k": "a・" * 5_000,  # spread letters
    "hxxp*1.4k": "hxxp://" * 1_400,  # defanging
    "a[.]*2.5k": "a[.]" * 2_500,
    "rn*5k": "rn" * 5_000,  # homoglyph rn → m
    "zero-width*10k": "\u200b" * 10_000,
    "(*10k": "(" * 10_000,
    "ｶﾞ*5k": "ｶﾞ" * 5_000,
    "legal-names*1.25k": "(株)アマゾン" * 1_250,  # legal form next to a brand, many times
    "brands*2.5k": "アマゾン" * 2_500,
    "surrogates*10k": "\ud800" * 10_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_huge_and_pathological_inputs(name: str) -> None:
    text = PATHOLOGICAL[name]
    start = time.perf_counter()
    mikiwame.check(text)
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT_S, f"{name}: check() took {elapsed:.2f} s"
    d = assert_valid_report(text)
    if len(text) > mikiwame.MAX_CHARS:
        assert d["truncated"] is True and d["notices"], "a truncated check must say so"


def test_empty_and_blank_input() -> None:
    for text in ("", " ", "\n\t　", "\u200b"):
        d = assert_valid_report(text)
        assert d["verdict"] == "clean" and d["findings"] == []
    assert assert_valid_report("")["notices"], "empty input gets a notice"


def test_non_str_raises_type_error() -> None:
    with pytest.raises(TypeError):
        mikiwame.check(b"bytes")  # type: ignore[arg-type]
