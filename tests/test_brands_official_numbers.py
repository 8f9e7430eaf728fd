"""Official numbers in every form a message writes them (issue 9, genuine notices flagged).

A genuine card-usage check or fraud alert asks you to call the issuer's real number: that number is one of the
brand's ``official_phones`` (data/brands.toml, each with its source), so it is not a call-back number. The
same text with any other number still is. One case per way a number is written: Japanese free-dial, navi-dial
and 050 numbers, British 03/0800 numbers, and a North American number with and without its country code; and
the call-back numbers of genuine usage-check and alert texts added for issue 9 category 7 (each flagged
callback-number before its number was in the knowledge base).
"""

from __future__ import annotations

import pytest

import mikiwame
from mikiwame.knowledge import load

CHASE = "Chase Fraud Alert: unusual activity on your account. Call us at {number}."
WELLS = "Wells Fargo: suspicious activity on your debit card. Call {number} right away."
# id: (text with {number}, the brand's official number as the text writes it, another number in that form)
CASES = {
    "ja-fixed": ("【エポスカード】カードのご利用確認のため、エポス紛失受付センター {number} までお電話ください。",
                 "03-5340-3333", "03-5340-3334"),
    # A free-dial call-back line that only EPOS's usage-check SMS gives (sourced to a cardholder's quote of it).
    "ja-free-dial": ("エポスカードです。ご利用内容について確認がございます。{number} までお電話ください。",
                     "0120-060-101", "0120-060-111"),
    "ja-security-desk": ("【ビューカード】カードのご利用について確認させていただきたいことがございます。セキュリティデスク {number} "
                         "へお電話ください。", "03-6685-6817", "03-6685-6871"),
    "ja-osaka": ("クレディセゾンです。カードのご利用内容について確認がございます。{number} 迄ご連絡ください。",
                 "06-7709-8190", "06-7709-8191"),
    "ja-navi-dial": ("【オリコ】カードの不正利用の可能性がございます。紛失・盗難受付ダイヤル {number} へご連絡ください。",
                     "0570-080-848", "0570-080-849"),
    "ja-050": ("NHKふれあいセンターです。受信料のお手続きについて {number} までお問い合わせください。",
               "050-3786-5003", "050-3786-5004"),
    "uk-0345": ("HSBC: we have blocked a card payment to protect you. If you think you've been targeted, call us "
                "on {number}.", "03457 404 404", "03457 404 405"),
    "uk-0800": ("Lloyds Bank: we've noticed unusual activity on your account. Please call us on {number}.",
                "0800 917 7017", "0800 917 7018"),
    "us-with-1": (CHASE, "1-800-935-9935", "1-800-935-9936"),
    "us-brackets": (CHASE, "(800) 935-9935", "(800) 935-9936"),
    "us-without-1": (WELLS, "800-869-3557", "800-869-3558"),
    "us-international": (WELLS, "+1 800 869 3557", "+1 800 869 3558"),
    "us-carrier-care": ("T-Mobile: we noticed a request to move your number to another carrier. If this wasn't you, "
                        "call {number} from any phone.", "1-800-937-8997", "1-800-937-8979"),
    "us-member-line": ("USAA: we noticed unusual activity on your account. Questions? Call us at {number}.",
                       "800-531-8722", "800-531-8723"),
}


def _slugs(text: str) -> set[str]:
    return {f.slug for f in mikiwame.check(text).findings}


@pytest.mark.parametrize(("template", "official", "other"), CASES.values(), ids=CASES.keys())
def test_the_brands_own_number_is_not_a_callback_number(template: str, official: str, other: str) -> None:
    assert "callback-number" not in _slugs(template.format(number=official))
    assert "callback-number" in _slugs(template.format(number=other))


@pytest.mark.parametrize(("template", "official", "other"), CASES.values(), ids=CASES.keys())
def test_the_number_is_read_as_the_brands_own(template: str, official: str, other: str) -> None:
    phones = mikiwame.check(template.format(number=official)).to_dict()["entities"]["phones"]
    assert [p["known"] for p in phones] == ["official"]
    assert phones[0]["source"].startswith("https://")


def test_a_north_american_number_is_stored_in_every_form_a_message_writes() -> None:
    chase = load().brand_by_id["chase"]
    assert {"18009359935", "8009359935", "+18009359935"} <= chase.official_phones


def test_a_domestic_number_has_one_form() -> None:
    # EPOS lists only Japanese numbers: each is kept as its domestic digits, with no other form beside it.
    assert load().brand_by_id["epos"].official_phones == {"0353403333", "0333830101", "0666300101", "0120060101"}


def test_no_official_number_belongs_to_two_brands() -> None:
    # official_numbers gives a number to the first brand that lists it: a second owner would be misnamed.
    # Shared gateway numbers (SoftBank's 0032069000 for every card issuer) are therefore left out.
    owners: dict[str, set[str]] = {}
    for brand in load().brands:
        for number in brand.official_phones | brand.official_sms_senders:
            owners.setdefault(number, set()).add(brand.id)
    assert {n: ids for n, ids in owners.items() if len(ids) > 1} == {}
