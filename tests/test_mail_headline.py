"""A publication's subject is a headline, not a claim (issue 12, ``rules.mail.headline_subject``): a brand
named in the subject of a mail whose sender names a site of its own, and links there, is its story's topic.

Fixtures are short sources built from the structure of SpamAssassin easy ham dev messages (a weblog's items
mailed by a feed reader: the sender's name is the weblog's one-word name, the From address the reader's own,
the body the item's link, its text and the links it cites) and hard ham ones (a news digest sent through a
newsletter service that hosts it as a subdomain: "Media Unspun" <…@mediaunspun.imakenews.net> linking to
mediaunspun.com); names and domains replaced."""

from __future__ import annotations

from mikiwame import engine

ITEM = ("From: {name} <rssfeeds@feeds.example.org>\nTo: reader@example.org\n"
        "Subject: Kevin Mitnick's laptop, signed by Woz, on eBay\n\n"
        "URL: http://{site}/#85513208\nDate: Not supplied\n\n"
        "The laptop Kevin Mitnick was not allowed to touch is up for auction. Link[1] Discuss[2]\n\n"
        "[1] http://www.auctionsnews.com/item/1566539449\n[2] http://www.quicktopic.com/boing/H/NqDajD2X9Di\n")


def slugs(text: str) -> set[str]:
    return {f.slug for f in engine.check(text, "en").findings}


def test_a_feed_item_names_its_story_not_its_sender():
    text = ITEM.format(name="boingboing", site="boingboing.net")
    assert "unofficial-domain" not in slugs(text)
    assert engine.check(text, "en").verdict == "clean"


def test_a_sender_that_names_no_site_of_its_own_still_claims_the_subjects_brand():
    """The same item from a name that is no linked site's ("Account Services"): eBay in the subject is a claim,
    and links elsewhere are unofficial for it."""
    assert "unofficial-domain" in slugs(ITEM.format(name="Account Services", site="boingboing.net"))


def test_a_one_word_name_whose_site_is_not_linked_claims_the_brand():
    assert "unofficial-domain" in slugs(ITEM.format(name="boingboing", site="www.weblogs-example.com"))


DIGEST = ("From: \"Media Unspin\" <guterman@mediaunspin.newsmailer.net>\nTo: reader@example.org\n"
          "Subject: Microsoft Reaches for the Living Room\n\n"
          "Today's stories: http://www.nytimes.com/2002/08/12/technology/12SOFT.html\n"
          "More at http://www.mediaunspin.com/archive.html\n")


def test_a_digest_hosted_by_its_newsletter_service_names_its_story():
    assert "unofficial-domain" not in slugs(DIGEST)
    assert "unofficial-domain" in slugs(DIGEST.replace("Media Unspin", "Daily Digest"))
