"""Message shape: warnings and broadcasts that quote scams are recognised (and count the quoted wording far
less), scams that pose as warnings are still caught, and non-Japanese phone formats are numbers."""

from __future__ import annotations

import pytest

import mikiwame

REAL_WARNINGS = [
    # Shape of a police crime-alert mail (patnet.jp, Nagoya police): the quoted SMS keeps its masked link.
    "■状況\n4月23日(火)午後4時頃、西区居住の方に「お荷物をお届けにあがりましたが、不在のため持ち帰りました。"
    "ご連絡ください。https://・・・・・・。」等とネット詐欺と思われるショートメールが届いています。\n■対策\n"
    "宅配便の不在通知がメールやSMSで届いたら要注意です。安易にURLや記載の電話に電話をせずに、警察に相談しましょう。\n"
    "■情報配信\n西警察署\n052-531-0110",
    # The issuer's own contact line after "詳しくは" / "for more information" (a fixed line, a plain link): where
    # to find out more, not the scam's ask.
    "宅配業者を装った不審なショートメールが届いています。「お荷物をお届けにあがりましたが不在の為持ち帰りました。」"
    "等と記載されています。URLにはアクセスしないでください。\n詳しくは 03-5555-0123 までお問い合わせください。",
    "Beware of texts pretending to be from the council asking you to pay a fine. For more information call "
    "020 7946 0123.",
    # The same where the issuer names its help line (ご相談・相談窓口・関連情報, "call us", "report … at"), before
    # the line or after it (「…にご相談ください」, "… to find out more").
    "宅配業者を装った不審なSMSが届いています。詐欺にご注意ください。\nご相談は 03-5555-0123 まで。",
    "宅配業者を装った不審なSMSが届いています。詐欺にご注意ください。\n不安な場合は 03-5555-0123 にご相談ください。",
    "宅配業者を装った不審なSMSが届いています。詐欺にご注意ください。\n関連情報 https://www.example-city.jp/bouhan/",
    "Beware of scam texts pretending to be from the council asking you to pay a fine. If in doubt, contact us on "
    "020 7946 0123.",
    "Beware of scam texts pretending to be from the council asking you to pay a fine. Visit "
    "https://www.example-council.org/scams to find out more.",
    # Shape of a bank's notice: it names the scam and sends readers to its own domain only.
    "Scam alert: criminals are sending texts pretending to be from your bank, saying your account is locked and "
    "asking you to verify your details. We will never ask you to click a link to verify your account. "
    "Report suspicious messages at https://www.gov.uk/report-suspicious-emails-websites-phishing",
    # Short warnings whose only frame is reported speech: the scam's words sit in a quotation that 「という
    # SMS」, 「…との電話」 or "texts saying" introduces; its number or link is the quoted scam's.
    "【市からのお知らせ】市内で「未納料金があります。本日中にご連絡ください。03-1234-5678」というSMSが届いています。"
    "ご注意ください。",
    "「お客様の口座が凍結されました。こちらから確認してください」というメールが出回っています。",
    'Residents have reported texts saying "Your package could not be delivered, update your address at '
    'usps-track.info". Delete them.',
]

# A warning reports the scam's ask in the third person (「…させる」, "they ask you to …"): not an ask of its own.
REPORTED_ASK_WARNINGS = [
    "【注意】市役所職員を名乗り、還付金があるとして、スマートフォンにアプリをインストールさせる詐欺が多発しています。"
    "不審な電話に注意してください。",
    "不審なSMSにご注意ください。宅配業者を装い、偽サイトへ誘導してアプリをダウンロードするよう求める手口です。",
    # A consumer centre's case report narrates what the victim did, or quotes what the caller said.
    "宅配業者を装った不在通知に注意。〔事例〕SMSのURLをタップし、アプリをインストールしてしまった。不審な電話にご注意ください。",
    "不審電話にご注意ください。電話番号を教えて。」と言われ、クラス全員の電話番号を教えてしまった。注意喚起をお願いします。",
]
# Advice against the ask ("do not click the link") is not an ask of its own either.
ADVICE_WARNINGS = [
    "Scam alert: fraudsters are sending phishing texts. Do not click the link in such messages. "
    "Report suspicious messages to your bank.",
    "フィッシング詐欺に注意してください。SMSに記載されたリンク(URL)をクリック・タップしない。不審なメールは削除しましょう。",
]
# The same words as the scam's own ask, written to the reader.
OWN_ASK_FAKES = [
    "【注意】還付金があります。詐欺に注意。アプリをインストールしてください。ご相談は警察へ",
    # A phishing mail that cites phishing as its pretext still asks you to click.
    "Due to recent phishing emails received on our servers, all staff must verify their accounts. Beware of "
    "phishing. Please click here to confirm your staff email account or it will be deactivated.",
    "詐欺に注意。不審なSMSが届いています。本人確認のため電話番号を教えてください。",
]

FAKE_WARNINGS = [
    "【警視庁】あなたの口座が犯罪に使われています。詐欺被害の確認のため、至急 03-1234-5678 へご連絡ください。",
    # "For more information" does not make a scam's own line the issuer's: a pretext written to the reader, a
    # number on a mobile line, a link a risk rule flags.
    "お客様の口座で不正なログインを検知しました。フィッシング詐欺にご注意ください。詳しくは 03-5555-0123 までお問い合わせください。",
    "宅配業者を装った詐欺にご注意ください。不審なSMSが届いています。詳しくは http://sagawa-check.top/ をご確認ください。",
    "Fraud alert: your account was used by scammers. Verify your account now at http://secure-bank-verify.top/login",
    # A help-line label does not make a scam's line the issuer's either: a pretext written to the reader.
    "フィッシング詐欺にご注意ください。お客様のアカウントが停止されました。ご相談は 03-5555-0123 まで。",
    # The reported-speech frame with a link of its own outside the quotation.
    "「お客様の口座が凍結されました」というメールが出回っています。ご確認は下記URLから https://mufg-check.top/",
    'Scam texts are circulating. "Your package is held" - to release it visit https://usps-hold.top now',
]


@pytest.mark.parametrize("text", REAL_WARNINGS)
def test_real_warning_is_recognised_and_not_flagged(text: str) -> None:
    report = mikiwame.check(text)
    slugs = {f.slug for f in report.findings}
    assert "warning-about-scams" in slugs, [f.slug for f in report.findings]
    assert report.verdict == "clean", [(f.slug, f.weight) for f in report.findings]


def test_quoted_wording_is_shown_but_counts_a_quarter() -> None:
    report = mikiwame.check(REAL_WARNINGS[0])
    kb = mikiwame.knowledge.load()
    quoted = [f for f in report.findings if f.weight > 0]
    assert quoted, "the quoted scam wording is still shown"
    for f in quoted:
        assert f.weight == round(kb.rule_by_slug[f.slug].effective_weight * kb.discounts["warning-about-scams"])


@pytest.mark.parametrize("text", FAKE_WARNINGS)
def test_scam_posing_as_a_warning_is_still_caught(text: str) -> None:
    report = mikiwame.check(text)
    assert "warning-about-scams" not in {f.slug for f in report.findings}
    assert report.verdict != "clean", [(f.slug, f.weight) for f in report.findings]


def test_for_more_information_does_not_make_a_mobile_line_the_issuers() -> None:
    """No office gives a mobile or IP line as its contact: after 「詳しくは」 (or a help-line label) it is still an
    ask of its own, so the warning's discount does not apply (with the fixed line it does: REAL_WARNINGS)."""
    text = "宅配業者を装った不審なSMSが届いています。詐欺にご注意ください。詳しくは {} までお問い合わせください。"
    assert "warning-about-scams" in {f.slug for f in mikiwame.check(text.format("03-5555-0123")).findings}
    for line in ("090-1234-5678", "050-1234-5678"):
        assert "warning-about-scams" not in {f.slug for f in mikiwame.check(text.format(line)).findings}
    # Nor after a help-line label (「ご相談は」, "report … at"): a mobile line, or a link a risk rule flags.
    label = "宅配業者を装った不審なSMSが届いています。詐欺にご注意ください。\nご相談は {} まで。"
    assert "warning-about-scams" in {f.slug for f in mikiwame.check(label.format("03-5555-0123")).findings}
    assert "warning-about-scams" not in {f.slug for f in mikiwame.check(label.format("090-1234-5678")).findings}
    report = "Beware of scam texts. Report scam texts at {}"
    assert "warning-about-scams" in {
        f.slug for f in mikiwame.check(report.format("https://www.example-advice.org.uk/scams"), "en").findings}
    assert "warning-about-scams" not in {
        f.slug for f in mikiwame.check(report.format("http://bit.ly/3xScam"), "en").findings}
    # Not introduced as where to find out more, the same line is the message's own ask.
    plain = "Beware of texts pretending to be from the council asking you to pay a fine. Call 020 7946 0123 now."
    assert "warning-about-scams" not in {f.slug for f in mikiwame.check(plain, "en").findings}


@pytest.mark.parametrize("text", REPORTED_ASK_WARNINGS)
def test_an_ask_the_warning_reports_is_not_its_own(text: str) -> None:
    report = mikiwame.check(text)
    slugs = {f.slug for f in report.findings}
    assert slugs & {"app-install-request", "reply-request"} and "warning-about-scams" in slugs, sorted(slugs)
    assert report.verdict == "clean", [(f.slug, f.weight) for f in report.findings]


@pytest.mark.parametrize("text", OWN_ASK_FAKES)
def test_an_ask_written_to_the_reader_still_counts(text: str) -> None:
    """Not discounted as a warning: every finding counts its full weight, and the message is flagged. (How far
    past the flag line it goes depends on the wording model, retrained as the corpus grows.)"""
    report = mikiwame.check(text)
    kb = mikiwame.knowledge.load()
    assert "warning-about-scams" not in {f.slug for f in report.findings}
    assert all(f.weight == kb.rule_by_slug[f.slug].effective_weight for f in report.findings if f.weight > 0), \
        [(f.slug, f.weight) for f in report.findings]
    assert report.verdict != "clean", [(f.slug, f.weight) for f in report.findings]


def test_public_broadcast_both_ways() -> None:
    real = mikiwame.check("【警戒レベル4】市内全域に避難指示を発令しました。直ちに安全な場所へ避難してください。"
                          "菊川市危機管理課 0537-35-0923")
    assert "public-broadcast" in {f.slug for f in real.findings} and real.verdict == "clean"
    fake = mikiwame.check("【警戒レベル4】避難指示。避難所の登録は至急こちらから http://hinan-touroku.top/ "
                          "本人確認のためカード番号を入力してください")
    assert "public-broadcast" not in {f.slug for f in fake.findings} and fake.verdict != "clean"


@pytest.mark.parametrize(("text", "digits"), [
    ("Call us at (877) 555-0123 now", "8775550123"),
    ("please call 1-800-555-0123 today", "18005550123"),
    ("Call 9876543210 to update KYC", "9876543210"),
])
def test_non_japanese_numbers_are_numbers(text: str, digits: str) -> None:
    phones = mikiwame.check(text, "en").to_dict()["entities"]["phones"]
    assert [p["number"] for p in phones] == [digits]


@pytest.mark.parametrize("text", ["version 2.3.4 released", "order 2024-123-4567", "ID 12345678901234"])
def test_other_digit_runs_are_not_numbers(text: str) -> None:
    assert mikiwame.check(text, "en").to_dict()["entities"]["phones"] == []


def test_pretext_and_unverifiable_ask_without_a_brand_is_flagged() -> None:
    # Shape from dev: a pretext (locked account) and an ask (a link off every known domain), no brand named.
    report = mikiwame.check("Your account has been temporarily suspended due to unusual activity. "
                            "Restore access here: http://acct-restore-help.com/a", "en")
    assert report.verdict != "clean", [(f.slug, f.weight) for f in report.findings]


@pytest.mark.parametrize("text", [
    "Use 482913 to verify your account. Never share this code.",
    "[セキュリティコード]999999\n[有効期限]09/05 22:00\n[ログイン先] ドコモメール(ブラウザ版)",
    "Your Apple ID code is: 123456. Do not share it with anyone.",
])
def test_a_one_time_code_notice_is_not_flagged(text: str) -> None:
    report = mikiwame.check(text)
    assert "one-time-code-notice" in {f.slug for f in report.findings}
    assert report.verdict == "clean", [(f.slug, f.weight) for f in report.findings]


def test_a_code_with_a_number_to_call_is_still_flagged() -> None:
    report = mikiwame.check("BARCLAYS: Your OTP code is 215921 for a payment of £800.55 to WAITROSE. "
                            "If you do NOT recognise this please contact us on 02071939438.")
    assert "one-time-code-notice" not in {f.slug for f in report.findings}
    assert report.verdict == "scam"


@pytest.mark.parametrize("text", ADVICE_WARNINGS)
def test_advice_against_the_ask_is_not_an_ask(text: str) -> None:
    report = mikiwame.check(text)
    slugs = {f.slug for f in report.findings}
    assert "link-reference" in slugs and "warning-about-scams" in slugs, sorted(slugs)
    assert report.verdict == "clean", [(f.slug, f.weight) for f in report.findings]


def test_in_a_long_text_a_number_is_a_call_back_number_only_near_its_cue() -> None:
    story = "The court order in the lawsuit against the publisher was lifted on Friday. " + "Other news. " * 150
    footer = "\nEditorial office: +44 20 7499 2264"
    far = mikiwame.check(story + footer, "en")
    assert "legal-threat" in {f.slug for f in far.findings}
    assert "callback-number" not in {f.slug for f in far.findings}
    near = mikiwame.check("Other news. " * 150 + "\nA lawsuit will be filed today unless you call +44 20 7499 2264", "en")
    assert "callback-number" in {f.slug for f in near.findings}


# A card or bank notice whose only ask is a channel the reader already has (MK100/MK101), or whose every link
# is on the named brand's own domain (MK102), and the same notice with a channel of the sender's own or a
# threat: the pretext is the same, only the ask's verifiability differs.
VERIFIABLE_NOTICES = [
    ("【楽天銀行】ログインがありました。ご本人によるログインでない場合は、楽天銀行アプリからパスワードを変更してください。",
     "verifiable-ask-only"),
    ("Your Wells Fargo card ending in 1234 was used for $58.20 at SHELL. If this wasn't you, call the number on "
     "the back of your card.", "verifiable-ask-only"),
    ("[PayPay]本人確認情報の更新をお願いします。変更がない場合も手続きが必要です。申請方法はこちら https://paypay.ne.jp/guide/ekyc/",
     "official-link-only"),
]


@pytest.mark.parametrize(("text", "slug"), VERIFIABLE_NOTICES)
def test_a_notice_whose_ask_you_can_verify_is_not_flagged(text: str, slug: str) -> None:
    report = mikiwame.check(text)
    assert slug in {f.slug for f in report.findings}
    assert report.verdict == "clean", [(f.slug, f.weight) for f in report.findings]


@pytest.mark.parametrize("swap", [
    ("楽天銀行アプリから", "こちら https://rakuten-bk-login.top から"),
    ("call the number on the back of your card", "call us now on 1-888-555-0142"),
    ("https://paypay.ne.jp/guide/ekyc/", "https://paypay-ekyc.top/guide/"),
    ("変更がない場合も手続きが必要です。", "本日中に手続きがない場合はアカウントを停止します。"),
])
def test_the_same_notice_with_a_channel_of_its_own_or_a_threat_is_flagged(swap: tuple[str, str]) -> None:
    text, slug = next((t, s) for t, s in VERIFIABLE_NOTICES if swap[0] in t)
    report = mikiwame.check(text.replace(*swap))
    assert slug not in {f.slug for f in report.findings}
    assert report.verdict != "clean", [(f.slug, f.weight) for f in report.findings]


def test_a_courier_delivery_notice_breaks_its_never_does_only_with_a_link() -> None:
    """Couriers say they never text missed-delivery notices; a plain "will arrive" notice is what they do
    send, so it contradicts their statement only when it carries a link."""
    plain = "【ヤマト運輸】12月1日にお荷物をお届けします。お届け予定時間の変更はクロネコメンバーズから。"
    linked = plain.replace("クロネコメンバーズから。", "こちらから https://yamato-hd.top/a")
    missed = "【ヤマト運輸】お荷物のお届けにあがりましたが不在の為持ち帰りました。"
    assert "brand-never-does" not in {f.slug for f in mikiwame.check(plain).findings}
    assert "brand-never-does" in {f.slug for f in mikiwame.check(linked).findings}
    assert "brand-never-does" in {f.slug for f in mikiwame.check(missed).findings}


def test_a_phishing_mail_showing_official_links_keeps_its_header_findings_in_full() -> None:
    """MK102 discounts phrases only: a forged sender and a free-mail Reply-To still count in full."""
    source = ("From: PayPal <service@mail-notify-centre.com>\r\nReply-To: paypal.help.desk@gmail.com\r\n"
              "To: you@example.com\r\nSubject: Unusual sign-in activity\r\nMIME-Version: 1.0\r\n"
              "Content-Type: text/plain; charset=utf-8\r\n\r\nWe noticed unusual sign-in activity on your PayPal "
              "account. Review it at https://www.paypal.com/signin\r\n")
    report = mikiwame.check(source, "en")
    slugs = {f.slug for f in report.findings}
    assert "official-link-only" in slugs and "freemail-reply-to" in slugs
    assert report.verdict != "clean", [(f.slug, f.weight) for f in report.findings]


def test_call_this_number_is_an_ask_with_a_pretext_and_weak_without_one() -> None:
    """MK103: "call <number>" completes a pretext-plus-ask; a shop's order line alone stays clean."""
    lure = mikiwame.check("Your number has been awarded a bonus prize. Please call 0871918154 now.", "en")
    assert {"call-this-number", "pretext-with-ask"} <= {f.slug for f in lure.findings}
    assert lure.verdict != "clean"
    order = mikiwame.check("To order the new edition visit our shop or call 1-800-998-9938.", "en")
    assert "call-this-number" in {f.slug for f in order.findings}
    assert "callback-number" not in {f.slug for f in order.findings}
    rules_only = sum(f.weight for f in order.findings if f.category != "wording")
    assert rules_only < order.thresholds["suspicious"], [(f.slug, f.weight) for f in order.findings]


def test_a_charge_you_did_not_make_beside_a_number_is_call_back_phishing() -> None:
    """A fake order or renewal with "call to cancel" (the call-back phishing shape): charge-notice is a call
    cue, so the number is a call-back number; pointing to the card's own number instead is not."""
    fake = mikiwame.check("Your recent order #44-2910 for $899 has been placed. If you did not make this "
                          "purchase, call 1 (833) 555-0147 to cancel.", "en")
    assert {"charge-notice", "callback-number"} <= {f.slug for f in fake.findings}
    assert fake.verdict == "scam", [(f.slug, f.weight) for f in fake.findings]
    own = mikiwame.check("Your recent order #44-2910 for $899 has been placed. If you did not make this "
                         "purchase, call the number on the back of your card.", "en")
    assert "callback-number" not in {f.slug for f in own.findings}
    assert own.verdict != "scam", [(f.slug, f.weight) for f in own.findings]


# A campus IT warning (shape of university security tips): its help desk's number sits beside the
# university's own .edu address, so it is the warning's contact line; beside a free-mail address it is not.
CAMPUS_WARNING = ("IT security tip: this is called an MFA fatigue attack. This type of attack happens when a criminal "
                  "already knows your password. Immediately change your password and notify the IT Security Operations "
                  "Center ({address} or 801-587-1925).")


def test_a_campus_warning_with_its_own_help_desk_is_recognised() -> None:
    report = mikiwame.check(CAMPUS_WARNING.format(address="soc@example.edu"), "en")
    assert "warning-about-scams" in {f.slug for f in report.findings}
    assert report.verdict == "clean", report.score


def test_the_same_number_beside_a_free_mail_address_is_still_its_own_ask() -> None:
    report = mikiwame.check(CAMPUS_WARNING.format(address="soc.helpdesk@gmail.com"), "en")
    assert "warning-about-scams" not in {f.slug for f in report.findings}
    assert report.verdict != "clean", report.score


@pytest.mark.parametrize("text", [
    "Emergency Alert: an evacuation order is in effect for Zone 3. Leave now for the nearest shelter. "
    "Shelter locations: [link removed]",
    "【警戒レベル4】市内全域に避難指示を発令しました。直ちに安全な場所へ避難してください。避難所一覧（URL省略）",
])
def test_a_quoting_pages_placeholder_is_no_ask_of_the_broadcast(text: str) -> None:
    """The page that quoted the broadcast removed its link: a masked link is nobody's own ask (``own_asks``
    passes masked links over), and MK024's reading of the same placeholder is the masked link itself.
    Link probe on dev genuine messages (round 20): 5 English broadcasts and notices with their link replaced
    by "[link removed]" went from clean to flagged through it."""
    report = mikiwame.check(text)
    assert "public-broadcast" in {f.slug for f in report.findings}
    assert report.verdict == "clean", [(f.slug, f.weight) for f in report.findings]


def test_a_placeholder_is_still_the_ask_of_a_pretext() -> None:
    report = mikiwame.check("Your account has been suspended due to unusual activity. Restore access: "
                            "[link removed]", "en")
    assert {"link-with-pretext", "link-reference"} <= {f.slug for f in report.findings}
    assert report.verdict != "clean"
