"""A forwarded e-mail pasted as a mail program wrote it (``forwarded.source``): the marker line and the
forwarded header become an e-mail source, read like a mail program's copy (``mail.Mail.traced`` False)."""

from __future__ import annotations

from pathlib import Path

import pytest

import mikiwame
from mikiwame import engine, forwarded

FIXTURES = Path(__file__).parent / "fixtures" / "messages"
PHISH_EN = "Dear customer, your account is on hold. Verify at https://amaz0n-security.top/verify"
FORMS = {
    "gmail": "---------- Forwarded message ---------\nFrom: {sender}\nDate: Mon, 30 Nov 2026 at 09:41\n"
             "Subject: Notice\nTo: <me@gmail.com>\n\n",
    "gmail-note": "Is this real??\n\n---------- Forwarded message ---------\nFrom: {sender}\n"
                  "Date: Mon, 30 Nov 2026 at 09:41\nSubject: Notice\nTo: <me@gmail.com>\n\n\n",
    "outlook": "-----Original Message-----\nFrom: {sender}\nSent: Monday, November 30, 2026 9:41 AM\n"
               "To: me@example.org\nSubject: FW: Notice\n\n",
    "outlook-rule": "________________________________\nFrom: {sender}\nSent: Monday, November 30, 2026 9:41 AM\n"
                    "To: me@example.org\nSubject: Notice\n\n",
    "outlook-ja": "-----Original Message-----\n差出人: {sender}\n送信日時: 2026年11月30日 9:41\n宛先: taro@example.jp\n"
                  "件名: お知らせ\n\n",
    "apple": "Begin forwarded message:\n\nFrom: {sender}\nSubject: Notice\nDate: 30 November 2026 at 09:41:00 JST\n"
             "To: me@example.org\n\n",
}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_each_programs_forward_becomes_a_mail_with_its_sender(form: str) -> None:
    text = form.format(sender="Amazon <account-update@amaz0n-security.top>") + PHISH_EN
    source = forwarded.source(text)
    assert source is not None and source.startswith("From: Amazon <account-update@amaz0n-security.top>\n")
    assert source.endswith("\n\n" + PHISH_EN) and "Is this real" not in source and "Forwarded" not in source
    shown, parsed = engine.intake(text)
    assert parsed is not None and not parsed.traced
    report = mikiwame.check(text, "en")
    assert report.email is not None and report.verdict == "scam"
    assert "display-name-brand" in {f.slug for f in report.findings}  # the forwarded From is judged


def test_outlooks_mailto_form_is_an_address() -> None:
    text = FORMS["outlook"].format(sender="Amazon [mailto:account-update@amaz0n-security.top]") + PHISH_EN
    assert "From: Amazon <account-update@amaz0n-security.top>\n" in forwarded.source(text)


@pytest.mark.parametrize("text", [
    "Thanks!\n\n________________________________\nSent from my phone",  # a signature's rule, no header
    "---------- Forwarded message ---------\nhello there",  # no header under the marker
    "---------- Forwarded message ---------\nSubject: Notice\n\nbody",  # no sender named
    "x" * 500 + "\n---------- Forwarded message ---------\nFrom: a <a@b.example>\nTo: c@d.example\n\nbody",
    "Call 03-1234-5678 -- today only\nFrom: the shop",
])
def test_text_that_is_no_forward(text: str) -> None:
    assert forwarded.source(text) is None
    assert mikiwame.check(text, "en").email is None


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_a_forwarded_message_is_judged_as_the_message(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    forward = FORMS["gmail"].format(sender="Taro Yamada <taro@example-mail.com>") + text
    alone, sent_on = mikiwame.check(text, "ja"), mikiwame.check(forward, "ja")
    assert sent_on.verdict == alone.verdict
