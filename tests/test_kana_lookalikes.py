"""Japanese OCR reads katakana as look-alike kanji and dashes (「メ一ル」, 「ア力ウント」, 「ク口ネコ」), and
scammers type them so to slip past filters. The folded view reads such a character as the katakana where it
stands in a katakana word, and leaves the kanji where it is one (normalise._KANA_LOOKALIKE)."""

from __future__ import annotations

from pathlib import Path

import pytest

import mikiwame
from mikiwame.normalise import fold

# The golden scam fixtures that hold a katakana OCR confuses (the seeds' 「アマゾン」 holds none).
SCAMS = [p for p in sorted((Path(__file__).parent / "fixtures" / "messages").glob("*_scam_*.txt"))
         if any(kana in p.read_text(encoding="utf-8") for kana in "ーロカエニトタハオ")]
# What Japanese OCR confuses: each katakana and the kanji (or hiragana-free dash) it is read as.
OCR_CONFUSIONS = str.maketrans({"ー": "一", "ロ": "口", "カ": "力", "エ": "工", "ニ": "二", "ト": "卜", "タ": "夕",
                                "ハ": "八", "オ": "才"})


@pytest.mark.parametrize(("typed", "read"), [
    ("メ一ルをご確認ください", "メールをご確認ください"),
    ("ア力ウントが停止されました", "アカウントが停止されました"),
    ("ク口ネコヤマト", "クロネコヤマト"),
    ("サ一バ一の", "サーバーの"),
    ("二ュース", "ニュース"),
    ("サポ一卜に電話", "サポートに電話"),
    ("マネ一口ンダリング", "マネーロンダリング"),
    ("その力一ド番号", "そのカード番号"),
    ("アカウン卜制限", "アカウント制限"),
    ("プライバシ-ポリシ-", "プライバシーポリシー"),
    ("才ンラインバンキング", "オンラインバンキング"),
])
def test_a_look_alike_in_a_katakana_word_is_read_as_katakana(typed: str, read: str) -> None:
    view = fold(typed)
    assert view.text == read
    assert view.span(0, len(view.text)) == (0, len(typed))  # one character for one: offsets unchanged


@pytest.mark.parametrize("text", [
    "口コミで人気", "カード口座", "カード一枚", "データ一覧", "スマホ一つで稼げる", "一口10万円", "加工食品",
    "二ヶ月後", "ポイント二倍", "統一", "03-1234-5678", "夕方に八百屋へ", "才能", "入力してください",
])
def test_a_kanji_that_is_one_stays(text: str) -> None:
    assert fold(text).text == text


@pytest.mark.parametrize("path", SCAMS, ids=lambda p: p.stem)
def test_a_scam_read_with_ocr_confusions_is_still_the_same_scam(path: Path) -> None:
    assert len(SCAMS) >= 3
    text = path.read_text(encoding="utf-8")
    confused = text.translate(OCR_CONFUSIONS)
    assert confused != text
    typed, read = mikiwame.check(text, "ja"), mikiwame.check(confused, "ja")
    assert read.verdict == typed.verdict == "scam"
    assert {f.slug for f in read.findings} == {f.slug for f in typed.findings}


def test_a_brand_written_with_look_alikes_is_still_named() -> None:
    report = mikiwame.check("【ア力ウン卜停止】アマゾンのア力ウン卜を確認してください", "ja")
    plain = mikiwame.check("【アカウント停止】アマゾンのアカウントを確認してください", "ja")
    assert {f.slug for f in report.findings} == {f.slug for f in plain.findings}
    assert report.score == plain.score > 0


def test_the_candidate_scan_reads_what_the_whole_pattern_does() -> None:
    """``_as_katakana_words`` tries ``_KANA_LOOKALIKE`` only where a look-alike stands; that is what
    ``finditer`` over the whole text finds (its plain definition), on every corpus text and the cases above."""
    from corpus_data import LEGIT, SCAM
    from mikiwame import normalise as n

    def plain(view: n.View) -> n.View:
        once = n._rewrite(view, n._KANA_LOOKALIKE, n._as_katakana)
        return once if once is view else n._rewrite(once, n._KANA_LOOKALIKE, n._as_katakana)

    texts = [m["text"] for m in SCAM + LEGIT] + ["サポ一卜に", "マネ一口ンダ", "その力一ド番号", "アカウン卜制限", "プライバシ-ポリシ-",
                                                 "一口10万円", "カード口座", "センタ一0359620597"]
    read = 0
    for text in texts:
        view = n.View(text, text.translate(n._FOLD))
        fast, slow = n._as_katakana_words(view), plain(view)
        assert (fast.text, fast.starts, fast.ends) == (slow.text, slow.starts, slow.ends)
        read += fast is not view
    assert read >= 7
