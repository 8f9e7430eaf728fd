"""Genuine newsletters that looked like phishing (issue 12, SpamAssassin hard ham dev half): tracked links that
carry their real destination, an old newsletter's stray server-address link, a list server's bounce address
that names the list's site, and a discussion list whose Reply-To is the list. Each case is tested both ways:
the genuine shape passes, the phishing shape beside it is still flagged.

Fixtures are short sources built from the structure of real messages (names and domains replaced by reserved
ones where they are not the point)."""

from __future__ import annotations

from mikiwame import engine
from mikiwame.rules.mail import carried_hosts

HTML = "Content-Type: text/html; charset=utf-8\n"


def slugs(text: str) -> dict[str, int]:
    return {f.slug: f.weight for f in engine.check(text, "en").findings}


# --- tracked links that carry their destination (Rspamd's phishing module follows redirectors too) ----------

def test_carried_hosts_reads_query_path_and_separator_forms():
    assert carried_hosts("http://www.komtools.example/routage.fdml?F=nov&D=http%3A%2F%2Fstore.apple.com%2Fie") == \
        ("store.apple.com",)
    assert carried_hosts("https://x.r.us-east-1.awstrack.me/L0/https:%2F%2Fphish.example%2Favis/1/0100") == \
        ("phish.example",)
    assert carried_hosts("http://www.twelvehorses.example/mm/Clickthrough/2331/*http://www.tesco.ie*http://www.tesco.ie") \
        == ("www.tesco.ie", "www.tesco.ie")
    assert carried_hosts("https://shop.example/item?id=42&ref=mail") == ()


# Tesco's 2002 newsletter (hard ham): the visible "www.tesco.ie" goes through the mailing service's tracker.
TRACKED = ('From: "Tesco .ie" <tesco.ie@cteyyyyi.reply.mailer.example>\nSubject: Offers at tesco.ie\n' + HTML +
           '\n<p>Visit our Christmas zone online at <a href="{href}">www.tesco.ie</a></p>'
           '<p><a href="{href}">click here</a></p>')


def test_a_tracked_link_that_carries_the_shown_host_is_no_mismatch():
    found = slugs(TRACKED.format(href="http://www.twelvehorses.example/mm/Clickthrough/23/*http://www.tesco.ie"))
    assert "link-text-host-mismatch" not in found
    assert "hidden-links-elsewhere" not in found  # the tracker carries the site the sender's name names


def test_a_link_that_shows_one_host_and_goes_elsewhere_is_still_a_mismatch():
    found = slugs(TRACKED.format(href="http://www.twelvehorses.example/mm/Clickthrough/23/"))
    assert "link-text-host-mismatch" in found
    # A redirect that carries a *third* site is the phishing shape: the shown host is not where it leads.
    found = slugs(TRACKED.format(href="http://www.twelvehorses.example/r?u=http%3A%2F%2Flogin-tesco.example"))
    assert "link-text-host-mismatch" in found


# Apple Store eNews (hard ham): From on apple.com, every link through a French tracker carrying store.apple.com.
APPLE = ('From: "Apple Store eNews" <{sender}>\nSubject: Apple Store eNews : November\n' + HTML +
         '\n<p><a href="http://www.komtools.example/tracker/routage.fdml?F=nov&D=http%3A%2F%2Fstore.apple.com%2Firl">'
         'Learn More</a> <a href="http://www.komtools.example/tracker/routage.fdml?F=nov&D=http%3A%2F%2Fstore.apple.com%2Fb">'
         'The SuperDrive to go</a></p>')


def test_the_brands_own_newsletter_through_a_tracker_is_not_unofficial():
    found = slugs(APPLE.format(sender="senews-nov@euromailer.lists.apple.com"))
    assert "unofficial-domain" not in found and "hidden-links-elsewhere" not in found


def test_a_tracker_carrying_the_brands_site_proves_nothing_from_another_domain():
    found = slugs(APPLE.format(sender="news@apple-store-news.example"))
    assert "unofficial-domain" in found and "display-name-brand" in found


# --- an old newsletter's stray server-address link ---------------------------------------------------------

BUY4NOW = ("From: newsletters@buy4now.example\nSubject: Back to School\n\n"
           "http://www.buy4now.example\nSchool books http://www.buy4now.example/books\n"
           "Desks http://www.buy4now.example/desks\nBags http://www.buy4now.example/bags\n"
           "Bank partner: http://192.0.2.130/servlet/ContentServer?pagename=Portal\n")


def test_one_server_address_among_many_newsletter_links_is_a_stray():
    assert "ip-address-link" not in slugs(BUY4NOW)


def test_a_server_address_that_is_the_mails_button_still_counts():
    lure = ("From: Service <info@notice.example>\nSubject: Verify\n\n"
            "Verify your account: http://192.0.2.130/login\nHelp: http://www.notice.example/help\n")
    assert "ip-address-link" in slugs(lure)
    # Pasted text that is no e-mail is judged as before, however many links it has.
    assert "ip-address-link" in slugs(BUY4NOW.split("\n\n", 1)[1])


# --- list mail whose shape the sender's addresses explain --------------------------------------------------

# Neat Net Tricks (hard ham): sent by a Lyris list server; its bounce address names the list's site.
LYRIS = ("From: NNT@silver.lists.example.net\nReturn-Path: <bounce-neatnettricks-2424157@silver.lists.example.net>\n"
         "List-Unsubscribe: <mailto:leave-neatnettricks-2424157K@silver.lists.example.net>\n"
         "Subject: Neat Net Tricks Standard Issue 131\n\n"
         "Our panel's review: http://www.NeatNetTricks.com/SoftwareReviews . The winner gets a super deal at "
         "http://www.NeatNetTricks.com/store\n")


def test_a_list_servers_bounce_address_names_the_lists_own_site():
    found = slugs(LYRIS)
    assert "bulk-mail-shape" in found
    assert engine.check(LYRIS, "en").verdict == "clean"


def test_the_bounce_address_does_not_vouch_for_links_to_another_site():
    other = LYRIS.replace("http://www.NeatNetTricks.com/SoftwareReviews", "http://prize-claim.example.org/win")
    other = other.replace("http://www.NeatNetTricks.com/store", "http://prize-claim.example.org/store")
    assert "bulk-mail-shape" not in slugs(other)


# An MSN Groups post (hard ham): a member's personal address, replies go back to the group it was sent to.
GROUP = ('From: "joyful" <abcusa88@hotmail.com>\nReply-To: "One Income Living" <OneIncomeLiving@groups.msn.com>\n'
         'To: "One Income Living" <OneIncomeLiving@groups.msn.com>\nSubject: Re: Hi! I\'m new here.\n\n'
         "Old messages will be deleted. Click here: http://groups.msn.com/OneIncomeLiving/notifications\n")


def test_a_list_whose_reply_to_is_the_list_itself_has_a_lists_shape():
    assert "bulk-mail-shape" in slugs(GROUP)


def test_a_reply_to_that_is_not_an_address_the_mail_went_to_is_no_list():
    forged = GROUP.replace('To: "One Income Living" <OneIncomeLiving@groups.msn.com>', "To: <victim@example.com>")
    assert "bulk-mail-shape" not in slugs(forged)


# --- list managers that write no List-Id (Rspamd's maillist module, SpamAssassin's MailingList.pm) ----------

# A 2002 Majordomo list post (hard ham): a member's own address, the list's owner- address as Sender,
# Precedence: list, and no List-Id or List-Unsubscribe (RFC 2919 came later).
MAJORDOMO = ('From: "Gary" <gary@member.example.com.au>\nTo: <wireless@lists.example.org.au>\n'
             "Sender: owner-wireless@lists.example.org.au\nPrecedence: list\nSubject: Cisco Aironet 1200\n\n"
             "FYI, passing this on. Click here for the offer: http://www.example.com/aironet\n")


def _parsed(text: str):
    from mikiwame import mail
    parsed = mail.parse_text(text)
    assert parsed is not None
    return parsed


def test_a_list_managers_own_headers_mark_a_list_post():
    assert _parsed(MAJORDOMO).mailing_list and _parsed(MAJORDOMO).bulk
    mailman = MAJORDOMO.replace("Sender: owner-wireless@lists.example.org.au\nPrecedence: list\n",
                                "X-Mailman-Version: 2.0.11\nX-BeenThere: wireless@lists.example.org.au\n")
    assert _parsed(mailman).mailing_list
    ezmlm = MAJORDOMO.replace("Sender: owner-wireless@lists.example.org.au\nPrecedence: list\n",
                              "Mailing-List: contact wireless-help@lists.example.org.au; run by ezmlm\n")
    assert _parsed(ezmlm).mailing_list


def test_an_owner_sender_alone_or_a_plain_precedence_is_no_list_manager():
    no_precedence = MAJORDOMO.replace("Precedence: list\n", "")
    assert not _parsed(no_precedence).mailing_list
    no_owner = MAJORDOMO.replace("Sender: owner-wireless@lists.example.org.au\n", "Sender: gary@member.example.com.au\n")
    assert not _parsed(no_owner).mailing_list and _parsed(no_owner).bulk  # Precedence: list is still bulk mail
    assert not _parsed(MAJORDOMO.replace("Sender: owner-", "Sender: landowner-")).mailing_list


def test_a_majordomo_post_has_a_lists_shape_and_counts_in_its_favour():
    found = slugs(MAJORDOMO)
    assert "bulk-mail-shape" in found
    assert found.get("newsletter-without-ask", 0) < 0


# --- MK083: a declared list or newsletter that asks for nothing counts in its favour ------------------------

# A 2002 investment newsletter (hard ham): List-Unsubscribe, links to its own site, "winner" and "free report".
NEWSLETTER = ("From: Fool Advisor <subscriber@advisor.example.com>\n"
              "List-Unsubscribe: <mailto:leave@advisor.example.com>\nSubject: The one stock\n\n"
              "Thank you for requesting our free special report. Last year's winner doubled; read why before "
              "the offer ends: http://www.advisor.example.com/report\n")


def test_a_declared_newsletter_without_an_ask_counts_in_its_favour():
    found = slugs(NEWSLETTER)
    assert found.get("newsletter-without-ask", 0) < 0
    assert engine.check(NEWSLETTER, "en").verdict == "clean"


def test_a_newsletter_that_asks_for_a_sign_in_or_a_payment_earns_no_credit():
    for ask in ("Your account has been suspended. Sign in to confirm your account details:",
                "To keep your copy, pay with gift cards:"):
        lure = NEWSLETTER.replace("read why before the offer ends:", ask)
        assert "newsletter-without-ask" not in slugs(lure), ask


def test_a_newsletter_shape_without_list_headers_earns_only_the_discount():
    plain = NEWSLETTER.replace("List-Unsubscribe: <mailto:leave@advisor.example.com>\n", "")
    found = slugs(plain)
    assert "bulk-mail-shape" in found  # most links on the sender's own site
    assert "newsletter-without-ask" not in found


def test_a_forged_sender_in_list_clothes_earns_nothing():
    forged = NEWSLETTER.replace("From: Fool Advisor <subscriber@advisor.example.com>",
                                "From: PayPal <service@paypal-notice.example.net>")
    found = slugs(forged)
    assert "display-name-brand" in found
    assert "bulk-mail-shape" not in found and "newsletter-without-ask" not in found
