"""Issue 12, thirteenth round: MK115 one-landing-page (rules/mail_links.py).

The fixtures follow the structure of Phishing Pot dev-half mails (names and domains replaced): a token
"allocation" lure sent through a mailing service whose every link, the unsubscribe too, is one address on a
throwaway domain; and a 2002 newsletter of the hard ham dev half, whose opt-out is a page of its own. No dataset
file is copied.
"""

from __future__ import annotations

import pytest

import mikiwame


def _mail(links: str, sender: str = "Ripple News <xrpl@design-example.com>") -> str:
    return (f"From: {sender}\nTo: reader@example.org\nSubject: Bold move to release tokens\nMIME-Version: 1.0\n"
            f"Content-Type: text/html; charset=us-ascii\n\n<html><body><p>Register to claim your allocation.</p>"
            f"{links}</body></html>")


def _a(href: str, label: str) -> str:
    return f'<p><a href="{href}">{label}</a></p>'


_LURE = "https://emailserv57-example.com/726f6472"


def _slugs(report) -> set[str]:  # noqa: ANN001
    return {f.slug for f in report.findings}


def test_every_link_and_the_unsubscribe_to_one_page() -> None:
    report = mikiwame.check(_mail(_a(_LURE, "Submit claim") + _a(_LURE, "Ripple Insights") + _a(_LURE, "unsubscribe")),
                            "en")
    hit = next(f for f in report.findings if f.slug == "one-landing-page")
    assert len(hit.evidence) == 3 and {e.text for e in hit.evidence} == {_LURE}
    assert "emailserv57-example.com" in hit.message


def test_an_unsubscribe_link_to_the_offer_among_other_links() -> None:
    links = _a(_LURE, "Claim now") + _a("https://design-example.com/about", "About us") + _a(_LURE, "Unsubscribe")
    report = mikiwame.check(_mail(links), "en")
    assert [e.text for f in report.findings if f.slug == "one-landing-page" for e in f.evidence] == [_LURE]


def test_it_is_one_of_the_sender_name_rules_other_signs() -> None:
    # Without MK076 (the links are shown, not hidden), the unrelated name counts beside MK115 alone.
    links = _a(_LURE, _LURE) + _a(_LURE, _LURE) + _a(_LURE, _LURE)
    report = mikiwame.check(_mail(links), "en")
    assert "hidden-links-elsewhere" not in _slugs(report)
    assert {"one-landing-page", "sender-name-unrelated"} <= _slugs(report)


@pytest.mark.parametrize("links", [
    # A newsletter whose opt-out is a page of its own, whatever its offer links share.
    _a(_LURE, "Claim now") + _a(_LURE, "Claim") + _a("https://lists.design-example.com/u?id=1", "Unsubscribe"),
    # Two links to one page: any short note's "read more".
    _a(_LURE, "Read") + _a(_LURE, "more"),
    # Every link one page, but on the sender's own domain (a shop's one-product promotion).
    _a("https://design-example.com/p", "Picture") + _a("https://design-example.com/p", "Buy")
    + _a("https://design-example.com/p", "See more"),
    # The unsubscribe is the only link.
    _a(_LURE, "Unsubscribe"),
])
def test_not_one_landing_page(links: str) -> None:
    assert "one-landing-page" not in _slugs(mikiwame.check(_mail(links), "en"))


def test_it_cancels_the_newsletter_shape() -> None:
    # A list post would keep MK073 with distinct links; one landing page for all of them cancels it.
    # The studio's own list: a sender name claiming a brand (the default "Ripple News") would cancel MK073 itself.
    base = "List-Unsubscribe: <mailto:leave@design-example.com>\n"
    mail = _mail(_a("https://design-example.com/a", "Read") + _a("https://design-example.com/a", "Read more")
                 + _a("https://design-example.com/a", "unsubscribe"),
                 sender="Design Example News <news@design-example.com>").replace("To: ", base + "To: ", 1)
    own = mikiwame.check(mail, "en")
    assert "bulk-mail-shape" in _slugs(own) and "one-landing-page" not in _slugs(own)
    elsewhere = mikiwame.check(mail.replace("https://design-example.com/a", _LURE), "en")
    assert "one-landing-page" in _slugs(elsewhere) and "bulk-mail-shape" not in _slugs(elsewhere)
