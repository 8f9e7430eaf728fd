"""Stage 2: pull out the things rules reason about – phone numbers, links, e-mail addresses, brand names,
company names with a legal form and sender lines – each with its span in the original text.

Extraction runs on the folded view (see ``normalise``), so ``０３－４３３９－２７４５``, ``03ー4339ー2745`` and
``+81 3 4339 2745`` all become the number ``0343392745``.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import Iterator, NamedTuple

from .knowledge import Brand, Knowledge
from .normalise import _HOMOGLYPH, Normalised, View, ascii_count, safe_text

# Separators seen inside phone numbers once folded: hyphen/dash variants, katakana long vowel, spaces, brackets.
_SEP = r"[-‐‑‒–—―−ー─━ ()]"
# Each branch starts with a literal and checks the character before it with a look-behind placed after
# that literal: Python's re then skips quickly to candidate positions (a leading look-behind disables that).
# The "+81" and "0" openings are two branches, not one group "(?:\+81…|0)…": a regex whose every branch
# starts with a literal lets re jump between "+" and "0" characters (tests/test_speed_paths.py checks the
# matches against the grouped form).
_PHONE = re.compile(
    rf"\+(?<![0-9+]\+)81{_SEP}{{0,2}}(?:\(0\))?(?:[0-9]{_SEP}{{0,2}}){{8,10}}[0-9](?![0-9])"
    rf"|0(?<![0-9+]0)(?:[0-9]{_SEP}{{0,2}}){{8,10}}[0-9](?![0-9])"
    rf"|\+(?<![0-9+]\+)(?!81)[1-9][0-9]{{0,2}}{_SEP}{{0,2}}(?:[0-9]{_SEP}{{0,2}}){{5,12}}[0-9](?![0-9])"
)
# Numbers written the way other countries write them, without a "+" (those are caught above): North American
# "(877) 555-0123", "1-800-555-0123", "877.555.0123"; British "0800 123 4567", "07700 900123"; a bare
# ten-digit Indian mobile "9876543210". Each is only a number the message may ask you to call: "call this
# number" is the ask the rules look for (issue 9 §8). Formats: the North American Numbering Plan
# (NXX-NXX-XXXX), Ofcom's UK numbering (0 + 10 digits) and India's 10-digit mobiles starting 6-9.
# How the regex is written is for speed; what it matches is that of the plain alternation kept in
# tests/test_speed_paths.py (same matches on every corpus message). Python's re jumps ahead in C only to
# characters a regex must start with, which it knows when the regex starts with one character class: so the
# first character is taken by "[(0-9]" and each branch checks it with a look-behind ("(?<=1)"), instead of
# every branch starting with its own "1", "(", "[2-9]", "0" or "[6-9]" (which re tries at every position).
_FOREIGN_PHONE = re.compile(
    r"[(0-9](?:"
    r"(?<=1)[-. ]\((?<![0-9])[2-9][0-9]{2}\) ?[2-9][0-9]{2}[-. ][0-9]{4}(?![0-9])"  # 1-(877) 555-0123
    r"|(?<=\()(?<![0-9])[2-9][0-9]{2}\) ?[2-9][0-9]{2}[-. ][0-9]{4}(?![0-9])"  # (877) 555-0123
    r"|(?<=1)(?<![0-9]1)[-. ][2-9][0-9]{2}[-. ][2-9][0-9]{2}[-. ][0-9]{4}(?![0-9])"  # 1-800-555-0123
    r"|(?<=[2-9])(?<![0-9.\-/][2-9])[0-9]{2}[-.][2-9][0-9]{2}[-.][0-9]{4}(?![0-9])"  # 877.555.0123
    r"|(?<=0)(?<![0-9]0)(?:[1-9][0-9]{3} ?[0-9]{6}|[1-9][0-9]{2} ?[0-9]{3} ?[0-9]{4})(?![0-9])"  # 0800 123 4567
    r"|(?<=[6-9])(?<![0-9][6-9])[0-9]{9}(?![0-9])"  # 9876543210
    r")"
)
# A number the message asks you to call, in a national format neither scan above knows: a European "call
# 019640048 if not", an Australian "ring 1300 123 456", a short or oddly grouped form (issue 9 §8). Digits
# alone cannot tell it from an order number, an amount or a date, so it is read from its context (as a
# Presidio recognizer's context words): a run of 8 to 15 digits (E.164 allows 15; fewer is a short code, a PIN
# or a card's last four) is a phone only when an ask to call, text or contact it stands right before it
# ("call", "ring us on", "contact our customer service centre on", "call our helpline number:", "お電話は"),
# or in Japanese right after it ("…までお電話ください", "…にご連絡"). A run is digits with single separators
# between them, and does not go on from a word, a decimal, a path or an address ("ab12…", "1,234…",
# "/123…"). As in ``_FOREIGN_PHONE`` the regex starts with one character class, so re skips ahead in C.
_ASKED_DIGITS = range(8, 16)
_DIGIT_RUN = re.compile(
    r"[(0-9](?<![0-9A-Za-z+/.,:#@_-][(0-9])(?:[-. ]?\(?[0-9]|\) ?[0-9]){7,}(?![0-9A-Za-z/@_]|[.,][0-9])")
_CALL_VERBS = ("call", "ring", "phone", "dial", "contact", "text", "whatsapp")
# Words that may stand between the verb and the number ("call us now", "call this number").
_CALL_OBJECTS = ("us", "me", "now", "free", "freephone", "today", "back", "immediately", "urgently", "directly",
                 "number", "this number", "the number")
# Or up to four words before "on", "at", "via" or a line's name ("contact our customer service centre on",
# "call our electricity helpline number:"); not before a bare "number", which "call your order number" has.
_ASKED_BEFORE = re.compile(
    rf"(?:\b(?:{'|'.join(_CALL_VERBS)})(?: (?:{'|'.join(_CALL_OBJECTS)}))*"
    r"(?:(?: [a-z0-9-]+){0,4} (?:on|at|via|(?:helpline|hotline|support line)(?: number)?))?"
    r"|(?:お電話|ご連絡先|お問い?合わ?せ先)(?:は)?) ?[:：]? ?$")
_ASKED_AFTER = re.compile(r" ?[)）]? ?(?:まで|に|へ)(?:至急|すぐに|今すぐ|直接)?(?:お|ご)?(?:電話|連絡|問い?合わ?せ)")
# What a digit run with an ask before it still is not: a date ("01.12.2024", "2024-12-01", "20241201") or an
# amount in thousands ("1.000.000.000"); and, before an ask after it, a reference's label ("会員番号12345678に
# ご連絡").
_NOT_A_NUMBER = re.compile(r"\d{4}[-.]\d{1,2}[-.]\d{1,2}|\d{1,2}[-.]\d{1,2}[-.]\d{2,4}|\d{1,3}(?:[.,]\d{3})+"
                           r"|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_REFERENCE_BEFORE = re.compile(r"(?:番号|#|\b(?:no\.?|ref\w*|id|order|case|account|card))\s?[:：]?\s?$")
_ASKED_LABEL = {"ja": "電話をかけるよう求められた、この確認ツールが知らない形式の番号",
                "en": "a number you are asked to call, in a format this checker does not know"}
_FOREIGN_LABEL = {"ja": "海外の形式の電話番号", "en": "number in a non-Japanese format"}
_JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_URL = re.compile(
    r"(?:https?:/{1,2}(?=[a-z0-9\[])|https?://|www\.)[^\s<>\"'「」『』、。，（）()\[\]{}｢｣]+"
    rf"|(?<![@\w.\-/])(?:{_HOST_LABEL}\.)+(?:[a-z]{{2,24}}|xn--[a-z0-9-]{{2,59}})(?![\w@-])(?::[0-9]{{2,5}})?(?:/[^\s<>\"'「」、。()]*)?"
)
_DOT_LETTER = re.compile(r"\.[a-z]")
# A scheme followed by no readable host: "http://~", "https://●●●", "http://(偽サイトへのリンク)" as quoted on
# warning pages that mask the real address. It is still a link, with an unknown destination.
_MASKED_URL = re.compile(r"https?://(?![a-z0-9\[])[^\s<>\"'「」、。]{0,40}")
# A placeholder a quoting page put where the link was, in any bracket (【偽サイトのURL】, ［URL］, (リンク),
# "[link removed]", "{fraudulent link}", "<malicious link>", "(fake link)"), also one that says the page left
# it out (（URL省略）, (リンクは削除), "(link removed)"): a link whose destination is
# unknown, as a masked one's. As a link, the words inside it are the link's and not the message's (a warning marker's 偽サイト).
_PLACEHOLDER_URL = re.compile(
    r"[\(（【\[［〔<＜](?:[^\)）】\]］〕>＞\n]{0,16}?(?:偽|にせ|ニセ|フィッシング|詐欺|を装った|に似せた|になりすました|不審な)(?:の)?"
    r"(?:サイト)?(?:の|へ(?:の)?)?)?(?:リンク|url|アドレス)(?:先)?(?:は)?(?:省略|略|削除|除去|非表示|伏せ字|割愛)?"
    r"[\)）】\]］〕>＞]|[\[\{<](?:web |website |the |a |fraudulent |phishing |malicious |suspicious |scam |fake |"
    r"shortened |short )?(?:link|url)(?: removed| deleted| omitted| redacted| hidden| masked)?[\]\}>]|\((?:fraudulent |phishing |"
    r"malicious |suspicious |scam |fake )(?:link|url)\)|\((?:link|url) (?:removed|deleted|omitted|redacted|hidden|masked)\)")
_EMAIL = re.compile(rf"[a-z0-9._%+-]{{1,64}}@((?:{_HOST_LABEL}\.)+[a-z]{{2,24}})(?![\w-])")
_LEGAL_FORM = re.compile(r"株式会社|\(株\)|合同会社|\(同\)|有限会社|\(有\)")
_LEGAL_FORM_NAMES = {"(株)": "株式会社", "(同)": "合同会社", "(有)": "有限会社"}
# A sender line starts with one of these words: the regex is made from them, and the words are its first
# look (``in``: a multi-line regex anchored at ``^`` is tried at every position of the text).
_SENDER_WORDS = ("from", "差出人", "送信者", "送信元")
_SENDER_LINE = re.compile(rf"^(?:{'|'.join(_SENDER_WORDS)})\s*[:：]\s*(.+)$", re.MULTILINE)
_TRAILING_PUNCT = ".,;:!?'\")]}>…"


class Span(NamedTuple):
    start: int
    end: int
    text: str


# ``Span((start, end, text))`` made in C: a namedtuple's ``__new__`` is a Python function (a frame for every
# span, 3.7 a message) that calls this very ``tuple.__new__`` (tests/test_speed_paths.py).
new_span = functools.partial(tuple.__new__, Span)


class Phone(NamedTuple):
    span: Span
    number: str  # digits, domestic form for Japanese numbers, +CC… for international ones
    type: str
    type_label: dict[str, str]


class Url(NamedTuple):
    span: Span
    host: str
    registrable_domain: str
    tld: str
    is_ip: bool
    punycode: bool
    masked: bool = False  # the address was hidden or unreadable; destination unknown


class Email(NamedTuple):
    span: Span
    domain: str
    registrable_domain: str


class BrandMention(NamedTuple):
    span: Span
    brand: Brand
    alias: str
    obfuscated: bool  # found only in the skeleton view (spaced letters, homoglyphs)


class LegalName(NamedTuple):
    """A legal form (株式会社, (株), 合同会社 …) written right next to a brand's name."""

    span: Span  # the legal form as written
    form: str  # canonical: 株式会社 / 合同会社 / 有限会社
    brand: Brand
    seen: Span  # name + form as written


class Entities(NamedTuple):
    phones: tuple[Phone, ...]
    urls: tuple[Url, ...]
    emails: tuple[Email, ...]
    brands: tuple[BrandMention, ...]
    legal_names: tuple[LegalName, ...]
    senders: tuple[Span, ...]
    sender_phones: tuple[Phone, ...] = ()  # a first line that is only a number (``_sender_phone``): no phone to call


def inside(pos: int, ranges: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> bool:
    """Does offset ``pos`` lie in one of the half-open ``ranges`` (quotations, an e-mail's fact-only or quoted
    lines)?"""
    return any(a <= pos < b for a, b in ranges)


def _span(norm: Normalised, view: View, start: int, end: int) -> Span:
    a, b = (start, end) if view.starts is None else view.span(start, end)  # most views keep every offset
    return new_span((a, b, norm.printable[a:b]))


# --- phone numbers -------------------------------------------------------------------------------------

def classify_phone(digits: str, kb: Knowledge) -> tuple[str, dict[str, str]]:
    """Type of a domestic Japanese number by the numbering plan's prefixes (longest first)."""
    for p in kb.phone_plan:
        if digits.startswith(p.prefix) and len(digits) in p.lengths:
            area = digits[:2] if digits[1] in "36" else digits[:3]
            return p.type, {"ja": p.label_ja.format(area=area), "en": p.label_en.format(area=area)}
    return "other", {"ja": "番号の形が日本の電話番号と合いません", "en": "not a valid Japanese number format"}


def _placeholder(digits: str) -> bool:
    """"0000000000" is a template's or a quoting page's mask, not a number anyone can call."""
    return len(set(digits)) == 1


@functools.cache
def least_digits() -> tuple[int, int, int]:
    """The fewest digits a match of ``_PHONE`` and of ``_FOREIGN_PHONE`` holds (``prefilter.least_count``,
    read from the regexes once), and the fewest an asked-for number holds (``_ASKED_DIGITS``): a message with
    fewer is not scanned for them (most have fewer)."""
    from .prefilter import least_count

    digits = frozenset("0123456789")
    return least_count(_PHONE.pattern, digits), least_count(_FOREIGN_PHONE.pattern, digits), _ASKED_DIGITS.start


def _phones(norm: Normalised, kb: Knowledge) -> list[Phone]:
    """Japanese-plan numbers, then the foreign forms the first scan did not take; a scan runs only when the
    text holds as many digits as its matches need (``least_digits``)."""
    need, need_foreign, need_asked = least_digits()
    digits = ascii_count(norm.folded.text, b"0123456789")
    out = _plan_phones(norm, kb) if digits >= need else []
    out = out + _foreign_phones(norm, out) if digits >= need_foreign else out
    return out + _asked_phones(norm, out) if digits >= need_asked else out


def _plan_phones(norm: Normalised, kb: Knowledge) -> list[Phone]:
    view = norm.folded
    out: list[Phone] = []
    for m in _PHONE.finditer(view.text):
        raw = m.group().rstrip(" (")
        digits = re.sub(r"[^0-9]", "", raw)
        start, end = m.start(), m.start() + len(raw)
        if ")" in raw and "(" not in raw.split(")")[0] and start and view.text[start - 1] == "(":
            start -= 1  # "(03)4339-2745": keep the bracket the area code opened
        if raw.startswith("+81"):
            digits = "0" + digits[2:].lstrip("0")
        elif raw.startswith("+"):
            out.append(Phone(_span(norm, view, start, end), "+" + digits, "international",
                             {"ja": "海外の電話番号", "en": "international number"}))
            continue
        if len(digits) not in (10, 11) or _placeholder(digits):
            continue
        kind, label = classify_phone(digits, kb)
        if kind == "other" or (" " in raw and "-" not in raw and "(" not in raw):
            if _no_japanese_script(view.text):
                kind, label = "foreign", _FOREIGN_LABEL
        out.append(Phone(_span(norm, view, start, end), digits, kind, label))
    return out


def _no_japanese_script(text: str) -> bool:
    """A message with no kana or kanji was not written in Japan's language: a domestic number in it that the
    Japanese plan cannot place ("0300 123 2040"), or that is grouped with spaces as Japan never writes its own
    ("0808 223 1133", a UK freephone, not a Japanese mobile; "0118 378 6262"), is another country's. Hyphenated
    and unseparated numbers keep their Japanese reading: an English text sent in Japan writes "050-1234-5678"."""
    return _JAPANESE_SCRIPT.search(text) is None


def _foreign_phones(norm: Normalised, taken: list[Phone]) -> list[Phone]:
    """Numbers in North American, British or Indian domestic form that the Japanese scan did not take."""
    view = norm.folded
    out: list[Phone] = []
    for m in _FOREIGN_PHONE.finditer(view.text):
        span = _span(norm, view, m.start(), m.end())
        if any(p.span.start <= span.start < p.span.end or span.start <= p.span.start < span.end for p in taken):
            continue
        digits = re.sub(r"[^0-9]", "", m.group())
        if _placeholder(digits):
            continue
        out.append(Phone(span, digits, "foreign", _FOREIGN_LABEL))
    return out


def _asked_phones(norm: Normalised, taken: list[Phone]) -> list[Phone]:
    """Digit runs in no format the scans above know that the text asks you to call (``_DIGIT_RUN``): the
    digits cheaply first (count, placeholder, date or amount shape), then the few words around the run."""
    view = norm.folded
    text = view.text
    out: list[Phone] = []
    for m in _DIGIT_RUN.finditer(text):
        run, start, end = m.group(), m.start(), m.end()
        digits = re.sub(r"[^0-9]", "", run)
        if len(digits) not in _ASKED_DIGITS or _placeholder(digits) or _NOT_A_NUMBER.fullmatch(run):
            continue
        if any(p.span.start < end and start < p.span.end for p in taken) or not _asked(text, start, end):
            continue
        out.append(Phone(_span(norm, view, start, end), digits, "asked", _ASKED_LABEL))
    return out


def _asked(text: str, start: int, end: int) -> bool:
    """Does the text ask for a call to the digit run at ``start:end``: an ask right before it, or a Japanese
    one right after it that no reference's label undoes?"""
    if _ASKED_BEFORE.search(text, max(0, start - 48), start):
        return True
    after = _ASKED_AFTER.match(text, end, end + 16)
    return bool(after) and not _REFERENCE_BEFORE.search(text, max(0, start - 12), start)


# --- links and e-mail --------------------------------------------------------------------------------------

@functools.cache
def _psl():  # noqa: ANN202 - third-party type
    from publicsuffixlist import PublicSuffixList  # imported lazily: parsing the list takes a moment

    # accept_encoded_idn=False halves start-up (no punycode copy of every rule); punycode hosts are
    # decoded before the look-up instead.
    return PublicSuffixList(accept_encoded_idn=False)


def registrable_domain(host: str) -> str:
    """eTLD+1 by the public suffix list (``www.amazon.co.jp`` → ``amazon.co.jp``); the host if unknown."""
    host = host.strip(".").lower()
    if "xn--" in host:
        try:
            unicode_host = host.encode("ascii").decode("idna")
            found = _psl().privatesuffix(unicode_host)
            return found.encode("idna").decode("ascii") if found else host
        except UnicodeError:
            pass
    return _psl().privatesuffix(host) or host


def _known_suffix(host: str) -> bool:
    """True when the host ends in a real public suffix (so "file.txt" or "e.g" are not links)."""
    if "xn--" in host:
        try:
            host = host.encode("ascii").decode("idna")
        except UnicodeError:
            return False
    return _psl().publicsuffix(host, accept_unknown=False) is not None


def real_domain(host: str) -> bool:
    """Does ``host`` end in a real public suffix (so it can exist on the internet)? IPs count as real."""
    facts = _host_facts(host.strip(".").lower())
    return facts.is_ip or facts.known_suffix


def _host_of(url: str) -> str:
    rest = re.sub(r"^https?:/{0,2}", "", url)  # "http:/host" with one slash, as some smishing writes it
    host = re.split(r"[/?#\\]", rest, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1]  # user:pass@host
    return re.sub(r":[0-9]*$", "", host).strip(".")


def _to_ascii(host: str) -> str:
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class _HostFacts(NamedTuple):
    ascii_host: str
    registrable_domain: str
    tld: str
    is_ip: bool
    plausible: bool  # an IP or a real top-level domain (so "file.txt" or "e.g" are not links)
    known_suffix: bool  # ends in a real public suffix


@functools.lru_cache(maxsize=4096)
def _host_facts(host: str) -> _HostFacts:
    """What a host is, looked up once per host (the same few domains recur across a batch, and the IDNA and
    public-suffix look-ups cost more than the rest of the link's handling)."""
    is_ip = _is_ip(host)
    ascii_host = _to_ascii(host)
    tld = ascii_host.rsplit(".", 1)[-1]
    if is_ip:
        return _HostFacts(ascii_host, ascii_host, tld, True, True, False)
    if not re.fullmatch(r"[a-z]{2,24}|xn--[a-z0-9-]+", tld):
        return _HostFacts(ascii_host, "", tld, False, False, False)
    return _HostFacts(ascii_host, registrable_domain(ascii_host), tld, False, True, _known_suffix(ascii_host))


# Abbreviations written before a name with no space ("St.George", "Dr.Who"): .george and .who are top-level
# domains, but a bare two-label "host" made of one of these and a word is a name.
_ABBREVIATIONS = frozenset(("st", "mt", "ft", "mr", "mrs", "ms", "dr", "jr", "sr", "no", "vs"))


def _not_a_host(host: str) -> bool:
    """A bare "host" (no scheme, no www.) that is a vanity phone number, two or more labels of digits before
    the last ("214.768.help"; one numeric label is a real domain: 163.com), or an abbreviation and a name
    ("st.george")."""
    labels = host.split(".")
    if len(labels) == 2:
        return labels[0] in _ABBREVIATIONS
    return all(label.isdigit() for label in labels[:-1])


def _file_name(text: str, host: str, tld: str, kb: Knowledge) -> bool:
    """A bare name that is a file: two labels, the last a file extension that is also a country code
    (domains.toml file_extensions: "sendmail.cf", "genpkglist.cc", "update.ml"), and no path after it. Mail
    about software names its files so ("grep your sendmail.cf"); a link to a site is written with a scheme,
    www. or a path."""
    return tld in kb.file_extensions and host.count(".") == 1 and "/" not in text


def _urls(norm: Normalised, kb: Knowledge) -> list[Url]:
    view = norm.folded
    out: list[Url] = []
    if not may_have_link(view.text):
        return out
    for m in url_matches(view.text):
        text = m.group().rstrip(_TRAILING_PUNCT)
        host = safe_text(_host_of(text))  # a lone surrogate in it (bad input) must not reach the JSON report
        if not host or "." not in host:
            continue
        facts = _host_facts(host)
        if not facts.plausible:
            continue
        if not facts.is_ip and not text.startswith(("http", "www.")) and (
                not facts.known_suffix or _not_a_host(host) or _file_name(text, host, facts.tld, kb)):
            continue  # "file.txt", "e.g": no real top-level domain; "214.768.HELP", "St.George": not a host
        out.append(Url(_span(norm, view, m.start(), m.start() + len(text)), facts.ascii_host, facts.registrable_domain,
                       facts.tld, facts.is_ip, "xn--" in facts.ascii_host or not host.isascii()))
    return out


def may_have_link(text: str) -> bool:
    """A cheap first look for ``_URL``, which ``re`` must try at every position (it starts with a look-behind):
    a link starts with "http" or "www.", or has a dot followed by a letter (its top-level domain). Most prose
    has neither ("." ends sentences), and these tests skip ahead in C. A link also needs a dot to be kept."""
    return "." in text and ("http" in text or "www." in text or _DOT_LETTER.search(text) is not None)


@functools.lru_cache(maxsize=1)
def url_matches(text: str) -> tuple[re.Match[str], ...]:
    """Every match of ``_URL`` in ``text``, searched from ``url_search_start``. The wording model's blanking
    (``learned.blank``) and the link extractor (``_urls``) ask for those of the same folded text one after
    the other: the last text's are kept (one entry), so the scan, about 5 µs where a message may hold a link
    (an eighth of the benchmark's), is made once."""
    return tuple(_URL.finditer(text, url_search_start(text)))


# The characters a host's labels and dots are made of (``_HOST_LABEL``): what ``url_search_start`` steps back over.
_HOST_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-."


def url_search_start(text: str) -> int:
    """The leftmost place where a match of ``_URL`` can start (``len(text)``: nowhere), so that its search
    skips the text before it with the same matches (``re`` still reads that text for the look-behind).

    ``_URL``'s bare-host branch begins with a look-behind, so ``re`` can skip to no first character and
    tries the whole pattern at every position: about 9 µs over a message that passed the first look, done
    twice (the wording model's blanking and the link extractor). Every match starts at "http" or "www.", or
    is a host followed by more: then it holds its top-level domain's dot and letter (the text's first dot
    before a letter a-z, ``_DOT_LETTER``, or a later one), and from its start to that dot there are only
    ``_HOST_CHARS``, so it starts no earlier than the run of them that ends at the text's first such dot.
    Tested against the search from the start (tests/test_speed_paths.py)."""
    starts = [len(text)]
    for literal in ("http", "www."):
        at = text.find(literal)
        if at >= 0:
            starts.append(at)
    dot = _DOT_LETTER.search(text)
    if dot is not None:
        starts.append(len(text[:dot.start()].rstrip(_HOST_CHARS)))
    return min(starts)


def _masked_urls(norm: Normalised, taken: list[Url]) -> list[Url]:
    """Links whose address is hidden: "https://・・・", and a quoting page's placeholder for the link."""
    view = norm.folded
    text = view.text
    out: list[Url] = []
    for pattern, needed in ((_MASKED_URL, "://" in text), (_PLACEHOLDER_URL, _may_have_placeholder(text))):
        if not needed:
            continue
        for m in pattern.finditer(text):
            span = _span(norm, view, m.start(), m.end())
            if not any(u.span.start <= span.start < u.span.end for u in taken):
                out.append(Url(span, "", "", "", False, False, masked=True))
    return out


def _may_have_placeholder(text: str) -> bool:
    """A cheap first look for ``_PLACEHOLDER_URL``: every placeholder names a link, a URL or an address."""
    return "url" in text or "link" in text or "リンク" in text or "アドレス" in text


def _emails(norm: Normalised) -> list[Email]:
    view = norm.folded
    if "@" not in view.text:
        return []
    return [
        Email(_span(norm, view, m.start(), m.end()), m.group(1), registrable_domain(m.group(1)))
        for m in _EMAIL.finditer(view.text)
    ]


# --- brands and company names ------------------------------------------------------------------------------

def _latin_boundary_ok(text: str, start: int, end: int, alias: str) -> bool:
    """Latin aliases must not start inside a word ("xamazon"); short ones must not end inside one ("jcbx")."""
    if alias[0].isascii() and alias[0].isalnum() and start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
        return False
    if alias[-1].isascii() and alias[-1].isalnum() and len(alias) <= 4 and end < len(text):
        nxt = text[end]
        return not (nxt.isascii() and nxt.isalnum())
    return True


def alias_matches(text: str, kb: Knowledge) -> Iterator[re.Match[str]]:
    """What ``kb.alias_pattern[0].finditer(text)`` gives, found faster (tests/test_entities.py).

    All-ASCII text is scanned with the ASCII aliases alone (``Knowledge.ascii_alias_pattern``). Other text
    is scanned with the two halves of ``Knowledge.alias_patterns_by_first``, whose matches are merged as
    ``finditer`` would take them: the leftmost next, then the leftmost from its end on. At any position only
    the half holding the aliases that start with its character can match, and it finds the same longest alias
    there, so the merge is exact; a half's match that the other's overlaps is searched for again from the
    end of that one."""
    if text.isascii():
        yield from kb.ascii_alias_pattern.finditer(text)
        return
    first, other = kb.alias_patterns_by_first
    a, b = first.search(text), other.search(text)
    while a is not None or b is not None:
        m = a if b is None or (a is not None and a.start() < b.start()) else b
        yield m
        end = m.end()
        if a is not None and a.start() < end:
            a = first.search(text, end)
        if b is not None and b.start() < end:
            b = other.search(text, end)


def alias_hits(text: str, present: list[str]) -> list[tuple[int, int, str]]:
    """What ``alias_matches`` finds in ``text``, as (start, end, alias), given ``present``: every alias that
    occurs in ``text`` (``onepass.lookups``). The trie regex takes, from where its last match ended, the
    leftmost place where an alias starts and the longest alias there; any alias that starts somewhere is
    among ``present``, so its occurrences (``str.find``), by start and then longest first, taken where
    each starts at or after the end of the last one taken, are the same matches (tests/test_onepass.py)."""
    if not present:
        return []
    found = []
    for alias in present:
        at = text.find(alias)
        while at >= 0:
            found.append((at, -len(alias), alias))
            at = text.find(alias, at + 1)
    found.sort()
    out: list[tuple[int, int, str]] = []
    end = 0
    for start, minus, alias in found:
        if start >= end:
            end = start - minus
            out.append((start, end, alias))
    return out


def _brands(norm: Normalised, kb: Knowledge, present: list[str] | None = None) -> list[BrandMention]:
    """Brand mentions: each alias found in the folded view, then in the skeleton view (where it differs)
    those the folded one did not have. ``present``: the aliases the folded text holds, where the wording
    model's trigrams told (``onepass.lookups``); then it is not scanned again."""
    owners = kb.alias_owners
    found: list[BrandMention] = []
    for view, obfuscated in ((norm.folded, False), (norm.skeleton, True)):
        text = view.text
        if present is not None and not obfuscated:
            hits = alias_hits(text, present)
        else:
            hits = [(m.start(), m.end(), m.group()) for m in alias_matches(text, kb)]
        for start, end, alias in hits:
            if not _latin_boundary_ok(text, start, end, alias):
                continue
            span = _span(norm, view, start, end)
            if found and any(f.span.start <= span.start < f.span.end for f in found):
                continue
            # the folded view reads a Cyrillic or Greek look-alike in a word as Latin: still a disguise
            disguised = obfuscated or (not span.text.isascii() and _HOMOGLYPH.search(span.text.lower()) is not None)
            found.append(BrandMention(span, owners[alias], alias, disguised))
        if norm.skeleton.text == norm.folded.text:
            break
    return found


def may_have_legal_form(text: str) -> bool:
    """A cheap first look for ``_LEGAL_FORM``, whose scan stops at every "(" of a message: substring tests."""
    return "会社" in text or "(株)" in text or "(同)" in text or "(有)" in text


def _legal_names(norm: Normalised, kb: Knowledge) -> list[LegalName]:
    """A legal form within two characters (spaces, ・) before or after a brand's legal stem or alias."""
    view = norm.folded
    text = view.text
    forms = list(_LEGAL_FORM.finditer(text)) if may_have_legal_form(text) else []
    if not forms:
        return []
    pattern, owners = kb.legal_stem_pattern
    out: list[LegalName] = []
    for sm in pattern.finditer(text):
        for fm in forms:
            after = 0 <= fm.start() - sm.end() <= 2 and not text[sm.end():fm.start()].strip(" ・　")
            before = 0 <= sm.start() - fm.end() <= 2 and not text[fm.end():sm.start()].strip(" ・　")
            if after or before:
                form = _LEGAL_FORM_NAMES.get(fm.group(), fm.group())
                a, b = min(sm.start(), fm.start()), max(sm.end(), fm.end())
                out.append(LegalName(_span(norm, view, fm.start(), fm.end()), form, owners[sm.group()],
                                     _span(norm, view, a, b)))
    return out


def _senders(norm: Normalised) -> list[Span]:
    view = norm.folded
    text = view.text
    if ":" not in text or not any(word in text for word in _SENDER_WORDS):  # full-width ：is folded to ":" too
        return []
    if "\n" not in text and not _SENDER_LINE.match(text):  # one line: it can only start the text
        return []
    return [_span(norm, view, m.start(1), m.end(1)) for m in _SENDER_LINE.finditer(text)]


def _sender_phone(norm: Normalised, phones: list[Phone]) -> Phone | None:
    """The number that is the whole first line, with more text after it: the thread's header (the sender) that a
    copied conversation or a screenshot read by Live Text starts with ("+81 90-1234-5678", "(415) 555-0132"),
    not a number the message gives to call. The phone scan has read it; only where it stands is judged here."""
    first = min(phones, key=lambda p: p.span.start, default=None)
    if first is None:
        return None
    text = norm.original
    line, newline, rest = text[first.span.end:].partition("\n")
    if text[:first.span.start].strip() or line.strip() or not newline or not rest.strip():
        return None
    return first


def extract(norm: Normalised, kb: Knowledge, aliases: list[str] | None = None) -> Entities:
    """Every kind of entity in ``norm``; ``aliases``: the brand aliases its folded text holds, when known
    (``onepass.lookups``)."""
    emails = _emails(norm)
    urls = _urls(norm, kb)
    if emails and urls:  # (each comprehension below is only made where it has something to drop)
        urls = [u for u in urls if not any(e.span.start <= u.span.start < e.span.end for e in emails)]
    urls += _masked_urls(norm, urls)
    phones = _phones(norm, kb)
    senders = _senders(norm)
    if phones and (urls or emails or senders):  # a number inside a link, an address or a sender line is none
        taken = [u.span for u in urls] + [e.span for e in emails] + senders
        phones = [p for p in phones if not any(s.start <= p.span.start < s.end for s in taken)]
    sender_phone = _sender_phone(norm, phones) if phones and "\n" in norm.original else None
    if sender_phone is not None:
        phones = [p for p in phones if p is not sender_phone]
        senders = [sender_phone.span, *senders]
    return Entities(
        phones=tuple(phones),
        urls=tuple(urls),
        emails=tuple(emails),
        brands=tuple(_brands(norm, kb, aliases)),
        legal_names=tuple(_legal_names(norm, kb)),
        senders=tuple(senders),
        sender_phones=(sender_phone,) if sender_phone is not None else (),
    )
