"""Who the sender claims to be (issue 12): MK080 reply-to-other-freemail, MK081 mail-system-claim and MK082
organisation-at-freemail, with mail_senders.toml, their data. Each rule both ways; fixtures are short sources
built from the structure of real messages (Phishing Pot dev half, the mailbox-quota lures quoted by the
sources in mail_senders.toml; names and domains replaced by reserved ones where they are not the point)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mikiwame import engine
from mikiwame.knowledge import load

DATA = Path(__file__).resolve().parents[1] / "pysrc" / "mikiwame" / "data" / "mail_senders.toml"


def slugs(text: str) -> dict[str, int]:
    return {f.slug: f.weight for f in engine.check(text, "en").findings}


# --- MK080: replies collected in another box at the same free-mail provider (SpamAssassin FREEMAIL_REPLYTO) --

ADVANCE_FEE = ("From: Mr. Tom Hassan <hassan.tom@gmail.com>\nReply-To: <{reply}>\nTo: <someone@example.com>\n"
               "Subject: I NEED A TRUSTED PERSON IN THIS BUSINESS\n\nI have a business deal to share with you in the "
               "sum of 10.2M USD dollars held in our bank.\n")


def test_another_box_at_the_same_provider_collects_the_replies():
    found = slugs(ADVANCE_FEE.format(reply="tomhassantom468@gmail.com"))
    assert "reply-to-other-freemail" in found and "freemail-reply-to" not in found
    assert engine.check(ADVANCE_FEE.format(reply="tomhassantom468@gmail.com"), "en").verdict != "clean"


def test_replies_to_the_same_box_or_a_company_address_are_not_mk080():
    assert "reply-to-other-freemail" not in slugs(ADVANCE_FEE.format(reply="hassan.tom@gmail.com"))
    # Another provider is MK062's (free-mail Reply-To at another domain), not counted twice.
    found = slugs(ADVANCE_FEE.format(reply="tomhassan@outlook.com"))
    assert "freemail-reply-to" in found and "reply-to-other-freemail" not in found
    # A person at a company who answers from their own domain.
    assert "reply-to-other-freemail" not in slugs(
        ADVANCE_FEE.format(reply="tom@example.co.jp").replace("hassan.tom@gmail.com", "tom.hassan@example.co.jp"))


# --- MK081: an outside sender posing as the recipient's mail system ----------------------------------------

QUOTA = ("From: {name} <{sender}>\nTo: bob@acme.co.jp\nSubject: Your mailbox has exceeded the quota\n\n"
         "Your mailbox has exceeded the storage limit set by your administrator. {tail}\n")
LINK = "Re-validate here: https://admin-portal.example.org/validate"


@pytest.mark.parametrize("name", ["Mail Help Desk", "Webmail Technical Team", "acme.co.jp IT-Support",
                                  "E-Mail Administrator", "System Administrator", "HELPDESK"])
def test_a_mail_system_name_from_outside_with_a_link_is_flagged(name: str):
    found = slugs(QUOTA.format(name=name, sender="noreply@kosmetik-shop.example.net", tail=LINK))
    assert "mail-system-claim" in found


def test_the_recipients_own_it_desk_or_provider_is_not_flagged():
    assert "mail-system-claim" not in slugs(QUOTA.format(name="Mail Help Desk", sender="helpdesk@acme.co.jp", tail=LINK))
    assert "mail-system-claim" not in slugs(
        QUOTA.format(name="Mail Help Desk", sender="helpdesk@mail.acme.co.jp", tail=LINK))


def test_no_link_elsewhere_or_a_servers_own_address_is_not_flagged():
    # Nothing to click: a notice that asks nothing of the reader.
    assert "mail-system-claim" not in slugs(
        QUOTA.format(name="Mail Help Desk", sender="noreply@kosmetik-shop.example.net", tail="Please delete old mail."))
    # A remote server's bounce names itself by its address and quotes the refused mail's links.
    assert "mail-system-claim" not in slugs(
        QUOTA.format(name="helpdesk@mx.example.net", sender="helpdesk@mx.example.net", tail=LINK))
    # A name that only contains a word of the list inside another word.
    assert "mail-system-claim" not in slugs(
        QUOTA.format(name="Quotable Quotes", sender="news@quotes.example.net", tail=LINK))


# --- MK082: an organisation's name on a personal free-mail box ---------------------------------------------

def sender(name: str, address: str) -> str:
    return f"From: {name} <{address}>\nSubject: Notice\n\nAttention: please read.\n"


@pytest.mark.parametrize(("name", "address"), [
    ("United Nations", "unitednationsliaisonoffice0@gmail.com"),  # Phishing Pot: an advance-fee "payment"
    ("ethereum.org", "miller8j32pop8j@icloud.com"),  # Phishing Pot: a site's name as the sender's name
    ("Customer-Service", "acct.review2291@outlook.com"),
])
def test_an_organisations_name_on_a_personal_mailbox_is_flagged(name: str, address: str):
    assert "organisation-at-freemail" in slugs(sender(name, address))


@pytest.mark.parametrize(("name", "address"), [
    ("Mr.Johnson", "coll2001ng@gmail.com"),  # a title with a dot is no site name
    ("Jane Smith", "jane.smith@gmail.com"),
    ("Customer Service", "support@shop.example.co.jp"),  # the company's own domain
    ("ethereum.org", "news@ethereum.org"),  # the site's own domain
    ("Food Banker Tim", "tim@gmail.com"),  # "bank" only inside a longer word
])
def test_people_and_companies_own_domains_are_not_flagged(name: str, address: str):
    assert "organisation-at-freemail" not in slugs(sender(name, address))


def test_a_known_brand_on_a_free_mail_box_is_mk060s_alone():
    found = slugs(sender("Mercado Pago", "atendimento_mercado_pago@hotmail.com"))
    assert "display-name-brand" in found and "organisation-at-freemail" not in found


# --- the data ----------------------------------------------------------------------------------------------

def test_mail_senders_data_is_sourced_and_loaded():
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    kb = load()
    for section, loaded in (("mail_system_names", kb.mail_system_names), ("organisation_names", kb.organisation_names)):
        assert raw[section]["source"].startswith("https://") and raw[section]["checked"]
        assert len(raw[section]["items"]) == len(set(raw[section]["items"])) > 5
        assert loaded == tuple(n.lower() for n in raw[section]["items"])
        assert kb.mail_sender_sources[section] == raw[section]["source"]


# --- MK077: a borrowed name beside another sign that the sender hides something -----------------------------

UNAUTHENTICATED = ("Authentication-Results: mx.example.net; dkim=none; spf=softfail smtp.mailfrom=x.example; "
                   "dmarc=none\nFrom: {name} <{address}>\nSubject: Gewinnen Sie einen Gutschein\n\nHallo!\n")


def test_a_borrowed_name_beside_an_unauthenticated_sender_is_flagged():
    # Phishing Pot's "Kundenservice Deutsche Bahn" <reply@…> shape: no DKIM, SPF or DMARC pass.
    report = engine.check(UNAUTHENTICATED.format(name="Kundenservice Deutsche Bahn", address="reply@kosmetik.example.net"), "en")
    found = {f.slug: f for f in report.findings}
    assert "unauthenticated-sender" in found and "sender-name-unrelated" in found
    assert "nothing authenticates the sender" in found["sender-name-unrelated"].message
    assert report.verdict != "clean"


def test_a_name_in_its_address_or_an_authenticated_sender_is_not_mk077():
    assert "sender-name-unrelated" not in slugs(
        UNAUTHENTICATED.format(name="Kosmetik Shop", address="reply@kosmetik.example.net"))
    passed = UNAUTHENTICATED.replace("dkim=none", "dkim=pass header.d=kosmetik.example.net")
    assert "sender-name-unrelated" not in slugs(
        passed.format(name="Kundenservice Deutsche Bahn", address="reply@kosmetik.example.net"))


# --- MK084: sent through a Microsoft 365 tenant's default domain (MOERA) ------------------------------------

# A Phishing Pot shape: a prize lure whose From is a random spare domain and whose envelope is a trial tenant.
TENANT = ("From: Rituals Box <s9c6b60r@spare-domain.example>\nReturn-Path: <{envelope}>\n"
          "Subject: Ihr Adventskalender\n\nSie haben gewonnen. https://spare-domain.example/4uTPaq\n")


def test_an_envelope_on_a_tenants_default_domain_is_mk084():
    found = slugs(TENANT.format(envelope="8fnw0lgra3k0@dan19142255.onmicrosoft.com"))
    assert found.get("sent-through-tenant-domain", 0) > 0


def test_a_look_alike_of_the_tenant_domain_or_a_mention_of_it_is_not_mk084():
    assert "sent-through-tenant-domain" not in slugs(TENANT.format(envelope="bounce@onmicrosoft.com.example"))
    assert "sent-through-tenant-domain" not in slugs(TENANT.format(envelope="bounce@spare-domain.example"))
    mention = TENANT.format(envelope="bounce@spare-domain.example").replace(
        "Sie haben gewonnen.", "Our old address was admin@contoso.onmicrosoft.com.")
    assert "sent-through-tenant-domain" not in slugs(mention)


def test_the_tenant_domains_come_from_the_data_file_with_a_source():
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))["tenant_domains"]
    assert data["source"].startswith("https://") and data["items"] == ["onmicrosoft.com"]
