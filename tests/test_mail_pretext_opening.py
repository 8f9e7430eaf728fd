"""In an e-mail, MK043 link-with-pretext, MK016 prize-or-refund-lure, MK032 job-or-investment-offer and the threats and
asks MK010, MK011, MK014, MK017, MK018 and MK034 count only in the mail's opening (rules.toml ``mail_opening``;
rules/base.py ``in_mail_opening``).

The fixtures follow the structure of dev hard-ham mails that ``benchmarks/email.py --list-off`` called scam (a
news digest whose story on a card issuer says "outstanding balance" 3,800 characters down, among dozens of the
publisher's links; a newsletter whose link index lists "Internet Recruiting" 8,000 characters down) and of
Phishing Pot dev mails, whose pretext or offer is their first paragraph. Example domains stand in for theirs.
"""

from __future__ import annotations

import mikiwame
from mikiwame.knowledge import load

KB = load()
MK043 = "link-with-pretext"
HEAD = "From: Tech News Daily <news@technews-example.com>\nSubject: Today's headlines\n\n"
STORY = "Card issuer cuts off customers. Customers with an outstanding balance were told to pay it by Friday. "
LINK = "Read more <http://www.technews-example.com/story/1>\n"
FILLER = "".join(f"Headline number {i} about chips, phones and software <http://www.technews-example.com/s/{i}>\n"
                 for i in range(40))


def _slugs(text: str) -> set[str]:
    return {f.slug for f in mikiwame.check(text, "en").findings}


def test_a_pretext_deep_in_a_long_mail_is_no_lure() -> None:
    text = HEAD + FILLER + STORY + LINK
    assert len(FILLER) > KB.rule_by_slug[MK043].mail_opening  # the story starts past the opening
    found = _slugs(text)
    assert "unpaid-bill-claim" not in found  # MK011 itself counts only in the opening too (THREATS below)
    assert MK043 not in found


def test_a_pretext_that_opens_the_mail_is_a_lure() -> None:
    # A phishing mail's shape: the pretext first, then its button; the filler after it changes nothing.
    text = HEAD + STORY + LINK + FILLER
    assert MK043 in _slugs(text)


def test_the_same_words_as_plain_text_keep_mk043() -> None:
    # No headers: a pasted text is read as it always was (the opening applies to e-mails only).
    text = FILLER + STORY + LINK
    assert MK043 in _slugs(text)


def test_a_phishing_notice_is_still_a_scam() -> None:
    text = ("From: Account Service <service@secure-example.top>\nSubject: Your account has been suspended\n\n"
            "Your account has been suspended. Verify your password now to restore access: "
            "http://secure-example.top/login\n" + FILLER)
    report = mikiwame.check(text, "en")
    assert MK043 in {f.slug for f in report.findings}
    assert report.verdict == "scam"


AD = "This email is sponsored by: the leading online job board. Earn up to $3 for each friend who signs up!\n"


def test_an_offer_deep_in_a_long_mail_is_an_advert() -> None:
    found = _slugs(HEAD + FILLER + AD)
    assert "job-or-investment-offer" not in found


def test_an_offer_that_opens_the_mail_is_a_lure() -> None:
    assert "job-or-investment-offer" in _slugs(HEAD + AD + FILLER)
    # and in a pasted text, wherever it stands
    assert "job-or-investment-offer" in _slugs(FILLER + AD)


def test_openings_are_declared_on_phrase_rules_only() -> None:
    declared = {spec.slug: spec for spec in KB.rules if spec.mail_opening is not None}
    assert {"link-with-pretext", "prize-or-refund-lure", "job-or-investment-offer", *THREATS} <= declared.keys()
    assert all(spec.kind in ("meta", "pattern") and spec.mail_opening > 0 for spec in declared.values())


# The threats and asks of dev list posts and news digests that a misfiring sender finding took to "scam"
# (``benchmarks/email.py --misfire``): a story 2,500 characters down reports "a court order", "legal action", "a
# locked account". Each sentence is one the rule's own examples flag (rules.toml), so only its place differs.
THREATS = {"legal-threat": "We will take legal action. ",
           "unpaid-bill-claim": "You have an outstanding toll balance. ",
           "account-locked": "For security reasons we have deactivated your account. ",
           "credential-request": "Please verify your account. ",
           "unusual-login-alert": "We detected unusual activity. ",
           "authority-accusation": "There is an arrest warrant in your name. "}


def test_a_threat_deep_in_a_long_mail_is_news() -> None:
    for slug, sentence in THREATS.items():
        assert len(FILLER) > KB.rule_by_slug[slug].mail_opening
        assert slug not in _slugs(HEAD + FILLER + "Story: " + sentence + LINK), slug


def test_a_threat_that_opens_the_mail_counts() -> None:
    for slug, sentence in THREATS.items():
        assert slug in _slugs(HEAD + sentence + LINK + FILLER), slug


def test_a_threat_in_pasted_text_counts_wherever_it_stands() -> None:
    for slug, sentence in THREATS.items():
        assert slug in _slugs(FILLER + sentence + LINK), slug
