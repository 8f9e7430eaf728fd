"""Issue 12, twelfth round: MK089 aligned-bulk-sender and MK114 undisclosed-recipients (rules/mail_sender.py).

The fixtures are built on the structure of real messages of the e-mail dev halves (names and domains
replaced): a 2002 tips newsletter (hard ham) whose bounces come back to its own domain, with an unsubscribe
header and a sponsor's advert shown as one host and sent through an ad server; and the blind-copied
advance-fee letters of the Phishing Pot dev half. No dataset file is copied.
"""

from __future__ import annotations

import pytest

import mikiwame
from mikiwame.mail import list_domain, undisclosed_to, unsubscribe_domains

# A newsletter's body that says "won", "claim your prize" and "click here", as the tips newsletters of the
# hard ham dev half do, with its own links and one sponsor advert whose shown host is not its target (MK065).
_BODY = (
    "<html><body><p>Congratulations, you have won a free gift card! Claim your prize now.</p>"
    "<p>Click here to claim: <a href=\"http://www.gadgetweekly-example.com/prize\">"
    "http://www.gadgetweekly-example.com/prize</a></p>"
    "<p>Our sponsor: <a href=\"http://ads.adserver-example.net/c?id=1\">www.sponsor-example.com</a></p>"
    "<p>Read today's tips at <a href=\"http://www.gadgetweekly-example.com/tips\">our site</a>.</p>"
    "</body></html>")


def _newsletter(return_path: str, sender: str = "Gadget Weekly <subscriptions@gadgetweekly-example.com>",
                extra: str = "") -> str:
    return (f"Return-Path: <{return_path}>\nFrom: {sender}\nTo: reader@example.org\n"
            "List-Unsubscribe: <mailto:leave@gadgetweekly-example.com>\n"
            f"{extra}Subject: [Gadget Weekly] Brilliant Mistakes\nMIME-Version: 1.0\n"
            "Content-Type: text/html; charset=us-ascii\n\n" + _BODY)


def _slugs(report) -> set[str]:  # noqa: ANN001
    return {f.slug for f in report.findings}


def test_an_aligned_newsletter_keeps_its_phrase_discount_beside_one_link_finding() -> None:
    aligned = mikiwame.check(_newsletter("bounce-gw-1@lists.gadgetweekly-example.com"), "en")
    elsewhere = mikiwame.check(_newsletter("bounce-1@bulk-mailer-example.net"), "en")
    # The sponsor advert fires MK065 in both, which cancels MK073's newsletter shape.
    assert "link-text-host-mismatch" in _slugs(aligned) and "link-text-host-mismatch" in _slugs(elsewhere)
    assert "bulk-mail-shape" not in _slugs(aligned) | _slugs(elsewhere)
    assert "aligned-bulk-sender" in _slugs(aligned) and "aligned-bulk-sender" not in _slugs(elsewhere)
    weights = {f.slug: f.weight for f in aligned.findings}
    full = {f.slug: f.weight for f in elsewhere.findings}
    assert weights["prize-or-refund-lure"] < full["prize-or-refund-lure"]  # phrases at the newsletter discount
    assert weights["link-text-host-mismatch"] == full["link-text-host-mismatch"]  # the link finding in full
    assert aligned.verdict != "scam" and aligned.score < elsewhere.score
    # Seventeenth round: nothing a scam needs (an ask, a brand claim, a forged sender), so MK118 holds the
    # unaligned one below "scam" as well (it was called scam on the ad link and the newsletter's phrases).
    assert "newsletter-link-tricks-only" in _slugs(elsewhere) and elsewhere.verdict == "suspicious"
    assert "newsletter-without-ask" not in _slugs(aligned)  # MK083's credit still needs MK073


def test_a_sender_finding_cancels_it() -> None:
    # The same aligned newsletter under a brand's name at a domain the brand does not own (MK060).
    report = mikiwame.check(_newsletter("bounce@gadgetweekly-example.com",
                                        sender="PayPal <subscriptions@gadgetweekly-example.com>"), "en")
    assert "display-name-brand" in _slugs(report)
    assert "aligned-bulk-sender" not in _slugs(report)


@pytest.mark.parametrize("results", [
    # DMARC failed for the From domain: the topmost header contradicts the alignment.
    "mx.example.net; spf=pass smtp.mailfrom=gadgetweekly-example.com; dkim=none; dmarc=fail "
    "header.from=gadgetweekly-example.com",
    # Nothing passed at all.
    "mx.example.net; spf=softfail smtp.mailfrom=gadgetweekly-example.com; dkim=none; dmarc=none",
])
def test_authentication_results_that_contradict_it_cancel_it(results: str) -> None:
    report = mikiwame.check(_newsletter("bounce@gadgetweekly-example.com",
                                        extra=f"Authentication-Results: {results}\n"), "en")
    assert "aligned-bulk-sender" not in _slugs(report)


def test_a_dkim_signature_of_the_from_domain_aligns_it_whatever_the_envelope() -> None:
    # Today's newsletter: bounces to its mailing service, signed by its own domain (DKIM pass, aligned).
    results = ("mx.example.net; dkim=pass header.d=gadgetweekly-example.com; spf=pass "
               "smtp.mailfrom=bounce.esp-example.net; dmarc=pass header.from=gadgetweekly-example.com")
    signed = mikiwame.check(_newsletter("b-1@bounce.esp-example.net", extra=f"Authentication-Results: {results}\n"),
                            "en")
    assert "aligned-bulk-sender" in _slugs(signed)
    unsigned = results.replace("dkim=pass header.d=gadgetweekly-example.com", "dkim=none").replace(
        "dmarc=pass", "dmarc=none")
    report = mikiwame.check(_newsletter("b-1@bounce.esp-example.net", extra=f"Authentication-Results: {unsigned}\n"),
                            "en")
    assert "aligned-bulk-sender" not in _slugs(report)


def test_it_needs_a_declared_bulk_mail_with_a_link_to_its_own_site() -> None:
    single = _newsletter("bounce@gadgetweekly-example.com").replace(
        "List-Unsubscribe: <mailto:leave@gadgetweekly-example.com>\n", "")
    assert "aligned-bulk-sender" not in _slugs(mikiwame.check(single, "en"))
    elsewhere = _newsletter("bounce@gadgetweekly-example.com").replace(
        "www.gadgetweekly-example.com", "www.prize-claims-example.net")
    assert "aligned-bulk-sender" not in _slugs(mikiwame.check(elsewhere, "en"))



# Fourteenth round: a newsletter named for its product, not its domain (the hard ham dev half's "CNET Delivers"
# <…@newsletter.online.com>, bouncing to newsletter.online.com), whose HTML is mostly pictures (MK079) and says
# "winner". MK079 brings MK077 along (the name shares no word with the address); MK077 then has no reason of its
# own about the sender, so it goes with that one link-level finding and MK089 keeps the phrase discount.
_PICTURES = ("<a href=\"https://www.shop-example.com/week\"><img src=\"https://www.shop-example.com/a.png\"></a>"
             " <img src=\"https://www.shop-example.com/b.png\"> You are a winner of our weekly draw, claim your prize."
             " <a href=\"https://www.shop-example.com/unsubscribe\">Unsubscribe</a>")


def _product_newsletter(return_path: str, mailbox: str = "deals-7") -> str:
    return (f"Return-Path: <{return_path}>\nFrom: Sunday Letter <{mailbox}@news.shop-example.com>\n"
            "To: reader@example.org\nSubject: This week\nContent-Type: text/html\n\n" + _PICTURES)


def test_a_product_name_beside_one_link_finding_does_not_cancel_it() -> None:
    aligned = mikiwame.check(_product_newsletter("bounce-7.b@news.shop-example.com"), "en")
    elsewhere = mikiwame.check(_product_newsletter("bounce-7@bulk-mailer-example.net"), "en")
    for report in (aligned, elsewhere):
        assert {"image-only-html", "sender-name-unrelated"} <= _slugs(report)
    assert "aligned-bulk-sender" in _slugs(aligned) and "aligned-bulk-sender" not in _slugs(elsewhere)
    weights = {f.slug: f.weight for f in aligned.findings}
    full = {f.slug: f.weight for f in elsewhere.findings}
    assert weights["prize-or-refund-lure"] < full["prize-or-refund-lure"]
    assert weights["sender-name-unrelated"] == full["sender-name-unrelated"]  # MK077 itself still counts in full
    assert aligned.verdict != "scam" and aligned.score < elsewhere.score
    # Seventeenth round: nothing a scam needs (an ask, a brand claim, a forged sender), so MK118 holds the
    # unaligned one below "scam" as well (it was called scam on the ad link and the newsletter's phrases).
    assert "newsletter-link-tricks-only" in _slugs(elsewhere) and elsewhere.verdict == "suspicious"


def test_a_product_name_beside_a_sender_level_sign_still_cancels_it() -> None:
    # The mailbox name is made up per message (MK087): a sender-level gate of MK077, so MK089 stays away.
    report = mikiwame.check(_product_newsletter("bounce-7.b@news.shop-example.com", "HvGkodFtmcYKpfN"), "en")
    assert {"random-sender-mailbox", "sender-name-unrelated"} <= _slugs(report)
    assert "aligned-bulk-sender" not in _slugs(report)
    assert report.verdict == "scam"


def test_a_blind_copy_counts_as_one_weak_finding() -> None:
    # The same newsletter sent in blind copy (MK114, "undisclosed-recipients:;"), without its sponsor advert.
    bcc = [_newsletter(path).replace("To: reader@example.org", "To: undisclosed-recipients:;").replace(
        "<p>Our sponsor: <a href=\"http://ads.adserver-example.net/c?id=1\">www.sponsor-example.com</a></p>", "")
        for path in ("bounce-gw-1@lists.gadgetweekly-example.com", "bounce-1@bulk-mailer-example.net")]
    aligned, elsewhere = (mikiwame.check(text, "en") for text in bcc)
    for report in (aligned, elsewhere):
        assert "undisclosed-recipients" in _slugs(report) and "bulk-mail-shape" not in _slugs(report)
    assert "aligned-bulk-sender" in _slugs(aligned) and "aligned-bulk-sender" not in _slugs(elsewhere)
    assert aligned.verdict != "scam" and aligned.score < elsewhere.score
    # Seventeenth round: nothing a scam needs (an ask, a brand claim, a forged sender), so MK118 holds the
    # unaligned one below "scam" as well (it was called scam on the ad link and the newsletter's phrases).
    assert "newsletter-link-tricks-only" in _slugs(elsewhere) and elsewhere.verdict == "suspicious"
    # With the sponsor advert too (MK065), two weak findings: MK089 allows one.
    both = mikiwame.check(_newsletter("bounce-gw-1@lists.gadgetweekly-example.com").replace(
        "To: reader@example.org", "To: undisclosed-recipients:;"), "en")
    assert {"undisclosed-recipients", "link-text-host-mismatch"} <= _slugs(both)
    assert "aligned-bulk-sender" not in _slugs(both)

@pytest.mark.parametrize(("value", "expected"), [
    ("undisclosed-recipients:;", True),  # the Phishing Pot dev half's two spellings
    ("Undisclosed recipients:;", True),
    ('"undisclosed-recipients": ;', True),
    ("undisclosed-recipients:", True),
    ("undisclosed-recipients: taro@example.com;", False),  # a group that names its members
    ("taro@example.com", False),
    ("", False),
])
def test_undisclosed_to(value: str, expected: bool) -> None:
    assert undisclosed_to(value) is expected


_LETTER = ("From: Mrs Grace Williams <grace.w@mail-example.com>\nTo: {to}\nSubject: Donation for you\n\n"
           "Dear friend, I am writing to you about my late husband's estate. Reply to me for details.")


def test_undisclosed_recipients_both_ways() -> None:
    blind = mikiwame.check(_LETTER.format(to="Undisclosed recipients:;"), "en")
    named = mikiwame.check(_LETTER.format(to="taro@example.com"), "en")
    assert "undisclosed-recipients" in _slugs(blind) and "undisclosed-recipients" not in _slugs(named)
    assert blind.score - named.score == 10  # weak alone (weights.toml), it adds up
    finding = next(f for f in blind.findings if f.slug == "undisclosed-recipients")
    assert finding.evidence[0].text.startswith("Mrs Grace Williams")  # the From line: the To line is not shown


def test_undisclosed_recipients_cancels_the_newsletter_shape() -> None:
    # A newsletter sends one copy per reader; a blind-copied mail is no consistent sender's newsletter.
    source = ("From: Example News <news@example-news.com>\nTo: {to}\n"
              "List-Unsubscribe: <https://example-news.com/unsub>\nSubject: This week\n\n"
              "Click here to read: https://www.example-news.com/week/12")
    assert "bulk-mail-shape" in _slugs(mikiwame.check(source.format(to="reader@example.org"), "en"))
    blind = _slugs(mikiwame.check(source.format(to="undisclosed-recipients:;"), "en"))
    assert "undisclosed-recipients" in blind and "bulk-mail-shape" not in blind


@pytest.mark.parametrize(("value", "expected"), [
    ("<razor-users.lists.sourceforge.net>", "sourceforge.net"),  # a Mailman list (easy ham dev half)
    ("Razor users <razor-users.lists.sourceforge.net>", "sourceforge.net"),  # with its phrase (RFC 2919 2)
    ("exmh-users.redhat.com", "redhat.com"),  # written without brackets
    ("<0Tt0HSeOv.xt.local>", ""),  # a bulk kit's List-Id (Phishing Pot dev half): no public suffix
    ("ae5981ccj86f9 <MEETSOMEONE-B2x38>", ""),
    ("<1.2.3.4>", ""),
    ("", ""),
])
def test_list_domain(value: str, expected: str) -> None:
    assert list_domain(value) == expected


# A Mailman list post of the easy ham dev half: a member's From, bounces to the list server, and the list's
# footer advert (SourceForge's "job" sponsor line) that the phrase rules read as a job offer.
_POST = ("Return-Path: <{bounce}>\nFrom: Justin Example <listuser@neo.example.edu>\nTo: {list}\n"
         "List-Id: <razor-users.lists.example-forge.net>\nList-Post: <mailto:razor-users@lists.example-forge.net>\n"
         "X-Mailman-Version: 2.0.9-sf.net\nList-Unsubscribe: <mailto:razor-users-request@lists.example-forge.net>\n"
         "Subject: [Razor-users] Stripping the report\nContent-Type: text/html\n\n"
         "<p>I strip the report before razor-check sees it.</p>"
         "<p>This sf.net email is sponsored by: <a href=\"http://ads.adnet-example.com/c?1\">www.jobs-example.com</a> "
         "Work from home and earn money online, apply today for a job with a high salary.</p>")


def test_a_list_servers_post_whose_bounces_go_to_the_lists_domain() -> None:
    to = "razor-users@lists.example-forge.net"
    server = mikiwame.check(_POST.format(bounce="razor-users-admin@lists.example-forge.net", list=to), "en")
    forged = mikiwame.check(_POST.format(bounce="x@bulk-mailer-example.net", list=to), "en")
    assert "aligned-bulk-sender" in _slugs(server) and "aligned-bulk-sender" not in _slugs(forged)
    assert "link-text-host-mismatch" in _slugs(server)  # the footer advert cancels MK073 in both
    assert "bulk-mail-shape" not in _slugs(server) | _slugs(forged)
    assert server.score < forged.score and server.verdict != "scam"
    # Seventeenth round: the footer advert and the job phrases are all there is; MK118 holds it below "scam".
    assert "newsletter-link-tricks-only" in _slugs(forged) and forged.verdict == "suspicious"


# A discussion list that writes no List-Id and answers to itself (the hard ham dev half's MSN group post): a
# member's Hotmail From, Reply-To the list address it was sent to, bounces to the list's own domain.
def _group_post(return_path: str, to: str = "Cheap Living <CheapLiving@groups.club-example.com>") -> str:
    return (f"Return-Path: <{return_path}>\nFrom: \"joyful\" <joyful.example@hotmail.com>\nTo: {to}\n"
            "Reply-To: \"Cheap Living\" <CheapLiving@groups.club-example.com>\nSubject: Re: Hi! I'm new here.\n\n"
            "New message on Cheap Living: http://groups.club-example.com/CheapLiving/msg?item=1\n"
            "We bought a used car. Your account will be suspended unless you verify it, they said: click here "
            "to claim your refund http://groups.club-example.com/CheapLiving/msg?item=2\n")


def test_a_list_answering_to_itself_and_bouncing_to_its_own_domain_is_aligned() -> None:
    report = mikiwame.check(_group_post("CheapLiving-bounce@groups.club-example.com"), "en")
    hit = next(f for f in report.findings if f.slug == "aligned-bulk-sender")
    assert "CheapLiving-bounce@groups.club-example.com" in {e.text for e in hit.evidence}
    assert "club-example.com" in hit.message and "Reply-To, Return-Path" in hit.message


@pytest.mark.parametrize("return_path, to", [
    # A 419 script mails its own collecting box and blind-copies the victims: Reply-To in To, all at free mail.
    ("collect.box@gmail.com", "<collect.box@gmail.com>"),
    # Bounces elsewhere than the list's domain.
    ("bounce-1@bulk-mailer-example.net", "Cheap Living <CheapLiving@groups.club-example.com>"),
    # The Reply-To is not the address the mail was sent to: not a list answering to itself.
    ("CheapLiving-bounce@groups.club-example.com", "reader@example.org"),
])
def test_no_list_answering_to_itself_without_its_own_bounces(return_path: str, to: str) -> None:
    post = _group_post(return_path, to)
    if "gmail" in return_path:
        post = post.replace("CheapLiving@groups.club-example.com", "collect.box@gmail.com")
    assert "aligned-bulk-sender" not in _slugs(mikiwame.check(post, "en"))


# A list server that writes no List-Id (the hard ham dev half's Lyris ListManager posts): bounces and the
# unsubscribe address on the list server's domain, which the mail links to.
def _lyris_post(return_path: str, unsubscribe: str, link: str = "http://www.sendout-example.com/gift.asp?l=history") -> str:
    return (f"Return-Path: <{return_path}>\nFrom: Forgotten History <listmanager@shag-example.com>\n"
            "To: reader@example.org\nReply-To: listmanager@shag-example.com\n"
            f"List-Unsubscribe: <{unsubscribe}>\nSubject: The Freedom Rides\n\n"
            "Give your friends a FREE GIFT subscription, click here to claim your prize: " + link + "\n")


def test_a_list_server_without_list_id_bouncing_to_its_unsubscribe_domain_is_aligned() -> None:
    post = _lyris_post("bounce-history-4084623@ls1.sendout-example.com",
                       "mailto:leave-history-4084623B@ls1.sendout-example.com")
    hit = next(f for f in mikiwame.check(post, "en").findings if f.slug == "aligned-bulk-sender")
    assert "bounce-history-4084623@ls1.sendout-example.com" in {e.text for e in hit.evidence}
    assert "List-Unsubscribe, Return-Path" in hit.message


@pytest.mark.parametrize("return_path, unsubscribe, link", [
    # A bulk kit: bounces and unsubscribe at its mailing service, its links on the landing site.
    ("bounces+1@em1.mailer-example.net", "https://u1.ct.mailer-example.net/unsub",
     "https://claim-example.com/x"),
    # Bounces elsewhere than the unsubscribe address.
    ("bounce-1@bulk-example.net", "mailto:leave-history@ls1.sendout-example.com",
     "http://www.sendout-example.com/gift.asp"),
])
def test_no_list_server_without_its_bounces_unsubscribe_and_links_on_one_domain(
        return_path: str, unsubscribe: str, link: str) -> None:
    assert "aligned-bulk-sender" not in _slugs(mikiwame.check(_lyris_post(return_path, unsubscribe, link), "en"))


@pytest.mark.parametrize("value, domains", [
    ("<mailto:leave-history-4084623B@ls1.sendoutmail.com>", ("sendoutmail.com",)),
    ("<https://u1.ct.example.net/u?x=1>, <mailto:unsub@lists.example.co.uk?subject=unsub>",
     ("example.net", "example.co.uk")),
    ("<mailto:leave@localhost>", ()),  # no public suffix
    ("", ()),
])
def test_unsubscribe_domains(value: str, domains: tuple[str, ...]) -> None:
    assert unsubscribe_domains(value) == domains


# The sender names of the extra dev Phishing Pot mails' Brazilian bank and tax lures (MK117): a notice's name
# and its protocol number on a personal free-mail box, the attachment or link the lure (mailboxes replaced).
@pytest.mark.parametrize(("sender", "numbered"), [
    ('"[Banco] - Comunicado ao cliente - Cod.  3391350884491727" <sel553r@gmail.com>', True),
    ('"Time NU. Protocolo:7164942633959263" <gustavob.example@gmail.com>', True),
    ("Nota Emitida - 813704788758188 <macdon.example@hotmail.com>", True),
    ('"[Banco] - Comunicado - 59439491563" <dsa.example@gmail.com>', False),  # eleven digits: a phone's length
    ("Maria Souza 11987654321 <maria.souza@gmail.com>", False),
    ("Protocolo 186553793753752 <avisos@banco-example.com.br>", False),  # a company's own domain
    ("551198765432100 <551198765432100@gmail.com>", False),  # the mailbox is the number
])
def test_numbered_sender_name(sender: str, numbered: bool) -> None:
    report = mikiwame.check(f"From: {sender}\nTo: reader@example.org\nSubject: Aviso\n\nMais informacoes em anexo.\n",
                            "en")
    assert ("numbered-sender-name" in _slugs(report)) is numbered
    if numbered:
        finding = next(f for f in report.findings if f.slug == "numbered-sender-name")
        assert finding.evidence[0].text.isdigit() and "@" in finding.evidence[1].text
        assert report.verdict != "clean"  # alone it flags: nothing else in these mails is the tell


def test_numbered_sender_name_cancels_the_newsletter_shape() -> None:
    # A list's or newsletter's benefit of the doubt needs a consistent sender; a numbered notice from a
    # personal box is none.
    source = ("From: {name} <club.example@gmail.com>\nTo: reader@example.org\nList-Id: <club.example.org>\n"
              "List-Unsubscribe: <mailto:leave@example.org>\nSubject: News\n\nUnsubscribe: https://example.org/u\n")
    plain = _slugs(mikiwame.check(source.format(name="Club News"), "en"))
    numbered = _slugs(mikiwame.check(source.format(name="Club News 100200300400500"), "en"))
    assert "numbered-sender-name" not in plain and "bulk-mail-shape" in plain
    assert "numbered-sender-name" in numbered and "bulk-mail-shape" not in numbered
