"""One generic test over every rule's own examples (rules.toml `examples.flagged` / `examples.not_flagged`).

Adding a rule means adding examples next to it in rules.toml; this test picks them up with no change here.
The test id is ``<slug>-flagged-N`` / ``<slug>-not_flagged-N`` so a failure names the rule and the example.
"""

from __future__ import annotations

import pytest

import mikiwame
from mikiwame.knowledge import load

RULES = load().rules


def _cases():
    for rule in RULES:
        for kind in ("flagged", "not_flagged"):
            for n, text in enumerate(rule.examples.get(kind, [])):
                yield pytest.param(rule.slug, kind, text, id=f"{rule.slug}-{kind}-{n}")


def _explain(report) -> str:
    return ", ".join(f"{f.slug}{[e.text for e in f.evidence]}" for f in report.findings) or "no findings"


@pytest.mark.parametrize(("slug", "kind", "text"), list(_cases()))
def test_rule_example(slug: str, kind: str, text: str) -> None:
    report = mikiwame.check(text)
    slugs = {f.slug for f in report.findings}
    if kind == "flagged":
        assert slug in slugs, f"{slug} should fire on {text!r}; got: {_explain(report)}"
        finding = next(f for f in report.findings if f.slug == slug)
        # A finding must point at something in the text, and that something must be the exact slice.
        assert finding.evidence, f"{slug} fired on {text!r} without evidence"
        shown = report.email["text"] if report.email else text  # an e-mail's offsets index its shown text
        for ev in finding.evidence:
            assert 0 <= ev.start < ev.end <= len(shown)
            assert shown[ev.start:ev.end] == ev.text
    else:
        assert slug not in slugs, f"{slug} should NOT fire on {text!r}; got: {_explain(report)}"


def test_every_rule_has_examples_to_run() -> None:
    # Guards the parametrisation above: a rule without examples would silently contribute no cases.
    missing = [r.slug for r in RULES if not r.examples.get("flagged") or not r.examples.get("not_flagged")]
    assert not missing, f"rules without flagged/not_flagged examples: {missing}"


def test_an_offer_in_an_email_read_with_its_headers_is_left_to_the_email_rules() -> None:
    """MK110's ``none = ["@headers"]``: a shop's newsletter links to the shop's own site, which no list holds;
    pasted without its headers the same offer has no sender to check the link against."""
    body = "Save up to 70% on international calls! Click here to sign up: https://www.example-telecom.net/offer\n"
    source = ("From: Example Telecom <news@example-telecom.net>\nTo: you@example.org\n"
              "Subject: Save up to 70% on international calls\nDate: Mon, 2 Sep 2002 10:00:00 +0000\n"
              "Message-ID: <1@example-telecom.net>\n\n" + body)
    as_text = {f.slug for f in mikiwame.check(body, "en").findings}
    as_mail = {f.slug for f in mikiwame.check(source, "en").findings}
    assert "offer-with-hidden-link" in as_text
    assert "promotional-offer" in as_mail and "offer-with-hidden-link" not in as_mail
