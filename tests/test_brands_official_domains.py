"""Official domains genuine notices use (issue 9, category 7: "genuine brand notices flagged: links to official
domains missing from the knowledge base"), and brands added in the same round (category 2).

Each fixture is a short notice written here in the shape the brand's own page describes (a brand name, a
routine reason, a link to the brand's own site); none is taken from the corpus. Both directions: the genuine
link is official and owned by the named brand, so no link finding fires; the same wording with a link elsewhere
is still caught. Before this round every "genuine" case below was flagged unofficial-domain (+30)."""

from __future__ import annotations

import pytest

import mikiwame

LINK_FINDINGS = {"unofficial-domain", "lookalike-domain"}


def report(text: str, lang: str) -> dict:
    return mikiwame.check(text, lang).to_dict()


def slugs(text: str, lang: str) -> set[str]:
    return {f["slug"] for f in report(text, lang)["findings"] if f["weight"] > 0}


# (brand id, language, notice with the brand's own link, the same notice with a link elsewhere)
CASES = [
    ("kddi", "ja", "【au】12月分のご請求額が確定しました。詳細は https://www.au.com/my-au/ でご確認いただけます。",
     "【au】12月分のご請求額が確定しました。詳細は https://au-billing-check.example.net/ でご確認いただけます。"),
    ("softbank", "ja", "ワイモバイルをご利用いただきありがとうございます。料金プラン変更の受付が完了しました。"
                       "https://www.ymobile.jp/support/",
     "ワイモバイルをご利用いただきありがとうございます。料金プラン変更の受付が完了しました。"
     "https://ymobile-support.example.com/"),
    ("paypay", "ja", "PayPayカードのご利用明細が確定しました。https://www.paypay-card.co.jp/ からご確認ください。",
     "PayPayカードのご利用明細が確定しました。https://paypay-card-meisai.example.com/ からご確認ください。"),
    ("aeon_card", "ja", "イオン銀行より定期預金満期のご案内です。https://www.aeonbank.co.jp/ をご覧ください。",
     "イオン銀行より定期預金満期のご案内です。https://aeonbank-info.example.com/ をご覧ください。"),
    ("etc", "ja", "NEXCO東日本より、ETCマイレージサービスのポイント還元のお知らせです。https://driveplaza.com/etc/",
     "NEXCO東日本より、ETCマイレージサービスのポイント還元のお知らせです。https://etc-point.example.com/"),
    ("mizuho_sec", "ja", "みずほ証券です。取引報告書を電子交付しました。https://www.mizuho-sc.com/ からログインしてご確認ください。",
     "みずほ証券です。取引報告書を電子交付しました。https://mizuho-sc-report.example.com/ からログインしてご確認ください。"),
    ("amazon", "en", "Amazon: your order has shipped. Track it at https://www.amazon.co.uk/gp/your-account/orders",
     "Amazon: your order has shipped. Track it at https://amazon-orders.example.com/uk"),
    ("royalmail", "en", "Parcelforce Worldwide: your parcel is out for delivery today. Track at "
                        "https://www.parcelforce.com/track-trace",
     "Parcelforce Worldwide: your parcel is out for delivery today. Track at https://parcel-track.example.com/pf"),
    ("scotiabank", "en", "Scotiabank: your new statement is ready. Sign in at https://www.scotiabank.com/ca/en",
     "Scotiabank: your new statement is ready. Sign in at https://scotia-statements.example.com/"),
    ("three_uk", "en", "Hi from Three: your bill is ready to view at https://www.three.co.uk/account",
     "Hi from Three: your bill is ready to view at https://three-bill.example.com/account"),
    ("cibc", "en", "CIBC: your eStatement is available. View it at https://www.cibc.com/en/personal-banking.html",
     "CIBC: your eStatement is available. View it at https://cibc-estatement.example.com/"),
    ("westpac", "en", "Westpac: your new eStatement is ready. Log in at https://bank.westpac.co.nz/one/app.html",
     "Westpac: your new eStatement is ready. Log in at https://westpac-estatement.example.com/one"),
    ("microsoft", "en", "Microsoft account: set up your security info at https://aka.ms/mysecurityinfo",
     "Microsoft account: set up your security info at https://ms-securityinfo.example.com/setup"),
    # A carrier's own short-link domain in its SMS (T-Mobile's t-mo.co).
    ("tmobile", "en", "T-Mobile: your order has shipped. Check its status at https://t-mo.co/shipment",
     "T-Mobile: your order has shipped. Check its status at https://tmo-shipment.example.com/status"),
    ("huntington", "en", "Huntington Bank: your monthly statement is ready at https://www.huntington.com/",
     "Huntington Bank: your monthly statement is ready at https://huntington-statement.example.com/"),
]


@pytest.mark.parametrize(("brand", "lang", "genuine", "elsewhere"), CASES, ids=[c[0] for c in CASES])
def test_the_brands_own_link_is_official(brand: str, lang: str, genuine: str, elsewhere: str) -> None:
    r = report(genuine, lang)
    (url,) = r["entities"]["urls"]
    assert url["official"] is True and url["brand"] == brand, url
    assert brand in {b["id"] for b in r["entities"]["brands"]}
    assert not slugs(genuine, lang) & LINK_FINDINGS, sorted(slugs(genuine, lang))


@pytest.mark.parametrize(("brand", "lang", "genuine", "elsewhere"), CASES, ids=[c[0] for c in CASES])
def test_the_same_notice_with_a_link_elsewhere_is_caught(brand: str, lang: str, genuine: str, elsewhere: str) -> None:
    assert slugs(elsewhere, lang) & LINK_FINDINGS, sorted(slugs(elsewhere, lang))
    (url,) = report(elsewhere, lang)["entities"]["urls"]
    assert url["official"] is False


def test_a_securities_firm_named_inside_its_banks_name_owns_its_own_link() -> None:
    # 「みずほ証券」 also contains the bank's alias 「みずほ」: the firm's own domain must not read as a link
    # elsewhere for the bank, nor the bank's for the firm.
    for text in ("みずほ証券 https://www.mizuho-sc.com/", "みずほ銀行 https://www.mizuhobank.co.jp/"):
        assert not slugs(text, "ja") & LINK_FINDINGS, (text, sorted(slugs(text, "ja")))
