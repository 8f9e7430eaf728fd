"""Brands added for US, UK, Canadian and Australian smishing (issue 9, "what to build" 5): toll agencies beyond
E-ZPass, SunPass and FasTrak, US benefit agencies, regional banks and fintechs, airlines, retail and delivery apps.

Fixtures copy the shape of the texts the agencies' and brands' own warnings quote (a brand name, a pretext, a
link elsewhere); hosts are made up where they are not the point. Each brand both ways: a claim with a link
elsewhere is caught, the brand's own domain passes, and where the brand's name is an ordinary word (Target,
Discover, Delta, United, Wise, Regions, Chime, Uber, Medicare, Crypto.com, Revolut) the word in running text, in
another company's host or in another company's sender name claims nothing."""

from __future__ import annotations

import pytest

import mikiwame
from mikiwame import engine


def slugs(text: str) -> set[str]:
    return {f.slug for f in engine.check(text, "en").findings if f.weight}


def named(text: str) -> list[str]:
    return [b["id"] for b in mikiwame.check(text, "en").to_dict()["entities"]["brands"]]


def link(text: str) -> dict:
    urls = mikiwame.check(text, "en").to_dict()["entities"]["urls"]
    assert len(urls) == 1, urls
    return urls[0]


def mail(sender: str) -> str:
    return (f"From: {sender}\nSubject: Notice\nContent-Type: text/html; charset=utf-8\n\n"
            '<html><body><p><a href="https://example-portal.net/x">Open</a></p></body></html>\n')


# --- a named brand with a link elsewhere ----------------------------------------------------------------------

@pytest.mark.parametrize(("brand", "text"), [
    ("ncquickpass", "NC Quick Pass: You have an unpaid toll balance of $6.99. Pay now to avoid late fees: "
                    "https://ncquickpass.com-pay.top/x"),
    ("peachpass", "Peach Pass: your vehicle has an unpaid toll invoice of $4.15. Settle your balance at "
                  "https://toll-billing.example.xyz/pay"),
    ("ipass", "Illinois Tollway Services: our records indicate that your vehicle has an unpaid toll invoice. "
              "Settle your balance: https://example-toll.com/il"),
    ("txtag", "TxTag: Your account has an unpaid balance of $14.25. Pay immediately to avoid fees: "
              "https://txtag-payments.net/"),
    ("ohioturnpike", "Ohio Turnpike: you have an outstanding toll of $9.75. Pay at https://ohioturnpiketolls.com/us"),
    ("paturnpike", "PA Turnpike Toll Services: your overdue balance will incur a late fee. "
                   "https://paturnpike.com-ex64.cyou/us"),
    ("chime", "Chime Banking: your card has been locked. Verify at https://card-unlock.example.top/a"),
    ("revolut", "Revolut: we detected suspicious activity. Log in at https://secure-login.example.com/x"),
    ("keybank", "KeyBank Notification: Account locked. Restore access at https://key-restore.example.net/"),
    ("fifththird", "Fifth Third Bank: We locked your debit card. To unlock it confirm your identity "
                   "https://card-unlock.example.top/53"),
    ("firstcitizens", "First Citizens Bank: unusual activity on your card. Review: https://alerts.example.top/fc"),
    ("citizens", "Citizens Bank: unusual activity on your card. Review: https://alerts.example.top/cb"),
    ("ssa", "Social Security Administration: your benefits are suspended. Update at https://ssa-update.example.top/"),
    ("postoffice_uk", "Post Office Ltd: your parcel has been redirected to your local branch due to an unpaid "
                      "shipping fee https://parcel-fee.example.top/po"),
])
def test_a_named_brand_with_a_link_elsewhere_is_not_official(brand: str, text: str) -> None:
    url = link(text)
    assert url["brand"] == brand and url["official"] is False, url
    assert slugs(text) & {"unofficial-domain", "lookalike-domain"}


@pytest.mark.parametrize("text", [
    "NC Quick Pass: Your statement is ready. View it at https://secure.ncquickpass.com/",
    "TxTag: Your account balance is low. Log in at https://www.txtag.org to add funds.",
    "Illinois Tollway: manage your I-PASS at https://www.illinoistollway.com/",
    "Ohio Turnpike E-ZPass: view your account at https://www.ezpassoh.com/",
    "Citizens Bank: view your statement at https://www.citizensbank.com/",
    "Monzo: your card is on its way. Track it at https://monzo.com/help",
    "Purolator: track your shipment at https://www.purolator.com/en/shipping/tracker",
])
def test_the_brands_own_domain_passes(text: str) -> None:
    assert link(text)["official"] is True
    assert not slugs(text) & {"unofficial-domain", "lookalike-domain"}


def test_a_toll_text_that_quotes_the_never_does_fires_it() -> None:
    """NC Quick Pass never requests payment by text: an unpaid-toll demand in its name is what it never does."""
    text = ("NC Quick Pass: You have an unpaid toll balance of $6.99. Pay now to avoid late fees: "
            "https://ncquickpass.com-pay.top/x")
    assert "brand-never-does" in slugs(text)


# --- names that are ordinary words -----------------------------------------------------------------------------

def test_ordinary_words_in_running_text_name_no_brand() -> None:
    text = ("We target a revolution in regions where the delta meets united towns; be wise, chime in, the crypto "
            "winter, uber fast, medicare for all, discover more. Take the letter to the post office today.")
    assert named(text) == []


def test_first_citizens_is_not_read_as_citizens() -> None:
    assert named("First Citizens Bank: your card is locked") == ["firstcitizens"]
    assert named("Citizens Bank: your card is locked") == ["citizens"]


@pytest.mark.parametrize("url", [
    "https://www.discovery.com/", "https://www.unitedhealthcare.com/", "https://united-way.org/",
    "https://www.deltadental.com/", "https://delta-dental.com/", "https://www.targetmarketing.com/",
    "https://revolution.com/", "https://www.cryptonews.com/", "https://crypto-news.com/",
    "https://www.medicareadvantage.com/", "https://www.wisegeek.com/", "https://chimes.org/",
    "https://uber-cool.example.com/",
])
def test_another_company_sharing_the_word_is_no_lookalike(url: str) -> None:
    assert "lookalike-domain" not in slugs(url)


@pytest.mark.parametrize("url", [
    "https://target-rewards.top/x", "https://uber-login.xyz/", "https://crypto-com.info/",
    "https://medicare-claim.top/", "https://discover.com.account-review.xyz/",
])
def test_the_word_joined_to_a_lure_is_a_lookalike(url: str) -> None:
    assert "lookalike-domain" in slugs(url)


@pytest.mark.parametrize("sender", [
    "United Way <info@unitedway.org>", "Delta Dental <claims@deltadental.com>",
    "Target Marketing Group <ads@tmg.example.com>", "Crypto News <news@cryptonews.com>",
    "Wise <no-reply@wise.com>", "United <no-reply@united.com>",
])
def test_another_name_or_the_brands_own_address_is_no_claim(sender: str) -> None:
    assert "display-name-brand" not in slugs(mail(sender))


@pytest.mark.parametrize("sender", [
    "Discover <alerts@card-security-center.com>", "Target <orders@deals-example.net>",
    "Medicare <info@benefits-example.org>", "Chime <alerts@bank-example.net>",
    "Delta Air Lines <sky@mileage-example.top>", "Citizens Bank <alerts@example-bank.net>",
])
def test_the_brand_as_a_sender_elsewhere_is_a_claim(sender: str) -> None:
    assert "display-name-brand" in slugs(mail(sender))
