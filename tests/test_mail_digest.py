"""A news digest (issue 12, MK073 bulk-mail-shape): a newsletter that cites its stories' sources has its own
site as one link among many, so MK073's share of own links is not its shape; links to ten sites or more, one
of them its own, and an unsubscribe note (or "This email was sent to …", the footer newsletter services write)
are.

Fixture: the structure of SpamAssassin hard ham dev messages ("Media Unspun", a business-news digest sent
through a newsletter service that hosts it as a subdomain: a story per paragraph, each with its newspaper's
link, one link to the digest's own site, the service's footer); names and domains replaced."""

from __future__ import annotations

from mikiwame import engine
from mikiwame.mail import unsubscribe_note

SOURCES = ("nytimes.com", "wsj.com", "latimes.com", "washingtonpost.com", "msnbc.com", "theregister.co.uk",
           "reuters.com", "ft.com", "usatoday.com", "businessweek.com", "forbes.com")
HEAD = ("From: \"Media Unspin\" <guterman@mediaunspin.newsmailer.net>\nTo: reader@example.org\n"
        "Subject: Brother, Can You Spare a Jet?\n\n")
FOOTER = "Powered by newsmailer. This email was sent to: reader@example.org"


def digest(n: int, footer: str = FOOTER) -> str:
    """A digest citing the first ``n`` sources, with its own site's link and ``footer``."""
    stories = "".join(f"Story {i}: the court order and the lawsuit, as reported. http://www.{d}/story/{i}.html\n\n"
                      for i, d in enumerate(SOURCES[:n]))
    return HEAD + stories + "Subscribe already, willya? http://www.mediaunspin.com\n\n" + footer + "\n"


def slugs(text: str) -> set[str]:
    return {f.slug for f in engine.check(text, "en").findings}


def test_the_service_footer_is_an_unsubscribe_note():
    assert unsubscribe_note("News.\n\nThis email was sent to: reader@example.org")
    assert unsubscribe_note("This message was sent to jane@example.com by Acme.")
    assert not unsubscribe_note("Your e-mail was sent to the wrong address.")


def test_a_digest_citing_many_sources_has_the_newsletter_shape():
    assert "bulk-mail-shape" in slugs(digest(len(SOURCES)))


def test_a_few_sources_are_no_digest():
    """Three outside sites beside one own link: neither a third of own links nor a digest."""
    assert "bulk-mail-shape" not in slugs(digest(3))


def test_without_a_note_or_an_own_link_many_sources_are_nothing():
    assert "bulk-mail-shape" not in slugs(digest(len(SOURCES), footer=""))
    no_own = digest(len(SOURCES)).replace("http://www.mediaunspin.com", "")
    assert "bulk-mail-shape" not in slugs(no_own)
