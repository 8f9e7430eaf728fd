"""A newsletter that says in its body how to stop it (issue 12): the in-body form of List-Unsubscribe
(RFC 2369), as mail of 2002 carried it and most newsletters still do. With it, MK073 bulk-mail-shape needs a
third of the links on the sender's own site instead of half, and MK083 newsletter-without-ask counts it as it
counts a list header; alone (without MK073's consistent sender) it counts for nothing.

Fixtures are short sources built from the structure of real messages (an advocacy group's alert newsletter
of the SpamAssassin hard ham dev half: plain text, links to its own site among many to others, an
unsubscribe note; names and domains replaced by reserved ones)."""

from __future__ import annotations

import pytest

from mikiwame import engine
from mikiwame.mail import unsubscribe_note

ALERT = ("From: Rights Alerts <alerts@action.rightsgroup.org>\nTo: <member@example.com>\n"
         "Subject: ALERT UPDATE: Urge your representative\n\n"
         "Write to your representative today: https://action.rightsgroup.org/alert/15\n"
         "The bill text: https://www.congress.gov/bill/1\nCoverage: https://www.newspaper.com/story\n{note}\n")
NOTE = "To unsubscribe from this list, send mail to alerts-off@action.rightsgroup.org."


def slugs(text: str) -> dict[str, int]:
    return {f.slug: f.weight for f in engine.check(text, "en").findings}


@pytest.mark.parametrize("said", [
    "To unsubscribe, visit https://example.com/u",
    "You are receiving this e-mail because you subscribed to our newsletter.",
    "If you no longer wish to receive these messages, reply.",
    "Manage your subscription preferences here.",
    "Click here to opt-out.",
])
def test_the_ways_a_newsletter_says_how_to_stop_it(said: str):
    assert unsubscribe_note("Some news.\n\n" + said)


@pytest.mark.parametrize("said", ["Please subscribe to our channel.", "Your account will be closed today.", ""])
def test_other_text_is_no_unsubscribe_note(said: str):
    assert not unsubscribe_note(said)


def test_a_newsletter_with_an_unsubscribe_note_and_some_own_links_has_the_list_shape():
    assert "bulk-mail-shape" in slugs(ALERT.format(note=NOTE))


def test_without_the_note_a_minority_of_own_links_is_not_the_list_shape():
    assert "bulk-mail-shape" not in slugs(ALERT.format(note=""))


def test_the_note_does_not_excuse_a_sender_with_no_own_links():
    """A note beside links that all go elsewhere (the phishing shape) earns nothing."""
    text = ALERT.replace("https://action.rightsgroup.org/alert/15", "https://login-verify.example.net/a")
    assert "bulk-mail-shape" not in slugs(text.format(note=NOTE))


def test_the_note_counts_like_a_list_header_for_a_newsletter_that_asks_nothing():
    """MK083: a newsletter that declares itself (here in its body) and asks for no sign-in, code or payment."""
    assert "newsletter-without-ask" in slugs(ALERT.format(note=NOTE))
    asks = ALERT.replace("Write to your representative today:",
                         "Your account has been suspended. Sign in to confirm your account details:")
    assert "newsletter-without-ask" not in slugs(asks.format(note=NOTE))
    # Without the list shape (no own links in a third of them) the note alone earns nothing.
    assert "newsletter-without-ask" not in slugs(ALERT.format(note="").replace(
        "https://action.rightsgroup.org/alert/15", "https://www.senate.gov/a") + NOTE)
