"""Brands added in round 9 (issue 9, "what to build" 5: a company outside the knowledge base gets nothing).

Fixtures are short messages written here in the shape the brands' own warnings describe (a brand name, a
pretext, a link elsewhere); hosts are made up where they are not the point. Each direction is tested: the
claim with a link elsewhere is caught, the brand's own domain passes, and where the name is an ordinary word
or phrase (Best Buy, Adobe, DISH, CVS, Cox, Lowes as in "lowest") running text names no brand while the name
as an e-mail sender still claims the brand. WhatsApp support claims name Meta (the facebook entry): a
WhatsApp chat link (api.whatsapp.com, wa.me) is anyone's, so it must stay a link elsewhere."""

from __future__ import annotations

import pytest

import mikiwame
from mikiwame import engine

LINK_FINDINGS = {"unofficial-domain", "lookalike-domain"}


def slugs(text: str, lang: str = "en") -> set[str]:
    return {f.slug for f in engine.check(text, lang).findings if f.weight}


def named(text: str, lang: str = "en") -> list[str]:
    return [b["id"] for b in mikiwame.check(text, lang).to_dict()["entities"]["brands"]]


def urls(text: str, lang: str = "en") -> list[dict]:
    return mikiwame.check(text, lang).to_dict()["entities"]["urls"]


def mail(sender: str) -> str:
    return (f"From: {sender}\nSubject: Notice\nContent-Type: text/html; charset=utf-8\n\n"
            '<html><body><p><a href="https://example-portal.net/x">Open</a></p></body></html>\n')


# (brand id, language, claim with a link elsewhere, notice with the brand's own link)
CASES = [
    ("bestbuy", "en", "Geek Squad: your membership renewed for $399.99. To cancel visit"
        " https://gs-renewal.example.top/c",
     "Geek Squad: your protection plan details are at https://www.bestbuy.com/site/geek-squad"),
    ("walgreens", "en", "Walgreens: your prescription refill is on hold. Confirm at https://rx-hold.example.top/w",
     "Walgreens: your prescription is ready. Details at https://www.walgreens.com/pharmacy"),
    ("cvs", "en", "CVS Pharmacy: complete our survey for a $100 reward https://cvs-reward.example.top/s",
     "CVS Pharmacy: your order is ready for pickup. See https://www.cvs.com/account"),
    ("kroger", "en", "Kroger: you have unclaimed fuel points. Redeem at https://fuel-points.example.xyz/k",
     "Kroger: your digital coupons are ready at https://www.kroger.com/savings"),
    ("lowes", "en", "Lowe's: congrats, pick your free product today https://lowes-factory.shop/",
     "Lowe's: your order has shipped. Track it at https://www.lowes.com/orders"),
    ("hulu", "en", "Hulu: your payment failed and your subscription is on hold. Update at"
        " https://hulu-pay.example.top/",
     "Hulu: manage your subscription at https://www.hulu.com/account"),
    ("disneyplus", "en", "Disney+: we could not renew your subscription. Update billing https://renew.example.top/d",
     "Disney+: manage your account at https://www.disneyplus.com/account"),
    ("roblox", "en", "Roblox: claim 10,000 free Robux before midnight https://free-robux.example.top/",
     "Roblox: review your account settings at https://www.roblox.com/my/account"),
    ("adobe", "en", "Adobe Document Cloud: a PDF has been shared with you. Sign in to view"
        " https://docs-view.example.top/a",
     "Adobe Document Cloud: your agreement is ready at https://documents.adobe.com/"),
    ("directv", "en", "DIRECTV: upgrade your receiver for half price, pay with gift cards"
        " https://dtv-offer.example.top/",
     "DIRECTV: your bill is ready at https://www.directv.com/myaccount"),
    ("cox", "en", "Cox Communications: your email account will be closed. Verify at https://cox-verify.example.top/",
     "Cox Communications: your statement is ready at https://www.cox.com/residential/myaccount.html"),
    ("dish", "en", "DISH Network: a mandatory software update requires payment https://dish-update.example.top/",
     "DISH Network: view your bill at https://www.dish.com/"),
    ("lyft", "en", "Lyft: you earned a $500 driver bonus. Sign in to activate https://lyft-bonus.example.top/Q2gg",
     "Lyft: your ride receipt is at https://www.lyft.com/rider"),
    ("expedia", "en", "Expedia: your booking needs payment verification within 24 hours https://verify.example.top/e",
     "Expedia: your itinerary is at https://www.expedia.com/trips"),
    ("samsclub", "en", "Sam's Club: your membership expires today, renew for $1 https://member-renew.example.top/",
     "Sam's Club: your membership renews soon, see https://www.samsclub.com/account"),
    ("intuit", "en", "TurboTax: your refund is on hold until you verify your identity"
        " https://refund-hold.example.top/t",
     "TurboTax: sign in to see your return at https://turbotax.intuit.com/"),
    ("macys", "en", "Macy's: you won our monthly giveaway, claim your prize https://monthly-prize.example.top/m",
     "Macy's: your order has shipped. Track it at https://www.macys.com/my-account/orders"),
    ("marriott", "en", "Marriott Bonvoy: your points expire today. Keep them at https://points-keep.example.top/b",
     "Marriott Bonvoy: your reservation is confirmed, see https://www.marriott.com/reservation"),
    ("shein", "en", "SHEIN: claim your free mystery box today https://mystery-box.example.top/s",
     "SHEIN: your order has shipped, track it at https://us.shein.com/user/orders"),
    ("unext", "ja", "【U-NEXT】本日中にキャンセルされなかった場合ご請求が発生します https://unext-cancel.example.top/",
     "U-NEXTのお支払い情報は https://support.unext.jp/payment から更新できます。"),
    ("gmo_aozora", "ja", "GMOあおぞらネット銀行：お取引を規制しました。規制解除はこちら https://kisei-kaijo.example.top/",
     "GMOあおぞらネット銀行のログインは https://bank.gmo-aozora.com/ からお願いします。"),
    ("tokyostar_bank", "ja", "【東京スター銀行】お客さま情報の確認について https://star-kakunin.example.top/",
     "東京スター銀行のセキュリティ情報は https://www.tokyostarbank.co.jp/security/ をご覧ください。"),
    ("aozora_bank", "ja", "【あおぞら銀行】取引サービスが利用停止のお知らせ https://aozora-teishi.example.top/",
     "あおぞら銀行のお知らせは https://www.aozorabank.co.jp/ に掲載しています。"),
    ("shonai_bank", "ja", "【荘内銀行】お客様の口座を一時利用停止しております https://shogin-check.example.top/",
     "荘内銀行の荘銀ダイレクトは https://www.shonai.co.jp/svb/ からご利用ください。"),
    ("fidelity", "en", "Fidelity Investments: confirm your password to keep your account open"
        " https://fid-confirm.example.top/",
     "Fidelity Investments: your statement is ready at https://digital.fidelity.com/ftgw/digital/portfolio"),
    ("klarna", "en", "Klarna: your direct debit mandate expires today, renew now https://mandate-renew.example.top/k",
     "Klarna: your payment is due soon, see https://app.klarna.com/"),
    ("cedyna", "ja", "【セディナ】カードのご利用を一部制限しております https://cedyna-kakunin.example.top/",
     "セディナのご利用明細は https://www.cedyna.co.jp/ からご確認ください。"),
    ("pocketcard", "ja", "ポケットカード利用制限：認証手続きのお願い https://pocket-ninsho.example.top/",
     "ポケットカードの会員専用ネットサービスは https://www.pocketcard.co.jp/ からご利用ください。"),
    ("aplus", "ja", "【アプラス】ご利用確認のお願い https://aplus-riyou.example.top/",
     "アプラスのNETstation*APLUSは https://www.aplus.co.jp/ からログインしてください。"),
    ("fukuoka_bank", "ja", "【福岡銀行】お客様の口座を一時利用停止しております。https://fukugin-kakunin.example.top/",
     "福岡銀行からのお知らせです。https://www.fukuokabank.co.jp/ をご覧ください。"),
    ("tochigi_bank", "ja", "【栃木銀行】取引サービスが利用停止のお知らせ https://tochigin-check.example.top/",
     "栃木銀行のお知らせは https://www.tochigibank.co.jp/ に掲載しています。"),
    ("tokyu_card", "ja", "【東急カード】ご利用確認のお願い https://tokyu-card-check.example.top/",
     "東急カードのご利用明細は https://www.topcard.co.jp/ からご確認ください。"),
    ("jrwest", "ja", "【JR西日本】アカウントを更新しない場合は削除します https://westjr-odakeka.example.top/",
     "JR西日本 e5489のご予約内容は https://e5489.jr-odekake.net/ でご確認ください。"),
    ("qoo10", "ja", "【Qoo10】お支払い方法に問題があります https://qoo10-pay.example.top/",
     "Qoo10のご注文履歴は https://www.qoo10.jp/ からご確認ください。"),
    ("osakagas", "ja", "【大阪ガス】ガス料金が未払いです。本日中にお支払いください https://osaka-gas-pay.example.top/",
     "大阪ガスの料金は https://www.osakagas.co.jp/ のマイページでご確認いただけます。"),
]


@pytest.mark.parametrize(("brand", "lang", "claim", "own"), CASES, ids=[c[0] for c in CASES])
def test_a_claim_with_a_link_elsewhere_is_caught(brand: str, lang: str, claim: str, own: str) -> None:
    assert brand in named(claim, lang)
    (url,) = urls(claim, lang)
    assert url["official"] is False and url["brand"] == brand, url
    assert slugs(claim, lang) & LINK_FINDINGS, sorted(slugs(claim, lang))


@pytest.mark.parametrize(("brand", "lang", "claim", "own"), CASES, ids=[c[0] for c in CASES])
def test_the_brands_own_link_is_official(brand: str, lang: str, claim: str, own: str) -> None:
    (url,) = urls(own, lang)
    assert url["official"] is True and url["brand"] == brand, url
    assert not slugs(own, lang) & LINK_FINDINGS, sorted(slugs(own, lang))


def test_ordinary_words_in_running_text_name_no_brand() -> None:
    text = ("That blender was the best buy of the year; the main dish was lovely. We built an adobe house, "
            "ate a Cox's Orange Pippin, and I will look at the CVS logs. Move to the lowest floor of"
            " a sturdy building. High fidelity audio, an A plus grade.")
    assert named(text) == []


@pytest.mark.parametrize(("sender", "brand"), [
    ("Best Buy <orders@renewal-desk.example.com>", "bestbuy"), ("Adobe <share@docs-example.net>", "adobe"),
    ("DISH <billing@tv-example.top>", "dish"), ("CVS <rewards@survey-example.net>", "cvs"),
    ("Cox <webmail@mail-example.net>", "cox"), ("Lowes <promo@deals-example.top>", "lowes"),
    ("Fidelity <alerts@secure-example.net>", "fidelity"), ("Intuit <billing@invoice-example.top>", "intuit"),
])
def test_the_ordinary_name_as_a_sender_elsewhere_is_a_claim(sender: str, brand: str) -> None:
    assert "display-name-brand" in slugs(mail(sender))


def test_a_whatsapp_support_claim_names_meta_and_a_chat_link_stays_elsewhere() -> None:
    text = "WhatsApp Support: your account will be suspended today. Verify now https://wa-verify.example.top/x"
    assert named(text) == ["facebook"]
    assert slugs(text) & LINK_FINDINGS
    # A chat link on WhatsApp's own domain carries anyone's number: it is not Meta's voice.
    chat = ("WhatsApp Security Team: to keep your account, message us at"
            " https://api.whatsapp.com/send?phone=447700900123")
    (url,) = urls(chat)
    assert url["official"] is False


def test_asking_to_move_to_whatsapp_names_no_brand() -> None:
    assert named("Hi, it's me. Text me on WhatsApp at this new number please") == []
