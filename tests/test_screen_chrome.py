"""A screenshot's text (or a copied thread) carries the messaging app's own lines around the message: the
sender's number, "Text Message" / 「SMS/MMS」, the time, "Delivered" / 「既読」; a message pasted from a chat
or a post carries the person's own question ("Is this a scam?"); a forwarded one starts with "Fwd: ". The folded
view drops such lines at the two ends (normalise._drop_screen_chrome) and the forward mark at its start, the wording model does not read the sender's number
(learned._SENDER_NUMBER), and a "Hi mum" under that number still opens the message (MK097)."""

from __future__ import annotations

from pathlib import Path

import pytest

import mikiwame
from mikiwame.normalise import fold

SEEDS = sorted((Path(__file__).parent / "fixtures" / "messages").glob("00[123]_scam_seed_*.txt"))
HI_MUM = "Hi mum, I've changed provider temporarily have this number. Can you text me when you get this"

THREADS = {
    "ios-en": lambda t: "+1 (415) 555-0132\nText Message\nToday 10:15 AM\n" + t + "\nDelivered",
    "ios-ja": lambda t: "090-1234-5678\nSMS/MMS\n今日 10:15\n" + t + "\n既読",
    "android-ja": lambda t: "＋メッセージ\n2024/1/15(月) 午後3:04\n" + t + "\n15:05",
    "date-en": lambda t: "Text Message • SMS\nSat, Nov 30 at 9:41 AM\n\n" + t + "\n\nRead 9:42 AM",
}


@pytest.mark.parametrize("form", THREADS.values(), ids=THREADS.keys())
def test_the_apps_lines_leave_the_folded_view_and_offsets_still_point_at_the_original(form) -> None:  # noqa: ANN001
    message = "お客様のアカウントが停止されました"
    original = form(message)
    view = fold(original)
    assert message in view.text
    for word in ("text message", "sms/mms", "10:15", "delivered", "既読", "2024/1/15", "9:41", "メッセージ\n"):
        assert word not in view.text
    start = view.text.index(message)
    a, b = view.span(start, start + len(message))
    assert original[a:b] == message


def test_the_senders_number_stays_for_the_phone_rules() -> None:
    view = fold("090-1234-5678\nSMS/MMS\n今日 10:15\n本文です")
    assert view.text == "090-1234-5678\n本文です"


@pytest.mark.parametrize("text", [
    "Hi, today 10:15 works for me\nSee you",  # the time inside a line of the sender's
    "お届け予定\n12月3日 10:00\nご不在の場合は連絡票を入れます",  # a date line in the middle is the message's
    "Today 10:15",  # nothing but the app's line: left to be read
    "Text Message\nToday 10:15 AM\n",  # nothing under the app's lines
    "Your parcel is on its way and will arrive today between 10:15 and 12:00 as planned\nThanks",
    "本文だけのメッセージ",
    "",
])
def test_text_without_an_apps_line_at_its_ends_is_folded_as_before(text: str) -> None:
    assert fold(text).text == text.lower()


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("form", THREADS.values(), ids=THREADS.keys())
def test_a_seed_in_a_screenshot_thread_is_the_same_scam(path: Path, form) -> None:  # noqa: ANN001
    assert len(SEEDS) == 3
    text = path.read_text(encoding="utf-8")
    typed, read = mikiwame.check(text, "ja"), mikiwame.check(form(text), "ja")
    assert read.verdict == typed.verdict == "scam"
    assert {f.slug for f in read.findings} == {f.slug for f in typed.findings}


@pytest.mark.parametrize("form", THREADS.values(), ids=THREADS.keys())
def test_hi_mum_under_the_apps_lines_is_still_the_hi_mum_scam(form) -> None:  # noqa: ANN001
    typed, read = mikiwame.check(HI_MUM, "en"), mikiwame.check(form(HI_MUM), "en")
    assert "family-new-number" in {f.slug for f in typed.findings}
    assert {f.slug for f in read.findings} == {f.slug for f in typed.findings}
    assert read.verdict == typed.verdict != "clean"


def test_the_wording_model_does_not_read_the_senders_number() -> None:
    from mikiwame import learned

    plain = "Your account is locked, verify now"
    number = "+44 7700 900123"
    headed, blanked = fold(number + "\n" + plain).text, fold(" " * len(number) + "\n" + plain).text
    assert learned.prepare(headed) == learned.prepare(blanked)
    assert learned.score(headed).probability == learned.score(blanked).probability
    # a number the message gives to call, on a line of its own further down, is still read
    assert learned.prepare(fold(plain + "\n" + number).text) != learned.prepare(fold(plain + "\n").text + " " * len(number))


QUESTIONS = ["Is this a scam?", "Got this text today, is it legit?", "これって詐欺ですか？", "このSMSが届きました。詐欺でしょうか？",
             "Is this real?? 😟", "本物？"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_persons_question_above_or_under_the_message_is_not_its_wording(question: str) -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        typed = mikiwame.check(text, "ja")
        for asked in (question + "\n" + text, question + "\n\n" + text, text + "\n" + question):
            read = mikiwame.check(asked, "ja")
            assert {f.slug for f in read.findings} == {f.slug for f in typed.findings}
            assert read.score == typed.score
    assert fold(question + "\nHi mum").text == "hi mum"


@pytest.mark.parametrize("text", [
    "Is this a scam? Here is how to tell a fake text from a real one, and what to do if you clicked the link",
    "Are you free tonight?\nSee you",  # a question, but not about the message being real
    "詐欺に注意してください。\n本文です。",  # a warning's own headline, no question
])
def test_a_line_that_is_not_the_persons_question_stays(text: str) -> None:
    assert fold(text).text == text.lower()


@pytest.mark.parametrize("mark", ["Fwd: ", "FW: ", "Fw: Fwd: ", "転送：", "  fwd:"])
def test_a_forward_mark_before_the_message_is_not_its_opening(mark: str) -> None:
    typed, read = mikiwame.check(HI_MUM, "en"), mikiwame.check(mark + HI_MUM, "en")
    assert "family-new-number" in {f.slug for f in typed.findings}
    assert {f.slug for f in read.findings} == {f.slug for f in typed.findings}
    assert read.verdict == typed.verdict != "clean"
    view = fold(mark + HI_MUM)
    assert view.text == HI_MUM.lower()
    assert (mark + HI_MUM)[slice(*view.span(0, 6))] == "Hi mum"


@pytest.mark.parametrize("text", ["fwd:", "Fwd:   ", "forward this to your mum", "fw.com has the details",
                                  "Please fwd: the minutes", "転送された"])
def test_a_text_without_a_forward_mark_at_its_start_keeps_its_words(text: str) -> None:
    assert fold(text).text == text.lower()
