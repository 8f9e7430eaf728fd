"""A bank's own notice says what it never asks (「当行では…パスワードを入力させることはありません」, "We will never ask
you to enter your password"): the ask is denied, so credential-request does not fire on it (``unless_after`` /
``unless_before`` in rules.toml, rules/patterns.py ``denied``), nor gift-card-payment on "we will never ask you to
pay with gift cards", and neither does the brand's "never does" rule, which
would otherwise read the bank's own statement as the thing it never does. The same words asked are still an ask."""

from __future__ import annotations

import pytest

import mikiwame

ASK_RULES = {"credential-request", "gift-card-payment", "code-share-request", "money-transfer-request"}
NOTICES = [
    ("ja", "【琉球銀行】当行を装ったSMSにご注意ください。当行ではお客様に対して、SMS、電子メールでインターネットバンキングの"
           "ID、パスワードを入力させることはありません。"),
    ("ja", "みずほ銀行では、メールやSMSでお客さまにパスワードを入力いただくことは一切ございません。"),
    ("en", "Bank of Ireland: we will never ask you to enter your password or PIN by text message."),
    ("en", "Never enter your PIN on a site you reached from a text."),
    ("ja", "当社から電子マネーやギフトカードでの支払いを求めることはありません。"),
    ("en", "We will never ask you to pay with gift cards or to move money to a safe account."),
    ("ja", "当社から認証コードを教えてほしいとお願いすることはありません。"),
    ("en", "We will never text you asking you to click a link to verify your account."),
]
ASKS = [
    ("ja", "【琉球銀行】お客様の口座が凍結されました。パスワードを入力してください https://ryugin-kakunin.top"),
    ("ja", "当行ではセキュリティ強化のため、パスワードを入力してください。入力されない場合はご利用を停止します。"),
    ("en", "Bank of Ireland: your card is blocked. Enter your password at https://boi-unlock.top to restore it."),
    ("ja", "コンビニでギフトカードを買ってきて、番号の写真を送ってください"),
    ("en", "I'm in a meeting. I need you to buy Amazon gift cards for a client, can you do it now?"),
    ("ja", "認証コードを教えてください"),
    # a threat, not a refusal: "don't" opens no sentence here
    ("en", "If you don't verify your account within 24 hours it will be closed."),
]


@pytest.mark.parametrize(("lang", "text"), NOTICES)
def test_a_denied_ask_is_no_ask(lang: str, text: str) -> None:
    report = mikiwame.check(text, lang)
    slugs = {f.slug for f in report.findings}
    assert not slugs & {*ASK_RULES, "brand-never-does"}, sorted(slugs)
    assert report.verdict == "clean", report.score


@pytest.mark.parametrize(("lang", "text"), ASKS)
def test_the_same_words_asked_are_an_ask(lang: str, text: str) -> None:
    report = mikiwame.check(text, lang)
    assert {f.slug for f in report.findings} & ASK_RULES
    assert report.verdict != "clean", report.score
