"""Entities: phone numbers (with their type under the Japanese numbering plan), links and their registrable
domains, e-mail addresses, brand names and company names with a legal form – each with an exact span.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import mikiwame
from corpus_data import LEGIT, SCAM
from mikiwame.entities import (_LEGAL_FORM, _URL, alias_matches, extract, may_have_legal_form, may_have_link,
                               registrable_domain)
from mikiwame.knowledge import load
from mikiwame.normalise import normalise

KB = load()


def _entities(text: str):
    return extract(normalise(text), KB)


def _exact(text: str, span) -> None:
    assert 0 <= span.start < span.end <= len(text)
    assert text[span.start:span.end] == span.text


# --- phones -------------------------------------------------------------------------------------------------

PHONES = [
    # (written, digits, type) – the seed number in every way it has been seen or could be typed
    ("03-4339-2745", "0343392745", "fixed"),
    ("０３－４３３９－２７４５", "0343392745", "fixed"),  # full-width digits and dashes
    ("03ー4339ー2745", "0343392745", "fixed"),  # katakana long-vowel mark used as a dash
    ("03−4339−2745", "0343392745", "fixed"),  # U+2212 minus
    ("(03)4339-2745", "0343392745", "fixed"),
    ("0343392745", "0343392745", "fixed"),
    ("+81 3 4339 2745", "0343392745", "fixed"),
    ("+81-90-1234-5678", "09012345678", "mobile"),
    ("090-1234-5678", "09012345678", "mobile"),
    ("0120-999-373", "0120999373", "freedial"),
    ("0570-000-000", "0570000000", "navidial"),
    ("050-3131-1651", "05031311651", "ip"),
    ("+1 202 555 0100", "+12025550100", "international"),
]


@pytest.mark.parametrize(("written", "digits", "kind"), PHONES, ids=[p[0] for p in PHONES])
def test_phone_number(written: str, digits: str, kind: str) -> None:
    text = f"お問い合わせは{written}まで"
    phones = _entities(text).phones
    assert len(phones) == 1, phones
    phone = phones[0]
    assert phone.number == digits
    assert phone.type == kind
    _exact(text, phone.span)
    # The whole number as written is highlighted: not a part of it, and no unbalanced bracket.
    assert phone.span.text == written


# (text, written, type): in a message with no Japanese script, a domestic number the Japanese plan cannot place,
# or one grouped with spaces as Japan never writes its own, is another country's; hyphenated ones keep their
# Japanese reading, and in Japanese text nothing changes.
READINGS = [
    ("Contact the IT Service Desk on 0118 378 6262.", "0118 378 6262", "foreign"),
    ("Call Citizens Advice on 0808 223 1133 for help", "0808 223 1133", "foreign"),  # a UK freephone, not 080
    ("Please call 0300 123 2040 today", "0300 123 2040", "foreign"),
    ("Call 02071939438 now", "02071939438", "foreign"),  # in no Japanese format at all
    ("Call 050-3131-1651 about your parcel", "050-3131-1651", "ip"),
    ("Call 09012345678 about your parcel", "09012345678", "mobile"),
    ("お問い合わせは090 1234 5678まで", "090 1234 5678", "mobile"),
]


@pytest.mark.parametrize(("text", "written", "kind"), READINGS, ids=[r[0] for r in READINGS])
def test_whose_numbering_plan_a_number_is_read_in(text: str, written: str, kind: str) -> None:
    phones = _entities(text).phones
    assert [(p.span.text, p.type) for p in phones] == [(written, kind)]


def test_phone_in_report_json() -> None:
    text = "アマゾンジャパン(株) (０３－４３３９－２７４５)"
    phones = mikiwame.check(text).to_dict()["entities"]["phones"]
    assert [(p["number"], p["type"], p["known"], p["brand"]) for p in phones] == [
        ("0343392745", "fixed", "scam", "amazon")]
    assert text[phones[0]["start"]:phones[0]["end"]] == "０３－４３３９－２７４５"
    assert phones[0]["source"].startswith("https://")


def test_official_number_is_marked_official() -> None:
    phones = mikiwame.check("Amazon 0120-999-373").to_dict()["entities"]["phones"]
    assert phones[0]["known"] == "official" and phones[0]["brand"] == "amazon"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("注文番号 123-4567890-1234567", id="order-number"),
        pytest.param("2024-11-23 に発送", id="date"),
        pytest.param("郵便番号 100-0001", id="postcode"),
        pytest.param("12345678901234567890", id="long-digit-run"),
        pytest.param("version 1.2.3.4", id="version"),
        pytest.param("FraudAlert 0000000000: Did you use card", id="masked-placeholder"),
        pytest.param("お問い合わせ 000-0000-0000 まで", id="masked-placeholder-ja"),
        pytest.param("call (111) 111-1111", id="masked-placeholder-us"),
        # Digits with no ask to call them, or an ask before something that is not a number to call: not read as
        # an asked-for phone (entities.py _asked_phones).
        pytest.param("Your order 12345678 has shipped", id="order-number-en"),
        pytest.param("please contact us quoting reference 12345678", id="reference-after-the-ask"),
        pytest.param("call about your order 12345678", id="order-after-call"),
        pytest.param("call your account number 12345678", id="account-number-after-call"),
        pytest.param("会員番号12345678にご連絡します", id="member-number-ja"),
        pytest.param("Your card ending 1234 was charged 12,345,678 JPY", id="card-ending-and-amount"),
        pytest.param("call us on 01.12.2024", id="date-after-the-ask"),
        pytest.param("contact us on 20241201", id="compact-date-after-the-ask"),
        pytest.param("Contact us at 1 Main St, Springfield, IL 62704-1234", id="zip-code-in-an-address"),
        pytest.param("call us on 1.000.000.000", id="amount-in-thousands"),
        pytest.param("text STOP to 80010", id="short-code"),
        pytest.param("call 1234567 now", id="seven-digits"),
        pytest.param("call 1234567890123456", id="sixteen-digits"),
        pytest.param("call 00000000", id="placeholder"),
        pytest.param("Your verification code is 12345678", id="code"),
        pytest.param("call ref-12345678", id="inside-a-reference"),
    ],
)
def test_not_a_phone_number(text: str) -> None:
    assert _entities(text).phones == ()


ASKED = [
    # (text, number as written): a digit run in no format the plan scans know, read as a phone from the ask
    # around it (issue 9 §8).
    ("Reply 1 if yes, or call 019640048 if not.", "019640048"),  # a European card-hold text (MK095's example)
    ("Ring us on 1300 123 456 today", "1300 123 456"),  # Australian 13/1300/1800 numbers
    ("call 1800 123 456.", "1800 123 456"),
    ("call our electricity helpline number: 08100551", "08100551"),  # short national form (dev scam)
    ("please contact our customer service centre on 1300 850 115", "1300 850 115"),
    ("お電話は 1234-5678 まで", "1234-5678"),
    ("12345678までお電話ください", "12345678"),
    ("詳しくは9876 54321にご連絡ください", "9876 54321"),
]


@pytest.mark.parametrize(("text", "written"), ASKED, ids=[a[1] for a in ASKED])
def test_a_number_you_are_asked_to_call_is_a_phone(text: str, written: str) -> None:
    phones = _entities(text).phones
    assert [(p.span.text, p.type) for p in phones] == [(written, "asked")]
    assert phones[0].number == "".join(ch for ch in written if ch.isdigit())
    _exact(text, phones[0].span)


def test_an_asked_number_in_the_report_is_shown_as_written() -> None:
    """Its grouping is the country's, which the checker does not know: the report shows it as written rather
    than regrouped as a Japanese number ("130-025-6928")."""
    report = mikiwame.check("Your payment is overdue. To avoid legal action call 1300 256 928 today", "en")
    phones = report.to_dict()["entities"]["phones"]
    assert [(p["text"], p["number"], p["type"], p["known"]) for p in phones] == [
        ("1300 256 928", "1300256928", "asked", "unknown")]
    assert phones[0]["type_label"] == "a number you are asked to call, in a format this checker does not know"
    callback = next(f for f in report.findings if f.slug == "callback-number")
    assert "(1300 256 928, a number you are asked to call" in callback.message


def test_phone_inside_a_link_is_not_a_phone() -> None:
    text = "https://example.com/track/09012345678"
    ents = _entities(text)
    assert ents.phones == () and len(ents.urls) == 1


# --- links --------------------------------------------------------------------------------------------------

URLS = [
    ("amazon.co.jp", "amazon.co.jp", "amazon.co.jp"),
    ("www.example.com/x", "www.example.com", "example.com"),
    ("https://a.b.example.co.jp/p?q=1", "a.b.example.co.jp", "example.co.jp"),
    ("http://example.com:8080/a", "example.com", "example.com"),
    ("https://user@evil.example.net/amazon.co.jp", "evil.example.net", "example.net"),
    ("https://foo.github.io/", "foo.github.io", "foo.github.io"),  # github.io is a public suffix
    ("hxxps://evil[.]top/a", "evil.top", "evil.top"),
    ("163.com", "163.com", "163.com"),  # one numeric label is a real host; "214.768.help" is a phone number
    # A scheme with one slash: browsers and phones still open it, and link filters that want "://" miss it.
    ("https:/pay-fee.example.org/x", "pay-fee.example.org", "example.org"),
    ("http:/192.0.2.15:81/default.aspx", "192.0.2.15", "192.0.2.15"),
    ("ＨＴＴＰＳ：／／ｅｘａｍｐｌｅ．ｃｏｍ／", "example.com", "example.com"),
]


@pytest.mark.parametrize(("written", "host", "domain"), URLS, ids=[u[0] for u in URLS])
def test_url(written: str, host: str, domain: str) -> None:
    text = f"詳細は {written} をご確認ください"
    urls = _entities(text).urls
    assert len(urls) == 1, urls
    url = urls[0]
    assert (url.host, url.registrable_domain) == (host, domain)
    _exact(text, url.span)
    assert url.span.text == written


def test_url_trailing_punctuation_is_not_part_of_the_link() -> None:
    text = "See https://example.com/a. Then (https://example.org/b)"
    urls = _entities(text).urls
    assert [u.span.text for u in urls] == ["https://example.com/a", "https://example.org/b"]


def test_japanese_text_right_after_a_link_is_not_part_of_it() -> None:
    text = "こちら https://example.com/a、ご確認ください"
    assert [u.span.text for u in _entities(text).urls] == ["https://example.com/a"]


@pytest.mark.parametrize("text", ["file.txt を送ります", "e.g. this", "version 1.2 です", "名前.test", "call the IT Help Desk at 214.768.HELP", "St.George Bank customers"])
def test_not_a_link(text: str) -> None:
    assert _entities(text).urls == ()


# A file named in mail about software (issue 12; SpamAssassin easy ham dev list posts): its extension is also a
# country code (.cf, .cc, .ml), and read as a host it was a link on a "suspicious" top-level domain (20 points).
FILE_NAMES = [
    ("Another would be to grep your sendmail.cf for the word Milter.", "sendmail.cf"),
    ('Compile gave error on file "genpkglist.cc". First, it included "rpmlib.h"', "genpkglist.cc"),
    ("genpkglist.cc:586: error: parse error before `;'", "genpkglist.cc"),
    ("+ further comments in ``update.ml'';", "update.ml"),
    ("The required_hits changes I made to sa-mimedefang.cf seem to have worked.", "sa-mimedefang.cf"),
    ("My local.cf contains:", "local.cf"),
]


@pytest.mark.parametrize(("text", "name"), FILE_NAMES, ids=[f[1] for f in FILE_NAMES])
def test_a_file_name_is_not_a_link(text: str, name: str) -> None:
    assert name in text and _entities(text).urls == ()
    assert "suspicious-tld" not in {f.slug for f in mikiwame.check(text, "en").findings}


@pytest.mark.parametrize(("text", "host"), [
    ("See http://sendmail.cf/ for the docs", "sendmail.cf"),  # a scheme: a link, whatever its name
    ("Open www.paypal-help.cc to restore access", "www.paypal-help.cc"),
    ("Verify now: lihi2.cc/aDMot", "lihi2.cc"),  # a path: a link (a shortener's, in an extra dev phishing mail)
    ("Log in at secure.update.ml today", "secure.update.ml"),  # three labels: a host, not a file name
    ("Visit example-shop.top", "example-shop.top"),  # .top is no file extension
])
def test_a_bare_host_on_a_file_extension_is_still_a_link_when_written_as_one(text: str, host: str) -> None:
    urls = _entities(text).urls
    assert [u.host for u in urls] == [host], urls
    assert "suspicious-tld" in {f.slug for f in mikiwame.check(text, "en").findings}


def test_ip_address_link() -> None:
    urls = _entities("http://192.0.2.15/login").urls
    assert len(urls) == 1 and urls[0].is_ip and urls[0].host == "192.0.2.15"


@pytest.mark.parametrize(
    ("written", "ascii_host"),
    [
        ("http://xn--pypal-4ve.com/", "xn--pypal-4ve.com"),
        ("https://\u0430pple.com/", "xn--pple-43d.com"),  # Cyrillic а
    ],
)
def test_punycode_host(written: str, ascii_host: str) -> None:
    text = f"login {written}"
    url = _entities(text).urls[0]
    assert url.punycode is True
    assert url.host == ascii_host
    _exact(text, url.span)
    report = mikiwame.check(text).to_dict()
    assert report["entities"]["urls"][0]["punycode"] is True


def test_registrable_domain() -> None:
    assert registrable_domain("www.amazon.co.jp") == "amazon.co.jp"
    assert registrable_domain("a.b.c.example.com") == "example.com"
    assert registrable_domain("Example.COM.") == "example.com"
    assert registrable_domain("amazon.co.jp.secure-login.top") == "secure-login.top"


# --- e-mail ----------------------------------------------------------------------------------------------

def test_email_address() -> None:
    text = "送信元: info@mail.rakuten-card.co.jp です"
    ents = _entities(text)
    assert len(ents.emails) == 1
    email = ents.emails[0]
    assert (email.domain, email.registrable_domain) == ("mail.rakuten-card.co.jp", "rakuten-card.co.jp")
    _exact(text, email.span)
    assert email.span.text == "info@mail.rakuten-card.co.jp"
    assert ents.urls == (), "the address's domain is not also a link"


def test_email_json_official() -> None:
    d = mikiwame.check("楽天カード info@mail.rakuten-card.co.jp").to_dict()["entities"]["emails"]
    assert d[0]["official"] is True and d[0]["brand"] == "rakuten_card"
    d = mikiwame.check("楽天カード info@rakuten-card-security.top").to_dict()["entities"]["emails"]
    assert d[0]["official"] is False


# --- brands and legal names -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "form", "form_text", "seen"),
    [
        ("アマゾンジャパン(株)より", "株式会社", "(株)", "アマゾンジャパン(株)"),
        ("アマゾンジャパン（株）より", "株式会社", "（株）", "アマゾンジャパン（株）"),
        ("アマゾンジャパン㈱", "株式会社", "㈱", "アマゾンジャパン㈱"),
        ("株式会社アマゾンジャパン", "株式会社", "株式会社", "株式会社アマゾンジャパン"),
        ("アマゾンジャパン合同会社", "合同会社", "合同会社", "アマゾンジャパン合同会社"),
        ("アマゾンジャパン 株式会社", "株式会社", "株式会社", "アマゾンジャパン 株式会社"),
    ],
)
def test_legal_name(text: str, form: str, form_text: str, seen: str) -> None:
    names = [n for n in _entities(text).legal_names if n.brand.id == "amazon"]
    assert names, "no legal name found"
    assert {n.form for n in names} == {form}
    _exact(text, names[0].span)
    assert names[0].span.text == form_text
    assert any(n.seen.text == seen for n in names), [n.seen.text for n in names]
    for n in names:
        _exact(text, n.seen)


def test_legal_form_far_from_the_name_is_not_a_legal_name() -> None:
    assert _entities("アマゾンで買った本を株式会社の同僚に貸した").legal_names == ()


def test_brand_mention_in_text_and_json() -> None:
    text = "【Amazon】お客様のアカウント"
    d = mikiwame.check(text).to_dict()["entities"]["brands"]
    assert [(b["id"], b["text"]) for b in d] == [("amazon", "Amazon")]
    assert text[d[0]["start"]:d[0]["end"]] == "Amazon"


# Latin aliases need a boundary on the left, and short ones (≤ 4 letters) on the right too.
@pytest.mark.parametrize("text", ["jcbx card", "xamazon", "myamazon123", "abcjcb"])
def test_not_a_brand(text: str) -> None:
    assert [m.brand.id for m in _entities(text).brands if m.brand.id in {"amazon", "jcb"}] == []


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"abcdehptwx019.:/-@ 。例", "http", "www.", "xn--"]), max_size=30).map("".join))
@example("www.例え")
@example("http://~")
@example("a.b")
@example("see a.co")
@example("go to x.ae now")
def test_link_prefilter_never_misses(text: str) -> None:
    if "." in text and _URL.search(text):
        assert may_have_link(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"()株式会社合同有限 a", "会社"]), max_size=20).map("".join))
@example("(有)")
@example("(同)")
def test_legal_form_prefilter_never_misses(text: str) -> None:
    if _LEGAL_FORM.search(text):
        assert may_have_legal_form(text)


_ALIASES = sorted(KB.alias_pattern[1])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_ALIASES), st.sampled_from(_ALIASES).map(lambda a: a[1:]),
                          st.text(st.characters(max_codepoint=127), max_size=3)), max_size=12).map("".join))
@example("amazon.co.jp amazon")
@example("xamazonx paypal")
def test_ascii_alias_pattern_finds_what_the_full_one_finds_in_ascii_text(text: str) -> None:
    if text.isascii():
        full = [(m.span(), m.group()) for m in KB.alias_pattern[0].finditer(text)]
        assert [(m.span(), m.group()) for m in KB.ascii_alias_pattern.finditer(text)] == full


_MIXED_TEXT = st.lists(st.one_of(st.sampled_from(_ALIASES), st.sampled_from(_ALIASES).map(lambda a: a[1:]),
                                 st.sampled_from(_ALIASES).map(lambda a: a[:-1]),
                                 st.text(st.sampled_from("aeiost .-/:の確認いしアお株【】"), max_size=3)),
                       max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(_MIXED_TEXT)
@example("amazon.co.jpのアマゾン")
@example("ゆうちょ銀行 yuchobank 佐川急便sagawa")
@example("xアマゾンamazon")
@example("nttドコモからlineヤフー")  # an ASCII-first alias holding another: the other half's match is hidden
@example("三井住友visaカードとくらしtepco")  # and the other way round
def test_alias_matches_are_what_the_full_alias_pattern_finds(text: str) -> None:
    """The merged scan of the two halves (or the ASCII aliases on all-ASCII text) against the one regex."""
    full = [(m.span(), m.group()) for m in KB.alias_pattern[0].finditer(text)]
    assert [(m.span(), m.group()) for m in alias_matches(text, KB)] == full


def test_alias_matches_on_the_corpus() -> None:
    for msg in SCAM + LEGIT:
        norm = normalise(msg["text"])
        for text in (norm.folded.text, norm.skeleton.text):
            full = [(m.span(), m.group()) for m in KB.alias_pattern[0].finditer(text)]
            assert [(m.span(), m.group()) for m in alias_matches(text, KB)] == full


def test_a_host_under_an_institution_domain_imitates_no_brand() -> None:
    """The link card (report) and MK004 ask the same question (``Knowledge.imitated_brand``): a university's
    ``citi.umich.edu`` is its own lab, while ``citi-secure-login.com`` still borrows Citi's name."""
    lab = mikiwame.check("see http://citi.umich.edu/projects/", "en").to_dict()
    assert lab["entities"]["urls"][0]["lookalike"] is None
    assert "lookalike-domain" not in {f["slug"] for f in lab["findings"]}
    fake = mikiwame.check("Citi: verify at http://citi-secure-login.com/", "en").to_dict()
    assert fake["entities"]["urls"][0]["lookalike"] is not None


@pytest.mark.parametrize("text, placeholder", [
    ("オンライン回答はこちら【偽サイトのURL】", "【偽サイトのURL】"),
    ("詳しくは［URL］からご確認ください", "［URL］"),
    # what the link posed as, told in the placeholder
    ("再開の手続きは :(当行ホームページを装ったURL)", "(当行ホームページを装ったURL)"),
    ("Verify your account here: [link removed]", "[link removed]"),
    ("Your parcel is held. {fraudulent link}", "{fraudulent link}"),
    ("DHL: scheduled for delivery TODAY. Track at (fake link).", "(fake link)"),
    # one that says the page left the link out (link probe on dev scams, round 20)
    ("商品発送状況はこちらにてご確認ください。（URL省略）", "（URL省略）"),
    ("決済後ご再開手続きへ。(リンクは削除)", "(リンクは削除)"),
    ("To change your password, browse to (link removed)", "(link removed)"),
    ("Your account is on hold [link hidden]", "[link hidden]"),
])
def test_a_quoting_pages_link_placeholder_is_a_masked_link(text: str, placeholder: str) -> None:
    """The placeholder stands where the link was: a link whose destination is unknown, whose words (its
    偽サイト) are the link's, not a warning marker of the message (rules/patterns.py)."""
    report = mikiwame.check(text)
    urls = report.entities["urls"]
    assert [(u["text"], u["masked"]) for u in urls] == [(placeholder, True)]
    assert "talks-about-scams" not in {f.slug for f in report.findings}


@pytest.mark.parametrize("text", ["<link rel=stylesheet href=a.css>", "{linked accounts}", "links of chain",
                                  "偽サイトへのリンクに注意してください", "(公式ホームページのURL)をご覧ください",
                                  "(see link)", "(link building)", "(url shortener)",
                                  "(リンク集)", "(removed link to the old site)"])
def test_words_about_links_are_no_placeholder(text: str) -> None:
    assert not [u for u in mikiwame.check(text).entities.get("urls", []) if u["masked"]]


def test_placeholder_links_are_the_ones_link_reference_reads() -> None:
    """The placeholders a quoting page puts where a link was (「(偽サイトのURL)」, "[link removed]") are read
    twice: by the extractor as masked links (``entities._PLACEHOLDER_URL``) and by MK024 link-reference as the
    ask. The two copies must not drift apart: each alternative of the extractor's regex is, verbatim, an
    alternative of one of MK024's patterns."""
    from mikiwame import entities
    from mikiwame.knowledge import load, split_alternatives

    spec = next(r for r in load().rules if r.slug == "link-reference")
    rule_alternatives = {part for text in spec.pattern_texts for part, _ in split_alternatives(text)}
    mine = [part for part, _ in split_alternatives(entities._PLACEHOLDER_URL.pattern)]
    assert len(mine) == 4
    for part in mine:
        assert part in rule_alternatives, part


# A copied thread or a screenshot read by Live Text starts with the sender's number on a line of its own: the
# sender, not a number the message gives to call.
@pytest.mark.parametrize("text", ["+81 90-1234-5678\nヤマト運輸です。お荷物をお届けにあがりましたが不在でした。",
                                  "+1 (415) 555-0132\nYour package is on its way.",
                                  "\n 09012345678 \n\nご確認ください"])
def test_a_first_line_that_is_only_a_number_is_the_sender(text: str) -> None:
    entities = extract(normalise(text), load())
    assert not entities.phones
    assert [s.text for s in entities.senders] == [text.strip().split("\n")[0].strip()]
    report = mikiwame.check(text)
    assert "callback-number" not in {f.slug for f in report.findings}


@pytest.mark.parametrize("text", ["03-1234-5678", "未納料金があります。\n03-1234-5678",
                                  "03-1234-5678 までご連絡ください\n本日中", "Call 0800 123 4567\nnow"])
def test_a_number_in_the_message_is_still_a_phone(text: str) -> None:
    entities = extract(normalise(text), load())
    assert entities.phones and not entities.senders


def test_a_sender_reported_in_scams_is_still_named() -> None:
    kb = load()
    number = next(n for n, known in sorted(kb.numbers.items()) if known.status == "scam" and n.startswith("03"))
    text = f"+81 {number[1:2]}-{number[2:6]}-{number[6:]}\nお客様のアカウントを確認してください"
    hit = next(f for f in mikiwame.check(text).findings if f.slug == "known-scam-number")
    assert hit.evidence[0].text == text.split("\n")[0]
