"""A mail program's copy: the lines Outlook, Gmail or Apple Mail show above a message or a forward ("From: …",
"Sent: …", "To: …", "Subject: …") copied along with the body. It is parsed as an e-mail (its From and Reply-To
are judged by the mail rules) but holds none of the headers servers add (``Mail.traced``), so its body is read
as a text: the wording model and the reported-scam templates read the body (``rules.wording.read_text``), the
body's brands are its claims, and the rules whose premise is the servers' headers (MK119's "nothing wrong with
its headers", MK075) leave it to the text rules. Dev probe (fold models): scams with such lines put in front,
called scam 102 of 181 e-mail and 198 of 380 other → 181 and 378 (181 and 379 without the lines); genuine
flagged 16 of 410 (14 without the lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

import mikiwame
from mikiwame import engine
from mikiwame.mail import parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "messages"
OUTLOOK = "From: Taro Yamada <taro@example-mail.com>\nSent: Monday, November 30, 2026 9:41 AM\nTo: me@example.org\nSubject: FW:\n\n"
GMAIL = "From: Notice <notice@example-mail.com>\nDate: Mon, 30 Nov 2026 at 09:41\nSubject: Fwd: Notice\nTo: <me@gmail.com>\n\n"
RECEIVED = "Received: from mx.example.org (mx.example.org [192.0.2.1]) by mail.example.org; Mon, 30 Nov 2026 09:41:00 +0900\n"


@pytest.mark.parametrize(("head", "traced"), [
    (OUTLOOK, False), (GMAIL, False),
    (RECEIVED + OUTLOOK, True),
    ("Message-ID: <1@mail.example.org>\n" + GMAIL, True),
    ("Authentication-Results: mx.example.org; dkim=pass header.d=example-mail.com\n" + GMAIL, True),
])
def test_a_copy_holds_no_servers_headers(head: str, traced: bool) -> None:
    mail = parse_text(head + "本文です")
    assert mail is not None and mail.traced is traced


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
@pytest.mark.parametrize("head", [OUTLOOK, GMAIL], ids=["outlook", "gmail"])
def test_a_message_under_a_mail_programs_lines_is_read_as_the_text_is(path: Path, head: str) -> None:
    text = path.read_text(encoding="utf-8")
    alone, copied = mikiwame.check(text, "ja"), mikiwame.check(head + text, "ja")
    assert copied.verdict == alone.verdict
    wording = {"scam-like-wording", "leans-scam-like-wording", "similar-to-reported-scam"}
    assert {f.slug for f in copied.findings} & wording == {f.slug for f in alone.findings} & wording


def test_the_wording_evidence_lies_in_the_body() -> None:
    text = (FIXTURES / "001_scam_seed_1.txt").read_text(encoding="utf-8")
    source = OUTLOOK + text
    parsed = engine.intake(source)[1]
    assert parsed is not None and not parsed.traced
    report = mikiwame.check(source, "ja")
    wording = next(f for f in report.findings if f.slug.endswith("scam-like-wording"))
    for span in wording.evidence:
        assert span.start >= parsed.body_start
        assert parsed.text[span.start:span.end] == span.text


def test_the_servers_headers_keep_the_mail_reading() -> None:
    """A source from "show original" is the mail filter's: the wording model, trained on texts, does not read
    mailing-list prose."""
    text = (FIXTURES / "001_scam_seed_1.txt").read_text(encoding="utf-8")
    slugs = {f.slug for f in mikiwame.check(RECEIVED + OUTLOOK + text, "ja").findings}
    assert not slugs & {"scam-like-wording", "leans-scam-like-wording"}
    assert {f.slug for f in mikiwame.check(OUTLOOK + text, "ja").findings} & {"scam-like-wording"}


def test_hi_mum_under_a_mail_programs_lines() -> None:
    body = "Hi mum, I've changed provider temporarily have this number. Can you text me when you get this"
    slugs = {f.slug for f in mikiwame.check(GMAIL + body, "en").findings}
    assert "family-new-number" in slugs
