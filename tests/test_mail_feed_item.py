"""A feed reader's item (issue 12, ``mail.feed_item`` and ``rules.mail._own_feed_item``): the body opens with
the item's link and date ("URL: …" / "Date: …"), as a feed reader mails each weblog post; from the site the
sender's one-word name names, its subject is the post's headline and its links the post's sources (MK073).

Fixtures are built from the structure of SpamAssassin easy ham dev messages (a weblog's posts mailed by a
feed reader: "scripting" <rssfeeds@…> with "URL: http://scriptingnews.userland.com/backissues/…", a Date
line, the post's text and its cited links as "[1] http://…"; "aaronsw" offering a "free bonus prize" for a
correct guess); names and domains replaced, a Received line standing for the servers' headers the real ones
carry (``Mail.traced``). The negative cases are the shapes a forger could copy."""

from __future__ import annotations

from mikiwame import engine
from mikiwame.mail import feed_item

POST = ("Received: from mx.example.org (mx.example.org [192.0.2.1]) by mail.example.org; Mon, 23 Sep 2002 15:19:16 +0000\n"
        "From: {name} <rssfeeds@feeds.example.org>\nTo: reader@example.org\n"
        "Subject: {subject}\n\n"
        "URL: http://{site}/backissues/2002/09/23#When:8:19:16AM\nDate: Mon, 23 Sep 2002 15:19:16 GMT\n\n"
        "Finally finished my RDF library for Python, with unit tests. Enjoy, and get a free bonus prize\n"
        "if you can tell me[1] why it is called that. Google PR also sends news[2].\n\n"
        "[1] mailto:me@{site}\n[2] http://news.google.com/\n")


def check(name: str = "scripting", site: str = "scriptingnews.userland.example.com",
          subject: str = "Google PR sends a message that they have a new News service"):  # noqa: ANN201
    return engine.check(POST.format(name=name, site=site, subject=subject), "en")


def test_a_weblogs_post_is_a_publication():
    report = check()
    slugs = {f.slug for f in report.findings}
    assert "bulk-mail-shape" in slugs and "unofficial-domain" not in slugs  # Google is the story, not a claim
    assert report.verdict == "clean"
    prize = next(f for f in report.findings if f.slug == "prize-or-refund-lure")
    assert 0 < prize.weight < 30  # counted as a newsletter's phrase, still shown


def test_a_name_that_is_not_the_linked_sites_gets_no_such_reading():
    for name in ("Account Services", "google", "ab"):
        report = check(name=name)
        assert "bulk-mail-shape" not in {f.slug for f in report.findings}, name
    assert check(name="Account Services").verdict != "clean"


def test_a_brand_as_the_feeds_name_is_still_a_claim():
    # A forger copying the shape under a brand's name: MK060 reads the sender name, and cancels MK073.
    report = check(name="PayPal", site="paypal-resolution.example.net", subject="Your account is limited")
    slugs = {f.slug for f in report.findings}
    assert "display-name-brand" in slugs and "bulk-mail-shape" not in slugs
    assert report.verdict != "clean"


def test_only_a_body_that_opens_with_the_link_and_its_date_is_a_feed_item():
    assert feed_item("URL: http://example.com/a\nDate: 2002-09-24T02:35:59-08:00\n\nText")
    assert feed_item("\nURL: https://example.com/a\nPublished: Not supplied\n\nText")
    assert not feed_item("Hello,\nURL: http://example.com/a\nDate: today\n")  # not the opening lines
    assert not feed_item("URL: http://example.com/a\n\nText")  # no date line
    assert not feed_item("URL: example.com/a\nDate: today\n")  # not a link
