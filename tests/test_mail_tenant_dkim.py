"""MK084 sent-through-tenant-domain, read from the DKIM signature (issue 12): the only DKIM signature that
passed in the topmost Authentication-Results is a Microsoft 365 tenant's default domain
(``header.d=….onmicrosoft.com``), and DMARC did not pass for the From domain.

Fixture: the structure of Phishing Pot dev messages (an advert "USA Mechanic Masters" from a spare domain,
signed by a throwaway tenant, dmarc=bestguesspass; a "Foundation" donation lure, signed by another tenant,
dmarc=none); names and domains replaced."""

from __future__ import annotations

from mikiwame import engine

MAIL = ("From: Mechanic Masters <lovinskacmar@spare-domain.com>\nTo: <reader@example.com>\n"
        "Authentication-Results: spf=pass (sender IP is 40.107.117.72) smtp.mailfrom=spare-domain.com; "
        "dkim=pass (signature was verified) header.d={signer};dmarc={dmarc} action=none header.from=spare-domain.com\n"
        "Subject: Expertise Calls for... The Best. Ready?\n\nBook a talk: https://events.example.net/book\n")


def found(signer: str = "mlz665.onmicrosoft.com", dmarc: str = "bestguesspass") -> dict[str, str]:
    """Each finding's message, by slug."""
    report = engine.check(MAIL.format(signer=signer, dmarc=dmarc), "en")
    return {f.slug: f.message for f in report.findings}


def test_a_tenant_signature_for_an_unproven_from_domain():
    message = found()["sent-through-tenant-domain"]
    assert "mlz665.onmicrosoft.com" in message and "DKIM" in message
    assert "sent-through-tenant-domain" in found(dmarc="none")


def test_dmarc_pass_proves_the_from_domain_whatever_signed():
    assert "sent-through-tenant-domain" not in found(dmarc="pass")


def test_a_signature_of_the_senders_own_domain_is_no_tenant_mail():
    assert "sent-through-tenant-domain" not in found(signer="spare-domain.com")
    # signed by both: the owner proved a domain of its own
    both = MAIL.replace("header.d={signer};", "header.d={signer}; dkim=pass header.d=spare-domain.com;")
    slugs = {f.slug for f in engine.check(both.format(signer="mlz665.onmicrosoft.com", dmarc="none"), "en").findings}
    assert "sent-through-tenant-domain" not in slugs


def test_a_look_alike_of_the_tenant_domain_is_not_one():
    assert "sent-through-tenant-domain" not in found(signer="mlz665.onmicrosoft.com.example")
