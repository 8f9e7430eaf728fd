"""The organisation a sender both names and sends from (issue 12, MK073 bulk-mail-shape): a link to the site
whose name is written in the From host and in the sender's name counts as a link to the sender's own site.

Fixtures are short sources built from the structure of real messages of the SpamAssassin hard ham dev half
(a financial newsletter "The Motley Fool" <Fool@motleyfool.com> whose every link goes to fool.com; a
developer network's "TechBlast" sent from an e-blast domain, replies@oracleeblast.com, linking only to
oracle.com): plain text, an unsubscribe note, a prize draw in the copy. Names and domains are replaced."""

from __future__ import annotations

from mikiwame import engine

LETTER = ("From: {name} <{address}>\nTo: <reader@example.com>\nSubject: Personal Finance: Resolutions You Can Keep\n\n"
          "This week's column: https://www.harbor.com/news/2002/resolutions.htm\n"
          "Enter our draw and you could win a prize, click here: https://www.harbor.com/draw\n"
          "Discuss it on our boards: https://boards.harbor.com/\n"
          "Quotes from https://finance.example.org/q\n\n"
          "To unsubscribe, visit https://www.harbor.com/unsubscribe\n")


def check(name: str, address: str):  # noqa: ANN201
    return engine.check(LETTER.format(name=name, address=address), "en")


def slugs(name: str, address: str) -> set[str]:
    return {f.slug for f in check(name, address).findings}


def test_a_site_the_sender_names_and_sends_from_is_its_own():
    """"The Harbor Fool" at harborfool.com linking to harbor.com: MK073's newsletter shape, and its draw and
    "click here" count as a newsletter's phrases do."""
    found = slugs("The Harbor Fool", "Fool@harborfool.com")
    assert {"bulk-mail-shape", "newsletter-without-ask"} <= found
    assert check("The Harbor Fool", "Fool@harborfool.com").verdict == "clean"


def test_an_e_blast_host_carrying_the_name_counts_too():
    assert "bulk-mail-shape" in slugs("Harbor Technology Network", "replies@harboreblast.com")


def test_the_name_alone_is_not_enough():
    """Anyone can write "Harbor" as a sender name: from a host without it, the links are someone else's."""
    found = slugs("Harbor Technology Network", "replies@mailer-x.com")
    assert "bulk-mail-shape" not in found
    assert check("Harbor Technology Network", "replies@mailer-x.com").score > \
        check("Harbor Technology Network", "replies@harboreblast.com").score


def test_the_host_alone_is_not_enough():
    """A From host that contains the site's name, under a name that does not say it, is not its sender."""
    assert "bulk-mail-shape" not in slugs("Weekly Deals", "replies@harboreblast.com")


def test_short_or_free_mail_names_are_no_organisation():
    """A three-letter site name ("abc") is in too many hosts; a free-mail provider's site is no one's own."""
    short = LETTER.replace("harbor.com", "abc.com").format(name="ABC Deals", address="news@abcmailer.com")
    assert "bulk-mail-shape" not in {f.slug for f in engine.check(short, "en").findings}
    free = LETTER.replace("harbor.com", "yahoo.com").format(name="Yahoo Deals", address="news@yahoomailer.com")
    assert "bulk-mail-shape" not in {f.slug for f in engine.check(free, "en").findings}


# A shop's newsletter sent through a mailing service whose click tracker carries each destination in its query
# (the structure of "Apple Store eNews" <senews-nov@euromailer.lists.apple.com> of the hard ham dev half: 23
# links through komtools.net/…?D=http%3A%2F%2Fstore.apple.com…, 6 straight to apple.com, an unsubscribe note).
TRACKED = ("From: \"Pear Store eNews\" <senews-nov@euromailer.lists.pearstore.com>\nTo: <reader@example.com>\n"
           "Subject: Pear Store eNews : November 2002\n\n"
           + "".join(f"Learn more: http://www.trackmailer.net/routage?D=http%3A%2F%2F{{dest}}%2Fitem{i}&U=7\n"
                     for i in range(5))
           + "Visit https://www.pearstore.com/\n\nTo unsubscribe, reply with 'remove' in the subject.\n")


def test_tracked_links_that_lead_to_the_senders_own_site_are_its_own():
    found = {f.slug for f in engine.check(TRACKED.format(dest="store.pearstore.com"), "en").findings}
    assert "bulk-mail-shape" in found


def test_tracked_links_that_lead_elsewhere_are_not():
    found = {f.slug for f in engine.check(TRACKED.format(dest="pear-prizes.example.net"), "en").findings}
    assert "bulk-mail-shape" not in found


def test_the_same_name_under_another_suffix_is_no_organisation_site():
    """news@harbor.com linking to harbor.net: a look-alike's trick, not the sender's own site."""
    text = LETTER.replace("harbor.com", "harbor.net").format(name="Harbor News", address="news@harbor.com")
    assert "bulk-mail-shape" not in {f.slug for f in engine.check(text, "en").findings}
