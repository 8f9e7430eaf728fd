"""MK087 random-sender-mailbox (issue 12): the From mailbox name is a random jumble of capitals and small
letters, made up per message by a snowshoe mailer (SpamAssassin HK_RANDOM_FROM).

Fixture: the structure of two Phishing Pot dev-half messages of one mailing kit (a third-party "offer" in a
brand's name: From "<Brand> Offer" <HvGkodFtmcYKpfN@space.<domain>>, a Return-Path with another random
name on the same host, plain-text body whose every link is ``https://space.<domain>/<random path>``, an
in-body "Unsubscribe here" and "sent by a 3rd party marketing company" note, spf=pass dmarc=pass); names and
domains replaced. Before MK087 the kit passed as a newsletter (MK073's own-links shape, MK083's −10) and was
called clean. The negative cases are the genuine mailbox names of the dev halves that come closest: a
discussion list's CamelCase address, CNET's per-message bounce name (digits and punctuation), a person's
vowel-less initials."""

from __future__ import annotations

import pytest

from mikiwame import engine
from mikiwame.rules.mail import random_mailbox

OFFER = (
    "From: Fidelity Life RAPIDecision Offer <{mailbox}@space.mailkit-example.us>\n"
    "Return-Path: <eOmAPRcQLiMAtvn@space.mailkit-example.us>\n"
    "Authentication-Results: mx.example.net; dkim=none; spf=pass smtp.mailfrom=space.mailkit-example.us;"
    " dmarc=pass header.from=space.mailkit-example.us\n"
    "To: reader@example.org\n"
    "Subject: Free $1,000,000 term life policy quote available today\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Term Life Insurance\n\n"
    "GET YOUR FREE QUOTE https://space.mailkit-example.us/4AbkkD2514hRdV265yxwrjkqmyh551KXWJAGVQ\n\n"
    "Protect your family. Save up to 70%. 100% risk-free, no obligation.\n\n"
    "GET STARTED https://space.mailkit-example.us/4VhPzR2514piul265aztbwkakxg551LPLILOXXGN\n\n"
    "This message was sent by a 3rd party marketing company. If you do not wish to receive these messages,"
    " please Unsubscribe here https://space.mailkit-example.us/5pMJLe2618KQwC185wkxfzcuqpq551UJUU\n"
)


def check(mailbox: str):  # noqa: ANN201
    return engine.check_bytes(OFFER.format(mailbox=mailbox).encode("utf-8"), "en")


@pytest.mark.parametrize("local", [
    "HvGkodFtmcYKpfN", "caQIUAgQI", "eOmAPRcQLiMAtvn",
    # The same snowshoe mailer's shorter and lower-case forms (extra dev Phishing Pot mails, round 15).
    "kJYqaDB", "0990fp5xhhst", "uh6b8zzjlldv", "fdDcYbGtHMjwnIr", "PzQzHjP",
])
def test_generated_mailbox_names_are_random(local: str):
    assert random_mailbox(local)


@pytest.mark.parametrize("local", [
    "OneIncomeLiving",  # words joined in CamelCase (a discussion list on groups.msn.com, hard ham)
    "McDonaldsNEWS",  # a name and a word in capitals: one place where the case turns, not two
    "Online#3.19658.4b-VXMQgNtUP_hbAdRR.1",  # CNET's per-message bounce name (hard ham): not letters only
    "jcmvbkbc",  # a person's initials without vowels, one case
    "newsletter", "Info", "FLN-Community", "xY",  # ordinary names, and a random one too short to tell
    "john1985", "1985john", "john1985smith", "newsletter2002",  # a number at one end or between two words
    "imPjcKG",  # one place where the case turns: too few to tell from a name
    "iPhoneFan", "JohnMcDonald", "YouTubeTV", "DrJoeMD",  # joined words: at most two pieces under three letters
])
def test_names_people_and_companies_write_are_not(local: str):
    assert not random_mailbox(local)


def test_the_offer_kit_is_no_longer_a_newsletter():
    report = check("HvGkodFtmcYKpfN")
    slugs = {f.slug for f in report.findings if f.weight}
    finding = next(f for f in report.findings if f.slug == "random-sender-mailbox")
    # the evidence is the address in the From line shown, not a trace header
    line_start = report.email["text"].rfind("\n", 0, finding.evidence[0].start) + 1
    assert report.email["text"][line_start:].startswith("From: ")
    assert finding.evidence[0].text == "HvGkodFtmcYKpfN@space.mailkit-example.us"
    # a made-up sender is no consistent sender: no newsletter discount, no credit; the borrowed name counts
    assert "bulk-mail-shape" not in slugs and "newsletter-without-ask" not in slugs
    assert "sender-name-unrelated" in slugs
    assert report.verdict != "clean"


def test_the_same_mail_from_a_kept_mailbox_stays_a_newsletter():
    report = check("offers")
    slugs = {f.slug for f in report.findings}
    assert "random-sender-mailbox" not in slugs
    assert "bulk-mail-shape" in slugs
    assert report.verdict == "clean"


def test_pasted_text_that_is_not_an_email_never_fires_it():
    report = engine.check("Mail HvGkodFtmcYKpfN@space.mailkit-example.us for a free quote", "en")
    assert "random-sender-mailbox" not in {f.slug for f in report.findings}
