"""A warning quotes the scam it warns about, and not always inside one pair of quotation marks: the quoted scam
has its own 「【三菱UFJ銀行】」 inside 「…」, or the warning sets it off as a block of lines under a line that
announces it ("An example is below:", 「次のようなSMSが届いています。」) and goes on under it ("Do not click…",
「※上記は詐欺です」). rules/shape.py reads both as the scam's words (``_bracketed``, ``_introduced``): its link or
number is not the warning's own ask, and the announcing line is half of a short warning's frame. A scam posing as
a warning, with a link or number of its own outside the block, is still a scam; so is a block nothing closes, and
so is a scam a person pastes under their own words ("I got this today:") and asks about or asks for help with."""

from __future__ import annotations

from pathlib import Path

import pytest

import mikiwame
from mikiwame import engine
from mikiwame.knowledge import load
from mikiwame.rules import shape

SEED = (Path(__file__).parent / "fixtures" / "messages" / "001_scam_seed_1.txt").read_text(encoding="utf-8").strip()
ONE_MARKER = "We are aware of texts which appear to come from the council. An example is below:\n\n{}\n\nDelete it."
# The shape of a real phishing SMS (a bank's name in brackets, a link of its own), written for the tests.
SMS_JA = "【三菱UFJ銀行】「要返信」お客様の口座が凍結されました。こちらから確認してください https://mufg-kakunin.top/"
SMS_EN = "Royal Mail: your parcel is awaiting delivery. Please confirm the settlement of 1.99 GBP at https://rm-redelivery.top"

WARNINGS = {
    "nested brackets": ("ja", "宅配業者や銀行を装った不審なSMSにご注意ください。「" + SMS_JA + "」というSMSが届いています。"),
    "block under a line ending in a colon": (
        "en", "Dear residents,\nWe are aware of texts which appear to come from the council. An example is below:\n\n"
        + SMS_EN + "\n\nThe council will never send texts asking for payment details. Delete it."),
    "block under 次のような, closed by a separator": (
        "ja", "〇〇市役所から注意喚起のお知らせです。\n市民の方から次のメールが届いたとの連絡がありました。\n―――\n" + SMS_JA
        + "\n―――\n心当たりのない場合は、記載されたURLには絶対にアクセスしないでください。"),
    "block under a heading, closed by a look back": (
        "ja", "【安心メール】\n宅配業者を装った不審なSMSが確認されています。\n【メールの例】\n" + SMS_JA + "\n※上記は詐欺です。家族や警察に相談しましょう。"),
    "plain double quotes around lines": (
        "en", 'Scam alert: residents have received texts like "' + SMS_EN.replace(". ", ".\n") + '" Do not click the link.'),
    "block under 以下の内容のメール": (
        "ja", "○○警察署からのお知らせ\n本日、市内の方の携帯電話に以下の内容のメールが届いています。\n\n" + SMS_JA
        + "\n\nこのメールは詐欺です。記載のURLには絶対にアクセスしないでください。"),
}

FAKE_WARNINGS = {
    "own link after the block": (
        "en", "Fraud alert: beware of fake texts like the one below.\n\n" + SMS_EN
        + "\n\nTo keep your account safe, confirm your details today: https://safe-verify-login.top"),
    "own number after the block": (
        "ja", "詐欺にご注意ください。次のようなSMSが届いています:\n\n" + SMS_JA + "\n\n被害を防ぐため、今すぐ 050-3123-4567 までお電話ください。"),
    "own link between two quoted words": (
        "en", 'Beware of "fake" texts. Verify your account at https://account-verify-now.top today to stay "safe".'),
    "a block nothing closes": (
        "en", "Security warning: we have detected the following suspicious message sent from your account:\n" + SMS_EN),
}


def _ctx(text: str):  # noqa: ANN202 - the engine's Context
    analysed, parsed = engine.intake(text)
    return engine.decide(analysed, parsed, load()).ctx


@pytest.mark.parametrize("name", WARNINGS)
def test_a_warning_that_quotes_a_scam_as_a_block_is_a_warning(name: str) -> None:
    lang, text = WARNINGS[name]
    scam_alone = mikiwame.check(SMS_JA if lang == "ja" else SMS_EN, lang)
    report = mikiwame.check(text, lang)
    assert scam_alone.verdict == "scam"
    assert "warning-about-scams" in {f.slug for f in report.findings}, [f.slug for f in report.findings]
    assert report.verdict != "scam", report.score


@pytest.mark.parametrize("name", FAKE_WARNINGS)
def test_a_scam_posing_as_a_warning_around_a_block_is_still_a_scam(name: str) -> None:
    lang, text = FAKE_WARNINGS[name]
    report = mikiwame.check(text, lang)
    assert "warning-about-scams" not in {f.slug for f in report.findings}
    assert report.verdict == "scam", report.score


def test_nested_brackets_make_one_quotation() -> None:
    text = "注意「" + SMS_JA + "」以上"
    spans = shape._bracketed(text)
    assert spans == [(text.index("「"), text.rindex("」") + 1)]
    assert shape._bracketed("「閉じない") == [] and shape._bracketed("」「a」") == [(1, 4)]


def test_the_announcing_line_is_evidence_and_the_block_is_the_quote() -> None:
    text = ONE_MARKER.format(SMS_EN)
    ctx = _ctx(text)
    [(line, block)] = shape._introduced(ctx)
    folded = ctx.norm.folded.text
    assert folded[slice(*line)].endswith("an example is below:")
    assert folded[slice(*block)] == SMS_EN.lower()
    assert len(ctx.hits["talks-about-scams"].evidence) == 1  # "appear to come from": one marker alone is no warning
    report = mikiwame.check(text, "en")
    [warning] = [f for f in report.findings if f.slug == "warning-about-scams"]
    assert any("example is below" in s.text for s in warning.evidence)
    assert report.verdict != "scam"


def test_a_known_scam_number_in_the_quote_still_makes_a_short_warning_a_scam() -> None:
    """Only a number reported in scams cancels a short warning (shape.own_asks): the seed's Amazon number."""
    text = ("○○警察署からのお知らせ\n本日、市内の方の携帯電話に以下の内容のメールが届いています。\n\n" + SEED
            + "\n\nこのメールは詐欺です。記載の番号には絶対に電話しないでください。")
    slugs = {f.slug for f in mikiwame.check(text, "ja").findings}
    assert "known-scam-number" in slugs and "warning-about-scams" not in slugs


@pytest.mark.parametrize("line", ["We are aware of texts from the council. An example is below:", "届いた文面は次のとおりです。",
                                  "本日、下記の不審メールが届いております。", "【メールの例】", "<実際に届いたメッセージ>",
                                  "Residents have reported this text:"])
def test_lines_that_announce_a_quoted_message(line: str) -> None:
    assert shape._introduces(line.lower())


@pytest.mark.parametrize("line", ["Please verify at the following link:", "Your account is locked. Verify now:",
                                  "下記URLからログインしてください。", "【三菱UFJ銀行】", "Details below",
                                  "We have sent you a text message with the code. " * 3 + "It is below:"])
def test_lines_that_announce_no_message(line: str) -> None:
    assert not shape._introduces(line.lower())


# A person who pastes what they were sent often says so, or asks about it: that is the message, not a warning.
PERSON = {
    "question on the first line": ("en", "Is this a scam? I got this today:\n" + SMS_EN),
    "question in the line that shows it": ("ja", "以下のメッセージが届いたのですが、詐欺でしょうか。\n\n" + SMS_JA + "\n\nよろしくお願いします。"),
    "question on the last line": ("ja", "母に次のようなメールが届きました:\n" + SMS_JA + "\n怪しいですか？"),
    "no advice under the quote": ("en", "My mum received this text message this morning:\n\n" + SMS_EN + "\n\nWhat should she do?"),
    # the shape of a card issuer's phishing mail, whose last paragraph has notice-like advice of its own (right
    # under the first paragraph, such advice would read as a warning's: the one case the paragraph rule gets wrong)
    "the mail's own advice further down": (
        "ja", "下記のSMSが届きました\n" + SMS_JA + "\n\nお手続きは本日中にお願いいたします。\n\n※本メールは送信専用です。\n"
        "※心当たりのない場合は本メールを破棄してください。\nよろしくお願いします"),
}


@pytest.mark.parametrize("name", PERSON)
def test_a_person_showing_a_scam_they_got_is_shown_the_scam(name: str) -> None:
    lang, text = PERSON[name]
    report = mikiwame.check(text, lang)
    assert "warning-about-scams" not in {f.slug for f in report.findings}, name
    assert report.verdict == "scam", report.score
