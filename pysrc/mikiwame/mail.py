"""Stage 0 (for e-mails only): read a whole e-mail as a mail filter would, before normalise.

A pasted e-mail source ("show original" in Gmail) or a saved ``.eml`` file is not prose: its ``Received:``
lines name the receiving mailbox's own servers, ``Message-ID`` and ``DKIM-Signature`` are opaque tokens, and
the body may be base64, quoted-printable, ISO-2022-JP or HTML. Read as plain text, those trace headers were
taken for links and the body for gibberish. This stage:

* recognises an e-mail (``looks_like_email``): the text must *start* with an RFC 5322 header block. Any other
  text never reaches the parser and is checked as it always was;
* parses it with the standard library's ``email`` package (``policy.default``): MIME parts, transfer
  encodings, charsets (Japanese ones through the codecs that cover what mailers really send), RFC 2047
  headers, the HTML part's visible text and its links (``html.parser``, script and style dropped);
* builds the text that is checked and shown: a few header lines (From, Reply-To, Return-Path, the topmost
  Authentication-Results, Subject), a blank line, then the body. Each HTML link is shown as
  ``visible text <target>``. Offsets in the report index into this text (``Mail.text``), which the report
  carries, since a base64 or encoded-word source has no span that a reader could see;
* keeps the header facts (``HeaderFact``), the topmost authentication results (``Auth``) and every HTML
  link's (visible text, target) pair (``Anchor``) for the structure rules in ``rules/mail.py``.

Trace headers (``Received``, ``Message-ID``, ``DKIM-Signature``, ``ARC-*``, ``X-*``…) are never shown, so
they are never read as text or links.
"""

from __future__ import annotations

import collections
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from typing import NamedTuple

from .entities import Email, Entities, Span, inside, real_domain, registrable_domain

# Headers seen at the top of real sources; two of them (one a core one) make a header block an e-mail.
_MAIL_FIELDS = frozenset((
    "from", "to", "cc", "bcc", "subject", "date", "sender", "reply-to", "return-path", "received", "message-id",
    "mime-version", "content-type", "content-transfer-encoding", "delivered-to", "x-received", "dkim-signature",
    "authentication-results", "arc-seal", "arc-message-signature", "arc-authentication-results",
    "received-spf", "x-mailer", "in-reply-to", "references", "list-unsubscribe", "x-original-to", "thread-topic",
    "thread-index", "importance", "x-priority", "user-agent", "envelope-to", "x-sender", "x-google-smtp-source",
))
_CORE_FIELDS = frozenset(("from", "subject", "received", "message-id", "date", "return-path", "delivered-to",
                          "mime-version", "dkim-signature"))
_FIELD = re.compile(r"([!-9;-~]{1,76}):")  # a field name: printable ASCII without ":" (RFC 5322 ftext)
_MBOX_FROM = re.compile(r"From \S+")  # an mbox separator line some clients keep at the top
_HEAD_SCAN = 256  # header lines looked at before deciding (real sources have 20–120)

# Codecs that read what Japanese mailers actually send under each label (Windows extensions: ①, ㈱, 髙).
_CHARSET_ALIASES = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "euc-jp": "euc_jis_2004", "x-euc-jp": "euc_jis_2004", "iso-8859-1": "cp1252",
    "latin1": "cp1252", "gb2312": "gb18030", "gbk": "gb18030",
    "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "unicode-1-1-utf-7": "utf-7",
}
# ISO-2022-JP with extensions that strict iso2022_jp refuses, tried in this order.
_ISO2022JP_FALLBACKS = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_3", "iso2022_jp_2004", "iso2022_jp_2")
_RAW_FALLBACKS = ("utf-8", "cp932", "euc_jis_2004", "cp1252")


class HeaderFact(NamedTuple):
    """One address header as shown: ``field`` is "from", "reply-to" or "return-path"."""

    field: str
    line: Span  # the value as shown after "Field: "
    display_name: str
    display: Span | None  # the display name as shown (None when there is none)
    address: str  # lower case, "" when unreadable
    address_span: Span | None
    domain: str  # lower case, "" when unreadable


class Auth(NamedTuple):
    """The topmost Authentication-Results header: the one the receiving server stamped last."""

    line: Span
    dkim: str  # "pass", "fail", "none", … or "" when absent
    spf: str
    dmarc: str
    header_from: str  # header.from= of the dmarc result (lower case)
    dkim_domains: tuple[str, ...]  # header.d= / header.i= of passing dkim results


class Anchor(NamedTuple):
    """An HTML link: what the reader sees and where it goes, both as shown."""

    text: Span  # the visible text (or the target itself when they are the same)
    href: Span  # the target as shown
    target: str  # the href as written in the HTML
    escaped_host: bool = False  # the href's host was written with %-escapes or character references


class Mail(NamedTuple):
    text: str  # what is checked and shown: header lines, a blank line, the body
    body_start: int  # offset of the body in ``text``
    headers: tuple[HeaderFact, ...]
    auth: Auth | None
    anchors: tuple[Anchor, ...]
    fact_lines: tuple[tuple[int, int], ...]  # shown lines read as facts only (Return-Path, authentication)
    subject: Span | None = None  # the subject as shown
    recipients: tuple[str, ...] = ()  # the To addresses (lower case): read, never shown
    from_malformed: bool = False  # the From header is not one well-formed mailbox
    bulk: bool = False  # a mailing list or newsletter (List-Id, List-Unsubscribe, Precedence: bulk/list)
    mailing_list: bool = False  # a List-Id header (RFC 2919) or a list manager's own: a list server redistributed it
    list_post: bool = False  # a List-Post header (RFC 2369): a discussion list that members write to
    html: "HtmlShape | None" = None  # the HTML parts' words and pictures (None: no HTML part)
    unsubscribe_note: bool = False  # the body tells the reader how to stop receiving it (``unsubscribe_note``)
    feed_item: bool = False  # a feed reader's item: the body opens with its link and date (``feed_item``)
    quoted: tuple[tuple[int, int], ...] = ()  # a reply's "> " lines: the earlier message, not the sender's words
    undisclosed: bool = False  # the To header is the empty "undisclosed-recipients:;" group (``undisclosed_to``)
    list_domain: str = ""  # the List-Id's registrable domain (RFC 2919: the list's own namespace), "" if none
    unsubscribe_domains: tuple[str, ...] = ()  # registrable domains of List-Unsubscribe's addresses (``unsubscribe_domains``)
    footer: tuple[tuple[int, int], ...] = ()  # the list server's footer (``list_footer``): not the sender's words
    traced: bool = True  # the source holds a header that mail servers add (``traced``), not only what a mail program shows

    @property
    def not_own(self) -> tuple[tuple[int, int], ...]:
        """Body ranges the sender did not write: a reply's quoted lines and the list server's footer."""
        return self.quoted + self.footer

    def header(self, field: str) -> HeaderFact | None:
        return next((h for h in self.headers if h.field == field), None)

    def claims(self, span: Span) -> bool:
        """Is a brand named at ``span`` one the e-mail claims to come from? Only the sender's name, and the
        subject unless the mail is a newsletter or list (whose subjects are headlines): a company named in
        a newsletter's body or headline ("Microsoft's new Windows") is a topic, not a claim."""
        if self._inside_word(span):
            return False
        sender = self.header("from")
        if sender is not None and sender.display is not None and sender.display.start <= span.start < sender.display.end:
            return not self._topic_in_own_name(sender, span)
        return not self.bulk and self.subject is not None and self.subject.start <= span.start < self.subject.end

    @staticmethod
    def _topic_in_own_name(sender: HeaderFact, span: Span) -> bool:
        """A brand further on in a sender name that first names the sender's own domain ("Lockergnome Apple
        Core" <…@lockergnome.com>): the newsletter's topic, not who it claims to be. A name that starts with
        the brand ("Amazon Security" <…@security-amazon.top>) is a claim whatever its address."""
        lead = sender.display.text[:span.start - sender.display.start]
        stem = registrable_domain(sender.domain).split(".")[0] if sender.domain else ""
        return bool(stem) and any(len(w) >= 4 and w in stem for w in re.findall(r"[a-z0-9]+", lead.lower()))

    def _inside_word(self, span: Span) -> bool:
        """A Latin name that runs on into a longer word ("Interac" in "interaction") names nobody: a sender
        name or subject is a few words, and a claim there is a whole word."""
        end = span.end
        return (end < len(self.text) and span.end > span.start and self.text[end - 1].isascii()
                and self.text[end - 1].isalnum() and self.text[end].isascii() and self.text[end].isalnum())


# --- recognising an e-mail -------------------------------------------------------------------------------

def looks_like_email(text: str) -> bool:
    """True when ``text`` starts with an RFC 5322 header block (optionally after an mbox "From " line).

    Every line up to the first blank line must be a header field or a folded continuation of one; the
    block must name at least two fields that real mail carries, one of them a core one (From, Subject,
    Received, Message-ID, Date…). A message that merely quotes "From: …" in its first line, or any prose,
    fails at its first line that is not a header, so it never reaches the parser.
    """
    start = 1 if text.startswith("\ufeff") else 0
    if _FIELD.match(text, start) is None and not text.startswith("From ", start):
        return False  # the first look, which nearly every message fails at its first characters
    fields: set[str] = set()
    pos = start
    for n in range(_HEAD_SCAN):
        end = text.find("\n", pos)
        line = text[pos:] if end == -1 else text[pos:end]
        line = line.removesuffix("\r")
        if not line.strip():
            break
        if line[0] in " \t":
            if not fields:
                return False  # a continuation before any field
        else:
            m = _FIELD.match(line)
            if m is None:
                if n == 0 and _MBOX_FROM.match(line):
                    pos = end + 1
                    continue
                return False
            fields.add(m.group(1).lower())
        if end == -1:
            break
        pos = end + 1
    known = fields & _MAIL_FIELDS
    return len(known) >= 2 and not known.isdisjoint(_CORE_FIELDS)


def looks_like_email_bytes(data: bytes) -> bool:
    """``looks_like_email`` on the header part of raw bytes (headers are ASCII; 8-bit bytes are kept)."""
    return looks_like_email(data[:65536].decode("latin-1"))


# --- decoding --------------------------------------------------------------------------------------------

def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the charset a part declares, read with the codec mailers really mean by that label; an
    unknown or wrong label falls back to UTF-8, then Shift_JIS (cp932), EUC-JP and cp1252."""
    label = (charset or "").strip().strip('"').lower()
    if label in ("iso-2022-jp", "iso2022jp", "iso-2022-jp-2", "csiso2022jp"):
        candidates: tuple[str, ...] = _ISO2022JP_FALLBACKS
    elif label and label not in ("us-ascii", "ascii"):  # 8-bit text under "us-ascii" is mislabelled
        candidates = (_CHARSET_ALIASES.get(label, label),)
    else:
        candidates = ()
    for codec in (*candidates, *_RAW_FALLBACKS):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _fix_raw(value: str) -> str:
    """A header value with raw 8-bit bytes (surrogate-escaped by the parser) decoded as UTF-8, Shift_JIS…"""
    if not re.search("[\udc80-\udcff]", value):
        return value
    return decode_bytes(value.encode("utf-8", "surrogateescape"), None)


def _header(msg: EmailMessage, name: str) -> str:
    """A header's decoded value ("" when absent or unreadable): RFC 2047 words, raw 8-bit, folding."""
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 - the email package raises odd errors on malformed headers
        # The value as written, unparsed (encoded words left as they are).
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
    if value is None:
        return ""
    return " ".join(_fix_raw(str(value)).split())


def _raw_header(msg: EmailMessage, name: str) -> str:
    """A header's value as written, unfolded (the parsed value drops what it cannot read: in
    ``Name, <a@b>`` the parser keeps only the address, hiding that the header held two mailboxes)."""
    try:
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
    except Exception:  # noqa: BLE001
        value = None
    return " ".join(_fix_raw(str(value)).split()) if value is not None else _header(msg, name)


# --- the HTML part ---------------------------------------------------------------------------------------

_BLOCK = frozenset(("p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                    "blockquote", "pre", "hr", "section", "article", "header", "footer", "center", "dd", "dt",
                    "form"))
_SKIP = frozenset(("script", "style", "head", "title", "noscript", "template", "svg"))
# Elements that never hold text and are never closed: they open no scope of their own for ``_HIDDEN_STYLE``.
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"))
# Open elements followed at most this deep (hostile HTML may never close its tags): past it, the innermost
# ones are not followed, which only blurs what counts as hidden.
_OPEN_MAX = 256
# An inline style that keeps an element's words from being seen: not displayed, not visible, transparent, or
# a font of zero or one pixel/point (Rspamd's ZERO_FONT and MANY_INVISIBLE_PARTS read the same styles).
_HIDDEN_STYLE = re.compile(
    r"(?i)(?:^|[;\s\"'])(?:display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?(?![.0-9])"
    r"|font-size\s*:\s*[01](?:\.0*)?(?:px|pt|em|rem)?(?![.0-9]))")


# A web link's host in the raw tag, up to the first "/", "?", "#" (not a reference's "&#") or the attribute's end.
_RAW_HOST = re.compile(r"""(?i)\bhref\s*=\s*["']?\s*(?:https?:)?//((?:[^/?#&"'\s>]|&(?!#)|&#x?[0-9a-f]+;?)*)""")
# An escape inside it: a %-escape ("%61") or a numeric character reference ("&#159;", "&#x2e;").
_HOST_ESCAPE = re.compile(r"(?i)%([0-9a-f]{2})|&#(x?)([0-9a-f]+);?")


def escaped_host(tag: str) -> bool:
    """Does the raw ``<a …>`` tag write its link's host with %-escapes or character references that hide its
    letters ("http://impacts.%61%66%66…", "http://ð2hCf&#159;MW&#156;…")? Browsers decode them before they
    connect, so the host a reader's filter, blocklist or eye sees is not the one visited (SpamAssassin
    HTTP_ESCAPED_HOST). An escaped dot or hyphen hides no letter: an old shop mailer wrote every dot of its
    links as "&#46;" ("www&#46;buy4now&#46;ie"). Escapes in the path and query are normal."""
    m = _RAW_HOST.search(tag)
    if m is None:
        return False
    return any(_escaped_code(e) not in (0x2E, 0x2D) for e in _HOST_ESCAPE.finditer(m.group(1)))


def _escaped_code(escape: re.Match[str]) -> int:
    """The code point an escape of ``_HOST_ESCAPE`` stands for (-1 for a malformed decimal reference)."""
    percent, hexa, digits = escape.groups()
    if percent:
        return int(percent, 16)
    if hexa:
        return int(digits, 16)
    return int(digits) if digits.isdigit() else -1


class _HtmlText(HTMLParser):
    """Visible text of an HTML part, with each link's visible text and target.

    Output is a list of pieces: plain strings, "\\n" for block breaks, and (text, href, escaped host) tuples
    for links.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str | tuple[str, str, bool]] = []
        self.images = 0  # <img> tags outside script/style/head
        self.letters = 0  # letters and digits of the words, outside script/style/head
        self.hidden = 0  # of them, those inside an element styled invisible (``_HIDDEN_STYLE``)
        self.hidden_run = ""  # the longest run of such words (shown as evidence)
        self._skip = 0
        self._link: tuple[str, list[str], bool] | None = None
        self._open: list[tuple[str, bool]] = []  # open elements: (tag, styled invisible), at most _OPEN_MAX
        self._hiding = 0  # how many of them are styled invisible
        self._names: collections.Counter[str] = collections.Counter()  # how many of each tag are open

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID and len(self._open) < _OPEN_MAX:
            style = next((v for k, v in attrs if k == "style" and v), "")
            hidden = any(k == "hidden" for k, _ in attrs) or bool(_HIDDEN_STYLE.search(style))
            self._open.append((tag, hidden))
            self._hiding += hidden
            self._names[tag] += 1
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK or tag == "td":
            self._text("\n" if tag != "td" else " ")
        if tag == "a":
            self._close_link()
            href = next((v for k, v in attrs if k == "href" and v), "")
            self._link = (href.strip(), [], escaped_host(self.get_starttag_text() or ""))
        if tag == "img" and not self._skip:
            self.images += 1
        if tag == "img" and self._link is not None:
            alt = next((v for k, v in attrs if k == "alt" and v), "")
            if alt:
                self._link[1].append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._names[tag]:  # an end tag closes its element and any left open inside it
            i = max(i for i, (name, _) in enumerate(self._open) if name == tag)
            for name, hidden in self._open[i:]:
                self._hiding -= hidden
                self._names[name] -= 1
            del self._open[i:]
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "a":
            self._close_link()
        elif tag in _BLOCK:
            self._text("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            letters = sum(ch.isalnum() for ch in data)
            self.letters += letters
            if letters and self._hiding:
                self.hidden += letters
                run = " ".join(data.split())
                if self._link is None and len(run) > len(self.hidden_run):
                    self.hidden_run = run
            self._text(data)

    def _text(self, data: str) -> None:
        if self._link is not None:
            self._link[1].append(data)
        else:
            self.pieces.append(data)

    def _close_link(self) -> None:
        if self._link is not None:
            href, parts, escaped = self._link
            self._link = None
            self.pieces.append((" ".join("".join(parts).split()), href, escaped))

    def close(self) -> None:
        super().close()
        self._close_link()


def _parse_html(html: str) -> _HtmlText:
    """The parser after reading ``html``: its pieces and its picture count (never raises)."""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient, but the input is hostile
        parser._close_link()
    return parser


# --- building the shown text -----------------------------------------------------------------------------

class _Writer:
    """Accumulates the shown text, handing out spans of what it wrote."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def write(self, s: str) -> Span:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return Span(start, self.pos, s)

    def text(self) -> str:
        return "".join(self.parts)


def _http_target(href: str) -> str:
    """The href when it is a web link (http, https, or scheme-less "www."), else ""."""
    h = "".join(href.split())
    return h if re.match(r"(?i)https?://|www\.", h) else ""


def _same_shown(text: str, target: str) -> bool:
    """The visible text is the target itself (ignoring scheme, "www." and a trailing slash)."""
    strip = lambda s: re.sub(r"(?i)^(?:https?://)?(?:www\.)?", "", s).rstrip("/")  # noqa: E731
    return strip(text).lower() == strip(target).lower()


def _write_body_text(w: _Writer, text: str) -> None:
    """Plain body text, with runs of blank lines and trailing spaces squeezed."""
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    w.write(re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n")


class HtmlShape(NamedTuple):
    """How much an e-mail's HTML parts show as words and as pictures (SpamAssassin's HTML_IMAGE_ONLY)."""

    images: int  # <img> tags
    text: int  # characters of visible words, link labels included, link targets not
    letters: int = 0  # letters and digits of the words (as ``text``, hidden words included)
    hidden: int = 0  # of ``letters``, those in elements styled invisible (Rspamd ZERO_FONT, MANY_INVISIBLE_PARTS)
    hidden_run: str = ""  # the longest run of hidden words outside links, as written into the shown text

    def __add__(self, other: "HtmlShape") -> "HtmlShape":  # type: ignore[override]
        """Two HTML parts' shapes together (the longer hidden run kept)."""
        return HtmlShape(self.images + other.images, self.text + other.text, self.letters + other.letters,
                         self.hidden + other.hidden, max(self.hidden_run, other.hidden_run, key=len))


def _write_html(w: _Writer, html: str, anchors: list[Anchor]) -> HtmlShape:
    """The HTML part's visible text; each web link as ``text <target>`` (once when the two are the same)."""
    pending_newlines = 0
    started = False
    parsed = _parse_html(html)
    text = 0
    for piece in parsed.pieces:
        visible = piece if isinstance(piece, str) else piece[0]
        text += len(" ".join(visible.split()))
        if isinstance(piece, str):
            if piece == "\n":
                pending_newlines += 1
                continue
            words = " ".join(piece.split())
            if not words:
                continue
            lead = "\n" * min(2, pending_newlines) if started and pending_newlines else (" " if started and piece[:1].isspace() else "")
            w.write(lead + words + (" " if piece[-1:].isspace() else ""))
        else:
            shown, href, escaped = piece
            target = _http_target(href)
            if not shown and not target:
                continue
            lead = "\n" * min(2, pending_newlines) if started and pending_newlines else (" " if started else "")
            w.write(lead)
            if not target:
                w.write(shown)
            elif shown and not _same_shown(shown, target):
                text_span = w.write(shown)
                w.write(" <")
                anchors.append(Anchor(text_span, w.write(target), href, escaped))
                w.write(">")
            else:
                span = w.write(target)
                anchors.append(Anchor(span, span, href, escaped))
            w.write(" ")
        pending_newlines = 0
        started = True
    w.write("\n")
    return HtmlShape(parsed.images, text, parsed.letters, parsed.hidden, parsed.hidden_run)


def _body_parts(msg: EmailMessage) -> list[EmailMessage]:
    """The parts a reader sees: HTML rather than plain text in an alternative, attachments left out,
    forwarded messages read through."""
    ctype = msg.get_content_type()
    if msg.is_multipart():
        parts = [p for p in msg.iter_parts()]
        if ctype == "multipart/alternative":
            for want in ("text/html", "text/plain"):
                chosen = [p for p in parts if p.get_content_type() == want]
                if chosen:
                    return _body_parts(chosen[-1])
            return _body_parts(parts[-1]) if parts else []
        return [q for p in parts for q in _body_parts(p)]
    if ctype == "message/rfc822":
        inner = msg.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        return _body_parts(inner) if isinstance(inner, EmailMessage) else []
    if msg.get_content_maintype() != "text" or msg.get_content_disposition() == "attachment":
        return []
    return [msg]


def _part_text(part: EmailMessage, pasted: bool) -> str:
    """A text part's content: transfer encoding undone, charset decoded (never raises).

    In a pasted source an unencoded (7bit/8bit) part's characters were already decoded by whatever showed
    the source; ``parse_text`` re-encoded them as UTF-8, so UTF-8 is tried before the declared charset.
    """
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if pasted and cte not in ("base64", "quoted-printable") and not payload.isascii():  # 7bit ISO-2022-JP stays
        try:
            return payload.decode("utf-8")
        except UnicodeError:
            pass
    return decode_bytes(payload, part.get_content_charset())


_ANGLE_ADDRESS = re.compile(r"(.*?)<([^<>\s]+@[^<>\s]+)>")
# Any local@domain, even at a domain that cannot exist (the rules judge the domain; "root@ubuntu-s-1vcpu").
_LOOSE_ADDRESS = re.compile(r"[^\s<>\"'@,;:()\[\]]+@[a-z0-9][a-z0-9.-]*", re.IGNORECASE)
# The same in running text, where a sentence's full stop after the address is not part of it.
LOOSE_ADDRESS = re.compile(r"[^\s<>\"'@,;:()\[\]]+@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?", re.IGNORECASE)
_ADDRESS = re.compile(r"[^\s<>\"'@,;:()\[\]]+@[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


def _write_address(w: _Writer, field: str, label: str, value: str) -> HeaderFact:
    """One address header line, ``Label: Display Name <address>``, with its parts' spans."""
    from email.utils import getaddresses

    w.write(f"{label}: ")
    angle = _ANGLE_ADDRESS.fullmatch(value.strip())
    if angle:  # "Name <address>" as written: kept even when the name breaks RFC 5322 (",_", bare dots)
        name, address = angle.group(1).strip(" \t\"',_"), angle.group(2).strip()
    else:
        try:
            name, address = getaddresses([value])[0]
        except Exception:  # noqa: BLE001
            name, address = "", ""
    if not _LOOSE_ADDRESS.fullmatch(address or ""):
        found = _LOOSE_ADDRESS.findall(value)
        address = found[-1] if found else ""
        name = value.replace(address, "").strip(' <>"') if address else value
    name = " ".join(name.split())
    start = w.pos
    display = w.write(name) if name else None
    address_span = None
    if address:
        w.write(" <" if name else "<")
        address_span = w.write(address)
        w.write(">")
    line = Span(start, w.pos, (display.text if display else "") + (f" <{address}>" if address and name else f"<{address}>" if address else ""))
    w.write("\n")
    return HeaderFact(field, line, name, display, address.lower(), address_span,
                      address.rsplit("@", 1)[1].lower().strip(".") if address else "")


_AUTH_RESULT = re.compile(r"\b(dkim|spf|dmarc)\s*=\s*([a-z]+)((?:\s*\([^)]*\))?[^;]*)", re.IGNORECASE)


def _parse_auth(value: str) -> tuple[str, str, str, str, tuple[str, ...]]:
    """(dkim, spf, dmarc, header.from, passing dkim domains) from one Authentication-Results value."""
    results: dict[str, str] = {}
    header_from = ""
    dkim_domains: list[str] = []
    for m in _AUTH_RESULT.finditer(value):
        method, result, props = m.group(1).lower(), m.group(2).lower(), m.group(3)
        if method == "dkim":
            if result == "pass":
                results["dkim"] = "pass"
                d = re.search(r"header\.(?:d|i)\s*=\s*@?([a-z0-9.-]+)", props, re.IGNORECASE)
                if d:
                    dkim_domains.append(d.group(1).lower())
            else:
                results.setdefault("dkim", result)
        else:
            results.setdefault(method, result)
        if method == "dmarc":
            f = re.search(r"header\.from\s*=\s*([a-z0-9.-]+)", props, re.IGNORECASE)
            header_from = f.group(1).lower() if f else header_from
    return results.get("dkim", ""), results.get("spf", ""), results.get("dmarc", ""), header_from, tuple(dkim_domains)


def _write_auth(w: _Writer, value: str) -> Auth:
    dkim, spf, dmarc, header_from, domains = _parse_auth(value)
    w.write("Authentication-Results: ")
    shown = " ".join(f"{k}={v}" for k, v in (("dkim", dkim), ("spf", spf), ("dmarc", dmarc)) if v) or "(none)"
    line = w.write(shown)
    w.write("\n")
    return Auth(line, dkim, spf, dmarc, header_from, domains)


def from_message(msg: EmailMessage, pasted: bool = False) -> Mail:
    """The shown text and facts of a parsed message."""
    w = _Writer()
    headers: list[HeaderFact] = []
    fact_lines: list[tuple[int, int]] = []
    for field, label in (("from", "From"), ("reply-to", "Reply-To"), ("return-path", "Return-Path")):
        value = _header(msg, label)
        if value and not (field == "return-path" and value.strip("<> ") == ""):
            start = w.pos
            headers.append(_write_address(w, field, label, value))
            if field == "return-path":
                fact_lines.append((start, w.pos))
    raw_from = _raw_header(msg, "From")
    auth = None
    try:
        results = msg.get_all("Authentication-Results") or []
    except Exception:  # noqa: BLE001
        results = []
    if results:
        start = w.pos
        auth = _write_auth(w, " ".join(_fix_raw(str(results[0])).split()))
        fact_lines.append((start, w.pos))
    subject = _header(msg, "Subject")
    subject_span = None
    if subject:
        w.write("Subject: ")
        subject_span = w.write(subject)
        w.write("\n")
    w.write("\n")
    body_start = w.pos
    anchors: list[Anchor] = []
    shape = None
    for part in _body_parts(msg):
        content = _part_text(part, pasted)
        if part.get_content_subtype() == "html":
            one = _write_html(w, content, anchors)
            shape = one if shape is None else shape + one
        else:
            _write_body_text(w, content)
    recipients = tuple(a.lower() for a in _LOOSE_ADDRESS.findall(_header(msg, "To")))
    listed = bool(_header(msg, "List-Id")) or list_manager(msg)
    bulk = listed or bool(_header(msg, "List-Unsubscribe")) or _header(msg, "Precedence").lower() in ("bulk", "list")
    text = w.text()
    return Mail(text, body_start, tuple(headers), auth, tuple(anchors), tuple(fact_lines), subject_span,
                recipients, malformed_mailbox(raw_from), bulk, listed, bool(_header(msg, "List-Post")), shape,
                unsubscribe_note(text[body_start:]), feed_item(text[body_start:]),
                quoted_lines(text, body_start, subject), undisclosed_to(_raw_header(msg, "To")),
                list_domain(_header(msg, "List-Id")), unsubscribe_domains(_header(msg, "List-Unsubscribe")),
                list_footer(text, body_start) if listed else (), traced(msg))


# Headers that servers add on the way (RFC 5321 4.4 trace fields, RFC 8601, DKIM, ARC) or that the sending
# server stamps (Message-ID): a source holding one was taken from "show original" or saved as a file. Without
# any, the text is what a mail program shows above a message or a forward ("From: … Sent: … To: … Subject:"),
# copied along with the body.
_TRACE_FIELDS = ("received", "x-received", "authentication-results", "arc-seal", "arc-authentication-results",
                 "dkim-signature", "return-path", "delivered-to", "received-spf", "message-id")


def traced(msg: EmailMessage) -> bool:
    """Does the parsed source hold a trace header (``_TRACE_FIELDS``)?"""
    return any(field in msg for field in _TRACE_FIELDS)


# An address or a web link's host in a List-Unsubscribe header (RFC 2369 3.2: "<mailto:…>, <https://…>").
_UNSUBSCRIBE_TARGET = re.compile(r"(?i)<\s*(?:mailto:[^@<>\s]+@|https?://)([a-z0-9.-]+)")


def unsubscribe_domains(value: str) -> tuple[str, ...]:
    """The registrable domains a List-Unsubscribe header sends the reader to ("<mailto:leave-history-40846@
    ls1.sendoutmail.com>" → ("sendoutmail.com",)): the list server's command address (RFC 2369), where its
    bounces also go when it writes no List-Id (Lyris ListManager, Topica). Those without a real public suffix
    are left out."""
    found = []
    for host in _UNSUBSCRIBE_TARGET.findall(value[:2000]):
        domain = _public_domain(host.strip(".").lower())
        if domain and domain not in found:
            found.append(domain)
    return tuple(found)


def _public_domain(host: str) -> str:
    """``host``'s registrable domain when it ends in a real public suffix, else "" (a forger's "xt.local"); a
    header's host that the suffix list cannot read is "" too: a hostile header must not stop the check."""
    try:
        return registrable_domain(host) if real_domain(host) else ""
    except Exception:  # noqa: BLE001 - see above
        return ""


# A List-Id's identifier: the part in angle brackets after an optional phrase (RFC 2919 2).
_LIST_ID = re.compile(r"<([^<>\s]+)>\s*\Z")


def list_domain(value: str) -> str:
    """The registrable domain of a List-Id header's identifier ("Razor users <razor-users.lists.example.net>"
    → "example.net"): the namespace the list's owner holds, whose list server also receives the bounces.
    "" when there is none or it has no public suffix (a forger's "<R3iTqhuuy.xt.local>")."""
    found = _LIST_ID.search(value)
    ident = (found.group(1) if found else value).strip().strip(".").lower()
    if not ident or "." not in ident or "@" in ident or len(ident) > 253 or re.fullmatch(r"[0-9.:]+", ident):
        return ""
    return _public_domain(ident)


# The empty group mail programs write in To when every recipient is in Bcc (RFC 5322 3.4 group syntax):
# "undisclosed-recipients:;", "Undisclosed recipients:;", with or without quotes.
_UNDISCLOSED = re.compile(r"""(?i)\A\s*["']?undisclosed[- _]recipients["']?\s*:\s*;?\s*\Z""")


def undisclosed_to(value: str) -> bool:
    """Is the To header (as written) only the empty "undisclosed-recipients:;" group: the mail names none of
    the people it went to?"""
    return bool(_UNDISCLOSED.match(value))


# A feed item mailed by a feed reader (rss2email and its kin, 2002 on): the body opens with the item's link and
# its date, each on a line of its own, before the item's text ("URL: http://boingboing.net/#85497407\nDate: …").
_FEED_ITEM = re.compile(r"\A\s*URL: https?://\S+[ \t]*\n(?:Date|Published|Updated): [^\n]{1,80}\n")


def feed_item(body: str) -> bool:
    """Is the body a feed reader's item: its first lines the item's link ("URL: …") and its date ("Date: …")?
    The subject is then the item's headline, written by the weblog or news site, and the links are its
    sources (``rules.mail.headline_subject``, MK073)."""
    return _FEED_ITEM.match(body) is not None


# A reply quotes the message it answers line by line behind "> " (RFC 3676 §4.5), after an attribution line
# ("On … wrote:", "…さんは書きました:", "-----Original Message-----") or under a "Re:" subject.
_QUOTED_LINE = re.compile(r"(?m)^[ \t]*>[^\n]*")
_ORIGINAL_MESSAGE = re.compile(r"^[ \t]*-{2,}\s*original message\s*-{2,}[ \t]*$", re.I | re.M)
_ATTRIBUTION = re.compile(r"\bwrote:[ \t]*$|書きました[:：][ \t]*$|" + _ORIGINAL_MESSAGE.pattern, re.I | re.M)
_REPLY_SUBJECT = re.compile(r"(?i)^\s*(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:")


def quoted_lines(text: str, body_start: int, subject: str) -> tuple[tuple[int, int], ...]:
    """The body's quoted lines (and an Outlook reply's earlier mail, from its "Original Message" line on) when
    the message is a reply (a "Re:" subject or an attribution line) and the sender also wrote lines of their
    own: what a reply quotes is the earlier message, so its words and links are not this sender's asks (a list
    member answering a spam quotes the spam). A body that is all quote says nothing of its own, and is read
    whole."""
    body = text[body_start:]
    if not (_REPLY_SUBJECT.match(subject or "") or _ATTRIBUTION.search(body)):
        return ()
    spans = [(body_start + m.start(), body_start + m.end()) for m in _QUOTED_LINE.finditer(body)]
    # Outlook quotes without marks: everything from its "-----Original Message-----" line on is the earlier mail.
    outlook = _ORIGINAL_MESSAGE.search(body)
    if outlook is not None:
        spans.append((body_start + outlook.start(), len(text)))
    if not spans:
        return ()
    own = _QUOTED_LINE.sub("", body[:outlook.start()] if outlook is not None else body)
    if not re.search(r"\w{3}", _ATTRIBUTION.sub("", own)):
        return ()
    return tuple(spans)


# A mailing list's server appends a footer under a separator line (Mailman's msg_footer: "____ / Razor-users
# mailing list / …/listinfo/razor-users"; ezmlm and Yahoo! Groups: "To unsubscribe from this group…"), often
# with a sponsor's advert in a block of its own above it ("This sf.net email is sponsored by: …", "--- Yahoo!
# Groups Sponsor ---"). A separator is a signature's "-- " or a line that opens with five or more of - _ = * ~.
_SEPARATOR = re.compile(r"^[ \t]*(?:--[ \t]?|[-_=*~]{5,}[^\n]*)$", re.M)
_FOOTER_MARK = re.compile(r"(?i)\bmailing list\b|/listinfo\b|\bunsubscrib|\bsponsor")
_FOOTER_SCAN = 3000  # the body's last characters where a footer is looked for
_FOOTER_BLOCK_LINES = 10  # a footer block's most lines with words (Mailman's and Yahoo!'s have 2 to 5)


def list_footer(text: str, body_start: int) -> tuple[tuple[int, int], ...]:
    """The footer a list server appended to the body (a mail a list redistributed: List-Id or a list manager's
    headers): from the end, the separator-opened blocks whose first two lines name the list, how to leave it
    or a sponsor, up to the first block that does not (a signature that ends the sender's text, its list
    footer a bare listinfo link under it, stays the sender's). The footer is the server's, not the sender's: a
    sponsor's "leading online job board" is no offer of the sender's, its listinfo link no link they sent."""
    scan = max(body_start, len(text) - _FOOTER_SCAN)
    cuts = [m.start() for m in _SEPARATOR.finditer(text, scan)]
    start, end = len(text), len(text)
    for cut in reversed(cuts):
        block = text[cut:end]
        lines = [line for line in block.splitlines() if re.search(r"\w", line)]
        if lines and (len(lines) > _FOOTER_BLOCK_LINES or not _FOOTER_MARK.search("\n".join(lines[:2]))):
            break
        start = end = cut
    return ((start, len(text)),) if start < len(text) else ()


# How a newsletter tells its reader how to stop it: RFC 2369's List-Unsubscribe put in the body, as mail of
# the years before the header was common (and much since) does: "To unsubscribe…", "You are receiving this
# e-mail because you subscribed…", "manage your subscription", "opt out".
_UNSUBSCRIBE_NOTE = re.compile(
    r"(?i)\b(?:unsubscrib\w*|opt[- ]?out|remove yourself|be removed from (?:this|our|the) (?:list|mailing)"
    r"|no longer wish to receive|(?:manage|update|change) your (?:e-?mail |subscription |newsletter )?"
    r"(?:subscriptions?|preferences|settings)|you (?:are receiving|received|have received) this (?:e-?mail|message|newsletter)"
    r"|you (?:are|were) subscribed|subscribed (?:to|as)|this (?:e-?mail|message|newsletter) was sent to)\b")


def unsubscribe_note(body: str) -> bool:
    """Does the body tell the reader how to stop receiving it (an unsubscribe or opt-out instruction, "you are
    receiving this because you subscribed")? The in-body form of List-Unsubscribe (RFC 2369): newsletters
    of 2002 carried it in the text, most still do. Spam writes it too, so it is never a sign in favour alone:
    MK073 also wants links to the sender's own site and no structure finding."""
    return _UNSUBSCRIBE_NOTE.search(body, 0, 200_000) is not None


def list_manager(msg: EmailMessage) -> bool:
    """Did a mailing-list manager redistribute the message without a List-Id (RFC 2919 came late)? Its own
    headers say so, as Rspamd's maillist module and SpamAssassin's MailingList.pm read them: Mailman's
    X-Mailman-Version / X-BeenThere, ezmlm's Mailing-List, and Majordomo's Sender owner-LIST with
    Precedence: bulk or list. A forger gains nothing by them: MK073 still wants a consistent sender and no
    structure finding."""
    if _header(msg, "X-Mailman-Version") or _header(msg, "X-BeenThere") or _header(msg, "Mailing-List"):
        return True
    sender = _header(msg, "Sender").lower()
    return _header(msg, "Precedence").lower() in ("bulk", "list") and bool(re.search(r"(?<![\w.-])owner-[\w.-]+@", sender))


def malformed_mailbox(value: str) -> bool:
    """A From value that is not one well-formed mailbox: no address, an empty ``<>``, an unbalanced quote, an
    unquoted comma in the name (which makes it two mailboxes), or an address no reply can reach
    (``unreachable_address``). (A name written as another address is MK061's.) Mail programs write a single
    mailbox; bulk senders that paste names together do not."""
    if not value:
        return False
    if "<>" in value.replace(" ", "") or "@" not in value:
        return True  # an empty address, or a name with no address at all ("From: Jane Doe")
    name = value.rsplit("<", 1)[0] if "<" in value else ""
    if name.count('"') % 2 or unreachable_address(value):
        return True
    unquoted = re.sub(r'"[^"]*"', "", name)
    return "," in unquoted


# RFC 5321 4.1.2 (Domain): labels of letters, digits and hyphens, joined by dots; an internationalised domain
# (RFC 6531) has other scripts' letters too; or an address literal, "[192.0.2.1]". No "%", "'", "{", "_", ","
# or space.
_HOST_NAME = re.compile(r"(?:[^\W_]|-)+(?:\.(?:[^\W_]|-)+)*\.?|\[[0-9A-Fa-f.:IPv]+\]")
_ANGLE_TAIL = re.compile(r"<([^<>]*)>\s*$")


def unreachable_address(value: str) -> bool:
    """Is the ``<…>`` address of a From value one that no mail can reach: its domain is no host name
    (``aviso@%correios.com``, ``noreply@theskimm,com``, ``team@{nutella.de}``, ``x@'ADAC-myqfw.example.com``),
    or the whole address is one quoted string (``<"info@Booking.com">``: RFC 5322 reads that as a mailbox
    name with no domain at all, which a mail program shows as the brand's address)? No mail program writes
    either; a forger does, so that the reader or a naive filter sees a brand's domain. Only the angle form is
    judged: a bare ``jane@example.com (Jane Doe)`` carries an old-style comment after its address."""
    angle = _ANGLE_TAIL.search(value)
    if angle is None:
        return False
    address = angle.group(1).strip()
    if len(address) > 1 and address[0] == address[-1] == '"':
        return True
    return "@" in address and not _HOST_NAME.fullmatch(address.rsplit("@", 1)[1])


def parse_bytes(data: bytes, pasted: bool = False) -> Mail | None:
    """Parse raw message bytes (a .eml file); None if the email package cannot make sense of them."""
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
        return from_message(msg, pasted)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - hostile input must fall back to reading it as text
        return None


def parse_text(text: str) -> Mail | None:
    """Parse a pasted source. Its characters are already decoded, so they are re-encoded as UTF-8 and the
    header block's raw 8-bit text reads back as UTF-8; MIME parts still declare their own charsets."""
    return parse_bytes(text.lstrip("\ufeff").encode("utf-8", "surrogatepass"), pasted=True)


def shown_entities(ents: Entities, parsed: Mail, limit: int) -> Entities:
    """Entities of an e-mail's shown text without those on fact-only lines (Return-Path, authentication:
    read by the header rules, never as links or text), on a reply's quoted lines (the earlier message's) or in
    a list server's footer, and without sender lines in the header block (the From header is judged with its
    authentication by the mail rules instead)."""
    lines = parsed.fact_lines + parsed.not_own

    def keep(span) -> bool:  # noqa: ANN001
        return not inside(span.start, lines)

    return ents._replace(
        phones=tuple(p for p in ents.phones if keep(p.span)),
        urls=tuple(u for u in ents.urls if keep(u.span)),
        emails=tuple(e for e in ents.emails if keep(e.span)) + _loose_addresses(ents, parsed, limit),
        brands=tuple(b for b in ents.brands if keep(b.span)),
        senders=tuple(s for s in ents.senders if s.start >= parsed.body_start),
    )


def _loose_addresses(ents: Entities, parsed: Mail, limit: int) -> tuple[Email, ...]:
    """Addresses in an e-mail's shown text that the extractor did not read as addresses because their domain
    has no public suffix (``phishing@pot``, ``root@localhost``, a mailbox the provider anonymised). In an
    e-mail, ``local@host`` is a mailbox, not words: "phishing" in the reader's own address is no talk about
    phishing (the warning rules skip words inside addresses). Looked for only around each "@", so a long
    token without one costs nothing. ``limit``: the length of the text analysed (MAX_CHARS at most)."""
    text = parsed.text[:limit]
    taken = [e.span for e in ents.emails]
    found: list[Email] = []
    at = text.find("@")
    while at != -1 and len(found) < 64:
        window = LOOSE_ADDRESS.finditer(text, max(0, at - 64), min(len(text), at + 256))
        m = next((m for m in window if m.start() <= at < m.end()), None)
        if m is not None and not any(s.start <= m.start() < s.end for s in taken):
            domain = m.group().rsplit("@", 1)[1].lower()
            found.append(Email(Span(m.start(), m.end(), m.group()), domain, registrable_domain(domain) or domain))
        at = text.find("@", (m.end() if m is not None else at + 1))
    return tuple(found)
