"""E-mail shape: the newsletter discount (MK073), addresses at hosts without a public suffix, brand claims
that are whole words, the From header as written, and the benchmark's dev/held-out split.

Fixtures are short sources built from the structure of real messages (Phishing Pot and SpamAssassin dev
halves; names and domains replaced by reserved ones where they are not the point)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from mikiwame import engine
from mikiwame.knowledge import load
from mikiwame.mail import unreachable_address
from mikiwame.rules import Hit
from mikiwame.score import counted_weights

ROOT = Path(__file__).resolve().parents[1]

# A Phishing Pot login lure: the honeypot's mailbox "phishing@pot" is written three times in the body.
MAILBOX_LURE = ("From: Facebook <36zx1@jhuxt8p2bc.com>\nReply-To: <ssecnews@gmail.com>\nTo: phishing@pot\n"
                "Subject: Someone tried to log in to your account\nContent-Type: text/plain; charset=utf-8\n\n"
                "Hi phishing@pot, someone tried to log in to your account from a new device.\n"
                "Was it you? phishing@pot\nThis message was sent to phishing@pot. Facebook, Inc.\n")
# A bank's warning that talks about phishing in prose.
PROSE_WARNING = ("From: Security Desk <desk@bank.co.jp>\nSubject: About phishing\n"
                 "Content-Type: text/plain; charset=utf-8\n\n"
                 "Beware of phishing. Phishing mails and scam calls are rising; we never ask for your password.\n")
# A mailing-list post (SpamAssassin hard ham's shape): List-Id, a prize word, and a link to a bare IP.
LIST_POST = ("From: Jane <jane@example.org>\nList-Id: <exmh-users.redhat.com>\nSubject: Re: sorting\n\n"
             "Congratulations, you won the prize for the best patch. Mirror: http://192.0.2.7/patch.diff\n")


def slugs(report) -> dict[str, int]:  # noqa: ANN001
    return {f.slug: f.weight for f in report.findings}


def test_a_mailbox_without_public_suffix_is_an_address_not_talk_about_phishing():
    report = engine.check(MAILBOX_LURE, "en")
    found = slugs(report)
    assert "warning-about-scams" not in found  # before: "phishing" in the mailbox made it a warning
    assert [e["text"] for e in report.entities["emails"]].count("phishing@pot") == 3
    assert report.verdict == "scam"


def test_phishing_in_prose_still_makes_a_warning():
    found = slugs(engine.check(PROSE_WARNING, "en"))
    assert "warning-about-scams" in found and found["warning-about-scams"] < 0


def test_newsletter_shape_discounts_only_phrase_findings():
    report = engine.check(LIST_POST, "en")
    found = slugs(report)
    kb = load()
    assert "bulk-mail-shape" in found
    assert found["ip-address-link"] == kb.rule_by_slug["ip-address-link"].weight  # a link finding: in full
    factor = kb.phrase_discounts["bulk-mail-shape"]
    assert found["prize-or-refund-lure"] == round(kb.rule_by_slug["prize-or-refund-lure"].weight * factor)
    assert 0 < factor < 1


def test_newsletter_shape_is_cancelled_by_a_structure_finding():
    forged = LIST_POST.replace("From: Jane <jane@example.org>", "From: PayPal <service@paypa1-mail.example.org>")
    found = slugs(engine.check(forged, "en"))
    assert "display-name-brand" in found and "bulk-mail-shape" not in found
    assert found["prize-or-refund-lure"] == load().rule_by_slug["prize-or-refund-lure"].weight


def test_phrase_discount_leaves_builtins_and_favourable_weights_alone():
    kb = load()
    hits = [Hit("bulk-mail-shape", ()), Hit("deadline-pressure", ()), Hit("url-shortener", ()),
            Hit("official-link", ())]
    weights = counted_weights(hits, kb)
    factor = kb.phrase_discounts["bulk-mail-shape"]
    assert weights["deadline-pressure"] == round(kb.rule_by_slug["deadline-pressure"].weight * factor)
    assert weights["url-shortener"] == kb.rule_by_slug["url-shortener"].weight
    assert weights["official-link"] == kb.rule_by_slug["official-link"].weight < 0
    assert counted_weights([Hit("deadline-pressure", ())], kb)["deadline-pressure"] == \
        kb.rule_by_slug["deadline-pressure"].weight


def test_a_brand_inside_a_longer_word_is_no_claim():
    def check(subject: str) -> dict[str, int]:
        return slugs(engine.check(f"From: feeds <rss@feeds.example.org>\nSubject: {subject}\n\n"
                                  "URL: http://boingboing.net/85481626\n", "en"))
    assert "unofficial-domain" not in check("Great DVD interaction tool, probably illegal")
    assert "unofficial-domain" in check("Interac e-Transfer: you received money")


def test_malformed_from_is_read_as_written():
    def check(sender: str) -> dict[str, int]:
        return slugs(engine.check(f"From: {sender}\nSubject: Hi\n\nHello\n", "en"))
    assert "malformed-from" in check("Das EcoClean-Team, <noreply@team.mobile.de>")  # two mailboxes
    assert "malformed-from" not in check('"Doe, John" <john@example.com>')


@pytest.mark.parametrize(("sender", "malformed"), [
    # Addresses no mail can reach, in the forms of the extra dev Phishing Pot mails (names and hosts replaced).
    ("CORREIOS <aviso@%correios-example.com>", True),
    ("ADAC Versand <ADACVersand@'ADACVersand-myqfw.example.com>", True),
    ("Dekra Auto-Service <noreply@newsletter-example,com>", True),
    ('"Gewinner Team "<team@{brand-example.de}>', True),
    ('"Speel het Spel!" <"info@Booking.com">', True),  # one quoted string: a mailbox name with no domain
    # What mail programs write.
    ('"Jane Doe" <jane@example.com>', False),
    ('Jane <"jane doe"@example.com>', False),  # a quoted local part, with its domain
    ("Jane <jane@xn--bcher-kva.example>", False),
    ("Jane <jane@bücher.example>", False),  # an internationalised domain (RFC 6531)
    ("Jane <jane@[192.0.2.1]>", False),  # an address literal (RFC 5321 4.1.3)
    ("Jane <jane@example.com >", False),  # a space before the bracket
    ("jane@example.com (Jane Doe)", False),  # an old-style comment after a bare address
])
def test_unreachable_address_is_malformed(sender: str, malformed: bool) -> None:
    assert unreachable_address(sender) is malformed
    report = engine.check(f"From: {sender}\nSubject: Hi\n\nHello\n", "en")
    assert ("malformed-from" in slugs(report)) is malformed


def _benchmark():
    spec = importlib.util.spec_from_file_location("email_benchmark", ROOT / "benchmarks" / "email.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_halves_are_fixed_and_balanced():
    bench = _benchmark()
    names = [f"sample-{n}.eml" for n in range(2000)]
    sides = [bench.half(n) for n in names]
    assert sides == [bench.half(n) for n in names]  # a fixed hash, not a random draw
    assert set(sides) == {"dev", "held-out"}
    assert 900 < sides.count("dev") < 1100


def test_mailbox_addresses_stay_inside_the_analysed_text():
    import mikiwame

    source = ("From: Shop <news@shop.co.jp>\nTo: taro@pot\nSubject: Hi\n\nDear taro@pot,\n"
              + "word " * (mikiwame.MAX_CHARS // 5) + "\nsent to taro@pot\n")
    report = engine.check(source, "en")
    assert report.truncated
    found = [e for e in report.entities["emails"] if e["text"] == "taro@pot"]
    assert len(found) == 1  # the one past the limit is not read
    assert all(e["end"] <= mikiwame.MAX_CHARS for e in report.entities["emails"])


def test_a_newsletter_is_no_strangers_chat():
    """MK047 (a stranger's chat leading to money or another app) is person to person; a newsletter that mentions
    recruiting and links elsewhere (SpamAssassin hard ham's tech dailies) is not one."""
    body = "Recruiting: we are hiring writers for the daily. Read more at http://jobs.example.net/apply\n"
    newsletter = LIST_POST.split("\n\n")[0] + "\n\n" + body
    found = slugs(engine.check(newsletter, "en"))
    assert "bulk-mail-shape" in found and "job-or-investment-offer" in found
    assert "conversation-lure" not in found
    assert "conversation-lure" in slugs(engine.check(body, "en"))


# --- MK077 beside a bulk mailer's other habits (MK078, MK070) ----------------------------------------------

# A Phishing Pot shape: a borrowed name on a spare domain, bulk headers but no DMARC for the domain.
NO_DMARC = ("From: Expert Mechanics <lovins@spare-domain-example.com>\n"
            "List-Unsubscribe: <https://spare-domain-example.com/u>\n"
            "Authentication-Results: mx.example.com; spf=pass smtp.mailfrom=spare-domain-example.com; dkim=none; "
            "dmarc=none header.from=spare-domain-example.com\nSubject: Ready?\n\nSee our offer.")


def _found(text: str) -> set[str]:
    return {f.slug for f in engine.check(text, "en").findings}


def test_a_borrowed_name_beside_bulk_mail_without_dmarc_is_unrelated():
    found = _found(NO_DMARC)
    assert {"bulk-sender-without-dmarc", "sender-name-unrelated"} <= found


def test_a_name_its_address_carries_is_not_unrelated_beside_bulk_mail_without_dmarc():
    own = NO_DMARC.replace("Expert Mechanics <lovins@", "Spare Domain News <lovins@")
    found = _found(own)
    assert "bulk-sender-without-dmarc" in found and "sender-name-unrelated" not in found


def test_a_borrowed_name_beside_the_recipients_address_in_the_subject_is_unrelated():
    text = ("From: Account Review <info@spare-domain-example.com>\nTo: taro@example.jp\n"
            "Subject: taro@example.jp: your mailbox\n\nHello.")
    assert {"recipient-in-subject", "sender-name-unrelated"} <= _found(text)
    assert "sender-name-unrelated" not in _found(text.replace("Subject: taro@example.jp: ", "Subject: "))


# A publisher's author newsletter that a forwarding service passed on (hard ham dev half's structure: the
# author's address kept as the display name, a per-message mailbox at the forwarder, every link on the
# publisher's site, "click here" and an unsubscribe note; names replaced).
FORWARDED = ("From: \"AuthorNews@publisher-example.com [reader/publisher]\" <ticket_23aj49j1@forwarder-example.com>\n"
             "To: reader@example.org\nSubject: New from your authors\n\n"
             "A new novel is out. Click here to read more: http://www.publisher-example.com/book/1\n"
             "Click here for the next one: http://www.publisher-example.com/book/2\n"
             "To unsubscribe, click here: {unsub}\n")


def test_a_forwarded_newsletter_on_its_authors_site_is_a_newsletter():
    report = engine.check(FORWARDED.format(unsub="http://www.publisher-example.com/unsub"), "en")
    assert "bulk-mail-shape" in slugs(report) and "display-name-address" not in slugs(report)
    assert report.verdict == "clean"


def test_a_name_written_as_an_address_with_links_elsewhere_is_no_newsletter():
    spoof = FORWARDED.replace("www.publisher-example.com", "login.elsewhere-example.net")
    found = slugs(engine.check(spoof.format(unsub="http://login.elsewhere-example.net/u"), "en"))
    assert "display-name-address" in found and "bulk-mail-shape" not in found
