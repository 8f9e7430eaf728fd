"""MK119 lure-wording-only and its cap: an e-mail whose only findings are lure wording (a prize draw, "click here")
reaches "suspicious" at most; an ask a scam is after, a claimed brand or institution, or any header, sender or link
finding lifts the cap.

The fixtures follow the structure of dev mails that ``benchmarks/email.py --shape-off`` called scam before this
rule: the dev hard-ham "ZDNet Shopper" newsletter and easy-ham list mails whose list shape was not recognised, a
prize draw and "click here" to a partner's site with nothing else against them (MK016 + MK043, 60). Example
domains stand in for theirs.
"""

from __future__ import annotations

import pytest

import mikiwame
from mikiwame.knowledge import load
from mikiwame.rules import BUILTINS
from mikiwame.rules.mail_newsletter import LURE_ASKS, SCAM_EVIDENCE, WORDED_CLAIMS
from mikiwame.score import is_phrase

KB = load()
CAPPED = "lure-wording-only"
# A Received line stands for the servers' headers of the dev mails these are built from (``Mail.traced``).
RECEIVED = "Received: from mx.example.org (mx.example.org [192.0.2.1]) by mail.example.org; Mon, 23 Sep 2002 15:19:16 +0000\n"
HEAD = RECEIVED + "From: Tech Deals <deals@tech-example.com>\nSubject: This week's deals\n\n"
LURE = "You have won a free prize! Click here to claim it: http://www.partner-example.net/offer"


def _findings(text: str) -> dict[str, int]:
    return {f.slug: f.weight for f in mikiwame.check(text, "en").findings}


def test_lure_wording_alone_stays_below_scam() -> None:
    report = mikiwame.check(HEAD + LURE, "en")
    found = {f.slug: f.weight for f in report.findings}
    assert CAPPED in found
    assert {"prize-or-refund-lure", "link-with-pretext"} <= found.keys()
    # The lure adds up to a scam's score on its own; the cap holds it one below the threshold.
    assert sum(found.values()) >= KB.thresholds["scam"]
    assert report.score == KB.thresholds["scam"] - 1
    assert report.verdict == "suspicious"


def test_the_same_words_as_a_text_message_are_not_capped() -> None:
    # No headers: the words are all there is (the SMS corpus the phrase weights were fitted on).
    report = mikiwame.check(LURE, "en")
    assert CAPPED not in {f.slug for f in report.findings}
    assert report.verdict == "scam"


@pytest.mark.parametrize(("why", "text"), [
    ("fee-before-release", HEAD + LURE.replace("claim it", "claim it and pay the small fee to release it")),
    ("reply-request", HEAD + LURE + "\nReply to this email with your full name to claim."),
    ("url-shortener", HEAD + LURE.replace("http://www.partner-example.net/offer", "https://bit.ly/3xYzAbc")),
    ("display-name-brand", HEAD.replace("Tech Deals", "PayPal") + LURE),
    ("unauthenticated-sender", "Authentication-Results: mx.example.net; spf=fail smtp.mailfrom=tech-example.com; "
                               "dkim=none; dmarc=none\n" + HEAD + LURE),
])
def test_a_scams_own_evidence_lifts_the_cap(why: str, text: str) -> None:
    # A fee (the FTC's prize-scam ask), a reply (a lottery's first step), a link that names no owner, a brand the
    # sender cannot carry, a sender nothing authenticated: each one's finding is there and the cap is not.
    found = _findings(text)
    assert why in found and CAPPED not in found, found
    assert mikiwame.check(text, "en").verdict == "scam", (why, found)


def test_a_newsletter_shape_is_left_to_mk073() -> None:
    # The same lure from a newsletter linking to its own site: MK073's discount handles it, and MK119 stays out.
    text = ("From: Tech Deals <deals@tech-example.com>\nList-Unsubscribe: <https://www.tech-example.com/unsub>\n"
            "Subject: This week's deals\n\nYou have won a free prize! Click here: https://www.tech-example.com/prize")
    found = _findings(text)
    assert "bulk-mail-shape" in found and CAPPED not in found


def test_mk119_runs_after_every_builtin_that_counts() -> None:
    # MK119 reads which findings counted: every builtin with a weight must have run before it (meta rules run
    # after every builtin, and are phrase rules whose parts MK119 sees).
    order = [spec.slug for spec in KB.rules_by_kind["builtin"] if spec.slug in BUILTINS]
    later = order[order.index(CAPPED) + 1:]
    assert all(KB.own_weights[slug] <= 0 or slug == "similar-to-reported-scam" for slug in later), later
    assert all(spec.kind == "meta" and is_phrase(spec) for spec in KB.rules_by_kind["meta"])
    assert KB.caps[CAPPED] == KB.thresholds["scam"] - 1


def test_the_asks_and_claims_it_names_are_phrase_rules_or_run_before_it() -> None:
    order = [spec.slug for spec in KB.rules_by_kind["builtin"]]
    for slug in SCAM_EVIDENCE | LURE_ASKS | WORDED_CLAIMS:
        spec = KB.rule_by_slug[slug]
        assert spec.kind == "pattern" or order.index(slug) < order.index(CAPPED), slug


def test_no_finding_where_the_cap_cannot_matter() -> None:
    # One "click here" (15) is clean whatever follows: a finding saying "suspicious at most" would be noise.
    found = _findings(HEAD + "The new catalogue is out. Click here to read it: http://www.partner-example.net/c")
    assert found.get("link-reference") == KB.own_weights["link-reference"]
    assert CAPPED not in found
