"""E-mail structure rules: what the headers and the HTML say, read as a mail filter reads them.

They run only on an e-mail (``ctx.mail``, see ``mail.py``) and follow classic filter rules:

MK060 display-name-brand      – the From display name names a brand; the address is not on its domains
                                (Rspamd SPOOF_DISPLAY_NAME / FROM_NEQ_DISPLAY_NAME).
MK061 display-name-address    – the display name is itself an address at another domain
                                ("service@paypal.com" <x@evil.example>; Rspamd SPOOF_DISPLAY_NAME).
MK062 freemail-reply-to       – replies go to a free-mail address the From address is not at
                                (SpamAssassin FREEMAIL_FORGED_REPLYTO).
MK063 brand-reply-elsewhere   – a brand's message whose Reply-To is at another registrable domain, or whose
                                Reply-To / Return-Path is a free-mail address (Rspamd SPOOF_REPLYTO).
MK064 link-text-brand-mismatch – a link shows a brand's site (or URL) but goes elsewhere (Rspamd PHISHING).
MK065 link-text-host-mismatch – a link shows one host but goes to another registrable domain, and is no
                                tracking redirect carrying the shown host (Rspamd PHISHING, SpamAssassin
                                HTTPS_HTTP_MISMATCH's family).
MK066 sender-auth-failed      – the topmost Authentication-Results says DMARC failed for the From domain.
MK074 sender-on-free-hosting  – the From address is on a free hosting/app platform (MK008's list).
MK084 sent-through-tenant-domain – the From or Return-Path address is on a Microsoft 365 tenant's default
                                domain (onmicrosoft.com), which Microsoft throttles for spammers' throwaway
                                tenants (MK074's idea for mail platforms), or only such a domain signed the
                                mail (DKIM) and DMARC did not pass for the From domain.
MK075 all-links-shortened     – every web link goes through a public URL shortener (SpamAssassin HAS_SHORT_URL).
MK076 hidden-links-elsewhere  – every link hidden behind words goes to one (or two) other sites than the sender's,
                                and no List-Unsubscribe (Gmail/Yahoo sender rules; Rspamd PHISHING's family).
MK077 sender-name-unrelated   – beside MK076, MK075, MK079, MK072, MK078, MK070 or MK087, the sender's name shares
                                no word with its address.
MK078 bulk-sender-without-dmarc – a newsletter (List-Unsubscribe, List-Id) whose From domain has no DMARC
                                pass in the topmost Authentication-Results (Gmail's and Yahoo's bulk sender
                                requirements since 2024); such a mail loses MK076's bulk exemption.
MK079 image-only-html         – the HTML shows pictures and almost no words (under 400 characters), and links
                                out (SpamAssassin HTML_IMAGE_ONLY, HTML_SHORT_LINK_IMG): its message is in
                                pictures that no filter or reader can check as text, in any language.
MK080 reply-to-other-freemail – From and Reply-To are different personal boxes at one free-mail provider
                                (SpamAssassin FREEMAIL_REPLYTO).
MK081 mail-system-claim       – the sender name says it is the recipient's mail system or IT desk, from outside
                                the recipient's domain, with a link to a third site (mailbox-quota lures).
MK082 organisation-at-freemail – an institution's or a site's name on a personal free-mail box
                                (SpamAssassin FREEMAIL_FROM with the name it signs).
MK085 lure-in-other-language  – a phishing pretext in Portuguese, Spanish, French, German, Dutch or Italian
                                (mail_lures.toml), in a mail that links out.
MK086 escaped-link-host       – an HTML link's host is written with %-escapes or character references, which
                                the browser decodes before it connects (SpamAssassin HTTP_ESCAPED_HOST).
MK087 random-sender-mailbox   – the From mailbox name is a random jumble of capitals and small letters, a new
                                sender made up per message (SpamAssassin HK_RANDOM_FROM).
MK088 hidden-words            – the HTML hides more words than it shows (300 letters or more) in elements styled
                                invisible (Rspamd ZERO_FONT, MANY_INVISIBLE_PARTS): a filler's salad.
MK073 bulk-mail-shape         – a newsletter or list mail whose sender is consistent (List-Id, a Reply-To that
                                is the list it went to, or links to the sender's own site, the site of the
                                organisation it names and sends from, or a digest's many sources beside its
                                own, or a DKIM signature aligned with it) and no
                                structure rule fired: its phrase findings count less (weights.toml
                                [phrase_discounts]; Rspamd HAS_LIST_UNSUB, SpamAssassin's list welcome).
MK083 newsletter-without-ask  – in favour: MK073's list or newsletter, declared as such by its headers, that
                                asks for no sign-in, code, payment or app (Rspamd's maillist module,
                                SpamAssassin's mailing-list detection: list mail trips phrase rules).
MK067 authenticated-official-sender – in favour: From on a brand's official domain, and DKIM or DMARC pass
                                in the topmost Authentication-Results (the one the receiving server stamps).

Two helpers serve the link rules in an e-mail (rules/links.py): ``stray_links`` (MK009) and
``brand_tracked_link`` (MK003). Sender names claimed come from ``mail_senders.toml``.

Brands and official domains come from the knowledge base (``Knowledge.owner_of``, ``Brand.owns``,
``Knowledge.is_freemail``); registrable domains from the public suffix list.
"""

from __future__ import annotations

import functools
import itertools
import re
from urllib.parse import unquote

from ..entities import BrandMention, Span, Url, real_domain, registrable_domain
from ..knowledge import Brand, Knowledge, host_suffixes
from ..mail import Anchor, HeaderFact, Mail
from .base import Context, Hit, brand_names

_VISIBLE_HOST = re.compile(
    r"(?i)(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![a-z0-9-])")
_DISPLAY_ADDRESS = re.compile(r"(?i)[a-z0-9._%+-]+@((?:[a-z0-9-]+\.)+[a-z]{2,24})")


def _reg(domain: str) -> str:
    return registrable_domain(domain) if domain else ""


def personal_mailbox(domain: str, kb: Knowledge) -> bool:
    """An address at a free-mail provider's own domain (``@gmail.com``, ``@outlook.com``): anyone's mailbox,
    whoever owns the provider. A company's notices come from its own (sub)domains."""
    return domain in kb.freemail


_LEADING = frozenset(("", "your", "the", "my", "dear", "from", "team"))


# Words a company signs its notices with after its name: account and security chores (the knowledge base's
# ``lure_words``, domains.toml) and the usual team names.
_TEAM_WORDS = frozenset((
    "team", "help", "info", "news", "notification", "notifications", "notice", "care", "inc", "app", "com"))


def _display_span(ctx: Context, fact: HeaderFact, start: int, end: int) -> Span:
    """The part ``start:end`` of a header's display name, as a span of the shown text."""
    at, to = fact.display.start + start, fact.display.start + end
    return Span(at, to, ctx.norm.printable[at:to])


def _leading(ctx: Context, fact: HeaderFact, start: int) -> bool:
    """Does the display name start at ``start`` (after "Your", "The", brackets…)?"""
    before = ctx.norm.printable[fact.display.start:start].strip(" \"'【[(「『<:：-").lower()
    return before in _LEADING


def display_brand(ctx: Context, fact: HeaderFact) -> tuple[Brand, Span] | None:
    """The brand a header's display name claims: a brand mention that starts the name ("Amazon.co.jp",
    "【Amazon】", "Your Netflix team"). A brand inside a longer name ("Lockergnome Apple Core") names a topic.
    A brand whose name is an ordinary word (Kraken, Ledger: ``Brand.ordinary_words``) is never a mention in
    running text; in a sender's name it is a claim when it stands alone or with the words a company signs
    its notices with ("Kraken", "Ledger Support", "Visa Security Team"), and the address's own domain does
    not carry the word (the newspaper "The Ledger" writes from theledger.com)."""
    if fact.display is None:
        return None
    for mention in ctx.entities.brands:
        if fact.display.start <= mention.span.start < fact.display.end and _leading(ctx, fact, mention.span.start):
            return mention.brand, mention.span
    found = ctx.kb.sender_name_brand(fact.display.text)
    if found is None:
        return None
    brand, start, end = found
    word = fact.display.text[start:end].lower()
    rest = re.findall(r"[^\W\d_]+", fact.display.text[end:].lower())
    if not _leading(ctx, fact, fact.display.start + start) or word in fact.domain or \
            any(w not in _TEAM_WORDS and w not in ctx.kb.lure_words for w in rest):
        return None  # "Visa Application Centre", "Ledger Accounting Ltd": the word in another name
    return brand, _display_span(ctx, fact, start, end)


def sender_name_claim(ctx: Context) -> BrandMention | None:
    """The brand the From display name claims (``display_brand``) as a mention, for ``Context.named``. An
    ordinary-word brand ("Kraken" <…@wiama.cz>, "Ledger", "Exodus") is no mention in running text, so without
    this a sender name claiming it named no brand for the link, phone and never-does rules: a "Kraken" 2FA
    lure's button to an unrelated site went unremarked while MK060 alone carried the mail (three of the twelve
    Phishing Pot dev mails that one finding carried, ``benchmarks/email.py --margins``). The sender's name is
    the mail's own claim of who writes, so the brand it claims is named, as the brands in the subject are."""
    sender = ctx.mail.header("from") if ctx.mail else None
    if sender is None:
        return None
    claim = display_brand(ctx, sender)
    return BrandMention(claim[1], claim[0], claim[1].text, False) if claim else None


def sender_brand(ctx: Context) -> Brand | None:
    """The brand the From header claims: by its display name, else by its address's domain."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if sender is None:
        return None
    named = display_brand(ctx, sender)
    if named:
        return named[0]
    return ctx.kb.owner_of(sender.domain) if sender.domain else None


def _brand_params(brand: Brand, domain: str) -> dict:
    official = ", ".join(sorted(brand.official_domains)[:4])
    return {"brand": {"ja": brand.name_ja, "en": brand.name_en}, "domain": domain, "official": official}


def display_name_brand(ctx: Context) -> list[Hit]:
    """MK060: "Amazon.co.jp <info@amaz-secure.top>": the name says a brand, the address is not the brand's
    (or is a personal free-mail box, which a company never sends from)."""
    sender = ctx.mail.header("from") if ctx.mail else None
    if sender is None or not sender.domain or sender.address_span is None:
        return []
    named = display_brand(ctx, sender)
    if named is None:
        return []
    brand, mention = named
    domain = sender.domain
    if not personal_mailbox(domain, ctx.kb):
        if brand.owns(domain) or ctx.kb.owner_of(domain) is not None:
            return []  # the brand's own domain, or another known company's (a shop sending "about Amazon")
    return [Hit("display-name-brand", (mention, sender.address_span), _brand_params(brand, domain),
                brand.source("official_domains"))]


def display_name_address(ctx: Context) -> list[Hit]:
    """MK061: the display name is written as an address at another registrable domain, and the message's
    links do not lead there. (A forwarding or anonymising service that rewrites the From keeps the author's
    address as the name: then the links go to the author's domain, while a spoof's go to its own site.)"""
    sender = ctx.mail.header("from") if ctx.mail else None
    if sender is None or sender.display is None or not sender.domain:
        return []
    m, shown = _address_as_name(sender)
    if m is None or shown == _reg(sender.domain) or _links_mostly_to(ctx, shown):
        return []
    return [Hit("display-name-address", (sender.display,),
                {"shown": m.group(0), "domain": sender.domain})]


def _address_as_name(sender: HeaderFact) -> tuple[re.Match[str] | None, str]:
    """An address written as the display name, and its registrable domain ("" when there is none)."""
    m = _DISPLAY_ADDRESS.search(sender.display_name)
    return m, (_reg(m.group(1).lower()) if m else "")


def _links_mostly_to(ctx: Context, domain: str) -> bool:
    """Do at least half of the body's link targets go to ``domain`` (a registrable domain)?"""
    targets = _link_domains(ctx)
    return bool(targets) and 2 * sum(t == domain for t in targets) >= len(targets)


def _forwarded_authors_site(ctx: Context, sender: HeaderFact) -> str:
    """The author's site when a forwarding or anonymising service rewrote the From and kept the author's address
    as the display name ("AuthorTracker@harpercollins.com [mothlight/harpercollins]" <ticket_…@sneakemail.com>)
    and at least half of the links go to that address's domain (MK061's exemption): the sender is consistent,
    the author's own. "" otherwise. (Of the 7,469 extra dev Phishing Pot mails, 18 write an address of another
    domain as the name and none links mostly there: a spoof's links go to its own site.)"""
    shown = _address_as_name(sender)[1]
    return shown if shown and shown != _reg(sender.domain) and _links_mostly_to(ctx, shown) else ""


def _body_links(ctx: Context) -> list[Url]:
    """The web links written in the e-mail's body (not in its header lines; masked ones left out)."""
    if ctx.mail is None:
        return []
    return [u for u in ctx.entities.urls if u.span.start >= ctx.mail.body_start and not u.masked]


def _link_urls(ctx: Context) -> list[Url]:
    """The web links in the body, a link's visible text left out when it is an HTML link's label (the click
    goes to the target, which is counted)."""
    labels = {(a.text.start, a.text.end) for a in ctx.mail.anchors if a.text != a.href} if ctx.mail else set()
    return [u for u in _body_links(ctx) if (u.span.start, u.span.end) not in labels]


def _link_domains(ctx: Context) -> list[str]:
    """The registrable domain of each of ``_link_urls``."""
    return [u.registrable_domain for u in _link_urls(ctx)]


def freemail_reply_to(ctx: Context) -> list[Hit]:
    """MK062: replies go to a personal free-mail mailbox (``@gmail.com``; not a provider's service host
    such as ``groups.msn.com``, whose addresses are groups and lists) at another domain than the From
    address (SpamAssassin FREEMAIL_FORGED_REPLYTO)."""
    mail = ctx.mail
    reply, sender = (mail.header("reply-to"), mail.header("from")) if mail else (None, None)
    if reply is None or reply.address_span is None or not personal_mailbox(reply.domain, ctx.kb):
        return []
    if sender is not None and _reg(sender.domain) == _reg(reply.domain) or _list_reply(mail):
        return []
    return [Hit("freemail-reply-to", (reply.address_span,), {"domain": reply.domain}, ctx.kb.freemail_source)]


def brand_reply_elsewhere(ctx: Context) -> list[Hit]:
    """MK063: a brand's message that answers (Reply-To) to another registrable domain, or answers or bounces
    (Return-Path) to a free-mail box. Return-Path alone at another company domain is normal (mailing
    services), so only free-mail counts there."""
    mail = ctx.mail
    brand = sender_brand(ctx)
    sender = mail.header("from") if mail else None
    if mail is None or brand is None or sender is None:
        return []
    hits = []
    for fact in mail.headers:
        if fact.field == "from" or fact.address_span is None or not fact.domain:
            continue
        if fact.field == "reply-to" and _list_reply(mail):
            continue  # a member's post (at verizon.net) whose list answers to itself
        free = ctx.kb.is_freemail(fact.domain) and not brand.owns(fact.domain)
        elsewhere = (fact.field == "reply-to" and not brand.owns(fact.domain)
                     and ctx.kb.owner_of(fact.domain) is None and _reg(fact.domain) != _reg(sender.domain))
        if free or elsewhere:
            hits.append(Hit("brand-reply-elsewhere", (fact.address_span,),
                            {**_brand_params(brand, fact.domain), "field": fact.field.title()},
                            brand.source("official_domains")))
    return hits[:1]


def reply_to_other_freemail(ctx: Context) -> list[Hit]:
    """MK080: the From address is a personal free-mail box and replies go to *another* box at the same
    provider ("Mr. Tom Hassan" <hassanmrtom@gmail.com>, Reply-To: tomhassantom468@gmail.com): SpamAssassin's
    FREEMAIL_REPLYTO ("Reply-To/From contain different freemails"). A person answers from the box they wrote
    from; the advance-fee script sends from throwaway boxes and collects answers in one it keeps. (Different
    providers are MK062's.)"""
    mail = ctx.mail
    reply, sender = (mail.header("reply-to"), mail.header("from")) if mail else (None, None)
    if reply is None or sender is None or reply.address_span is None or sender.address_span is None:
        return []
    if not (personal_mailbox(sender.domain, ctx.kb) and personal_mailbox(reply.domain, ctx.kb)):
        return []
    if reply.address == sender.address or _reg(reply.domain) != _reg(sender.domain) or _list_reply(mail):
        return []
    return [Hit("reply-to-other-freemail", (sender.address_span, reply.address_span),
                {"sender": sender.address, "reply": reply.address}, ctx.kb.freemail_source)]


@functools.cache
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for whole-word names; a space or hyphen in a name matches either."""
    parts = sorted(("[\\s_-]*".join(re.escape(w) for w in re.split(r"[\s-]+", n) if w) for n in names),
                   key=len, reverse=True)
    body = "|".join(parts)
    return re.compile(r"(?i)(?<![\w.])(?:" + body + r")(?![\w])")


def _claimed_name(ctx: Context, fact: HeaderFact, names: tuple[str, ...]) -> Span | None:
    """The first of ``names`` in a header's display name, as a span of the shown text."""
    if fact.display is None or not names:
        return None
    m = _name_pattern(names).search(fact.display.text)
    if m is None:
        return None
    return _display_span(ctx, fact, m.start(), m.end())


def _recipient_domains(mail: Mail) -> set[str]:
    return {_reg(a.rsplit("@", 1)[1]) or a.rsplit("@", 1)[1] for a in mail.recipients if "@" in a}


def mail_system_claim(ctx: Context) -> list[Hit]:
    """MK081: the sender name says it is the recipient's own mail system or IT desk ("Mail Help Desk",
    "Webmail Technical Team", "System Administrator", "acme.com IT Support") while the address is outside
    the recipient's domain, and the mail links to a third site. A real mailbox or
    password notice comes from the recipient's own organisation or provider; the "mailbox full", "password
    expires" and "re-validate your mailbox" lures come from outside and lead to a fake sign-in page
    (mail_senders.toml [mail_system_names], with its sources)."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or sender is None or not sender.domain or sender.address_span is None:
        return []
    if sender.display is None or "@" in sender.display_name:
        return []  # "postmaster@remote.example" as a name is a server's own address, not a claim about yours
    claim = _claimed_name(ctx, sender, ctx.kb.mail_system_names)
    if claim is None:
        return []
    theirs = _recipient_domains(mail)
    if _reg(sender.domain) in theirs or any(_same_company(ctx, sender.domain, d) for d in theirs):
        return []  # the recipient's own provider or organisation
    own = _reg(sender.domain)
    elsewhere = [u for u in _body_links(ctx)
                 if u.registrable_domain and u.registrable_domain != own and u.registrable_domain not in theirs]
    if not elsewhere:
        return []
    return [Hit("mail-system-claim", (claim, sender.address_span, elsewhere[0].span),
                {"name": claim.text, "domain": sender.domain, "link": elsewhere[0].registrable_domain},
                ctx.kb.mail_sender_sources.get("mail_system_names"))]


_DOMAIN_NAME = re.compile(r"(?i)(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w@-])")


# Titles and initials that a name writes with a dot ("Mr.Johnson", "Dr.Olufemi", "E.G.Tan"): not site names.
_TITLE = re.compile(r"(?i)^(?:mr|mrs|ms|dr|prof|sir|rev|hon|engr|barr|[a-z])\.")


def _site_name(ctx: Context, fact: HeaderFact) -> Span | None:
    """A site's name written as the display name ("ethereum.org", "Amazon.com") on another registrable domain
    than the address's, with a real top-level domain."""
    m = _DOMAIN_NAME.search(fact.display.text) if fact.display is not None else None
    if m is None or _TITLE.match(m.group(1)) or not real_domain(m.group(1).lower()):
        return None
    if _reg(m.group(1).lower()) in ("", _reg(fact.domain)):
        return None
    return _display_span(ctx, fact, m.start(1), m.end(1))


def organisation_at_freemail(ctx: Context) -> list[Hit]:
    """MK082: the sender name is an institution's or company's ("Customer Service", "Security Team",
    "United Nations", or a site's name such as "ethereum.org") and the address is a personal free-mail box
    (SpamAssassin FREEMAIL_FROM with the name it signs; mail_senders.toml [organisation_names]). A bank or a
    service desk writes from its own domain; a personal gmail.com box behind an official-sounding name is
    someone else's. A known brand's name there is MK060's."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if sender is None or sender.display is None or sender.address_span is None or \
            not personal_mailbox(sender.domain, ctx.kb) or ctx.fired("display-name-brand"):
        return []
    claim = _claimed_name(ctx, sender, ctx.kb.organisation_names) or _site_name(ctx, sender)
    if claim is None:
        return []
    return [Hit("organisation-at-freemail", (claim, sender.address_span),
                {"name": claim.text, "domain": sender.domain}, ctx.kb.mail_sender_sources.get("organisation_names"))]


def _shown_host(anchor: Anchor) -> str:
    """The host the link's visible text shows ("www.amazon.co.jp", "https://paypal.com/…"), or ""."""
    m = _VISIBLE_HOST.fullmatch(anchor.text.text.strip().rstrip("/").split("/")[0]) or \
        _VISIBLE_HOST.match(anchor.text.text.strip())
    if m is None or (m.end() < len(anchor.text.text.strip()) and anchor.text.text.strip()[m.end()] not in "/?#:"):
        return ""
    host = m.group(1).lower()
    tld = host.rsplit(".", 1)[-1]
    return host if _reg(host) and _reg(host) != tld else ""


def _target_host(anchor: Anchor) -> str:
    rest = re.sub(r"(?i)^https?://", "", anchor.target.strip())
    host = re.split(r"[/?#\\]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    return re.sub(r":[0-9]*$", "", host).strip(".").lower()


# A URL a tracking or redirect link carries for the redirect to send you on to: in a query parameter
# ("…/routage?D=http%3A%2F%2Fstore.apple.com%2F…"), in the path ("…/L0/https:%2F%2Fshop.example%2F…"), or
# after a separator ("…/Clickthrough/2331/*http://www.tesco.ie").
_CARRIED_URL = re.compile(r"(?i)(?:[?&][^=&#]*=|[/*])(https?(?::|%3A)(?:/|%2F){2}[^&#*\s]+)")


def carried_hosts(target: str) -> tuple[str, ...]:
    """The hosts of the URLs a link carries for a click-tracking or redirect service to send you on to
    (Rspamd's phishing module follows such redirectors the same way). A newsletter's tracked link
    ("twelvehorses.com/…/*http://www.tesco.ie") carries its real destination; a phishing button carries the
    phishing site ("awstrack.me/L0/https:%2F%2Fphish.example"), which the rules then see too."""
    hosts = []
    for m in _CARRIED_URL.finditer(target):
        inner = re.sub(r"(?i)^https?://", "", unquote(m.group(1)))
        host = re.split(r"[/?#:\\]", inner, maxsplit=1)[0].rsplit("@", 1)[-1].strip(".").lower()
        if host:
            hosts.append(host)
    return tuple(hosts)


def _mismatched_links(ctx: Context) -> list[tuple[Anchor, str, str]]:
    """(anchor, shown host, target host) for links whose visible host and target differ in registrable
    domain, and which do not carry the shown host as the destination a tracking redirect sends you on to
    ("www.tesco.ie" <twelvehorses.com/…/*http://www.tesco.ie>: the newsletter service counts the click)."""
    out = []
    for anchor in ctx.mail.anchors if ctx.mail else ():
        if anchor.text == anchor.href:
            continue
        shown = _shown_host(anchor)
        target = _target_host(anchor)
        if shown and target and _reg(shown) != _reg(target) and \
                not any(_reg(h) == _reg(shown) for h in carried_hosts(anchor.target)):
            out.append((anchor, shown, target))
    return out


def link_text_brand_mismatch(ctx: Context) -> list[Hit]:
    """MK064: the link text shows a brand's official site; the link goes to a host that is not the brand's."""
    hits = []
    for anchor, shown, target in _mismatched_links(ctx):
        brand = ctx.kb.owner_of(shown)
        if brand is not None and not brand.owns(target):
            hits.append(Hit("link-text-brand-mismatch", (anchor.text, anchor.href),
                            {**_brand_params(brand, target), "shown": shown}, brand.source("official_domains")))
    return hits


def link_text_host_mismatch(ctx: Context) -> list[Hit]:
    """MK065: the link text shows one host and the link goes to another registrable domain, which is not
    the sender's own either (mailing services' click-tracking hosts under the sender's domain pass)."""
    sender = ctx.mail.header("from") if ctx.mail else None
    own = _reg(sender.domain) if sender and sender.domain else ""
    hits = []
    for anchor, shown, target in _mismatched_links(ctx):
        if ctx.kb.owner_of(shown) is not None or _reg(target) == own:
            continue  # a brand's site is MK064's; the sender's own tracking host is normal
        hits.append(Hit("link-text-host-mismatch", (anchor.text, anchor.href), {"shown": shown, "domain": target}))
    return hits


# MK076: the other sites a phishing mail's hidden links may go to: its landing page, and often a second host
# for the same campaign (an image or file host, a redirect, a cloud bucket); with two sites, at least this many
# hidden links (a campaign's buttons and banners, where a person's note cites a page or two).
_HIDDEN_SITES = 2
_HIDDEN_MANY = 3


def hidden_links_elsewhere(ctx: Context) -> list[Hit]:
    """MK076: every HTML link that hides its destination behind words or a picture ("Confirm", "Claim your
    reward") goes to one other site than the sender's domain (or to two, with at least three such links: a
    landing page and an image host or bucket; never the site the sender's name names), and the mail carries no
    List-Unsubscribe. Genuine bulk mail must carry List-Unsubscribe (Gmail's and Yahoo's sender rules since
    2024) and mostly links to its own domain; a phishing mail's sender is forged or thrown away while all its
    buttons lead to the one phishing site. Weak alone (a small company's tracked links look alike), it adds
    up with others."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or (mail.bulk and not _bulk_without_dmarc(mail)) or sender is None or not sender.domain:
        return []
    own = _reg(sender.domain)
    hidden = [a for a in mail.anchors if a.text != a.href and a.text.text.strip() and not _shown_host(a)]
    targets = {_reg(_target_host(a)) for a in hidden}
    if not hidden or len(targets) > _HIDDEN_SITES or "" in targets or own in targets:
        return []
    if len(targets) > 1 and len(hidden) < _HIDDEN_MANY:
        return []  # a person's mail citing two pages ("this story", "that post"), not a campaign's buttons
    if any(_senders_site(ctx, h) for a in hidden for h in carried_hosts(a.target)):
        return []  # a tracking service's links that carry the sender's own site as their destination
    if any(_senders_site(ctx, t) for t in targets):
        return []  # "The Motley Fool" <…@motleyfool.com> linking to fool.com: the site its name names
    if any(_same_company(ctx, sender.domain, t) for t in targets):
        return []  # a hotmail.com member's group post linking to groups.msn.com: one company's domains
    return [Hit("hidden-links-elsewhere", tuple(a.href for a in hidden[:6]),
                {"domain": ", ".join(sorted(targets)), "sender": sender.domain, "count": len(hidden)})]


def _bulk_without_dmarc(mail: Mail) -> bool:
    """A marketing or notification bulk mail (List-Unsubscribe, List-Id or Precedence: bulk; not a discussion
    list with List-Post, whose posts keep their authors' own From) whose topmost Authentication-Results shows
    no DMARC verdict for its From domain, or no DMARC record ("none", Microsoft's "bestguesspass"), or a
    broken one ("permerror"). A DMARC failure is MK066's."""
    auth = mail.auth
    return mail.bulk and not mail.list_post and auth is not None and auth.dmarc not in ("pass", "fail")


def bulk_sender_without_dmarc(ctx: Context) -> list[Hit]:
    """MK078: a bulk mail whose sender has no working DMARC: since February 2024 Gmail requires senders of
    5,000+ messages a day to publish DMARC for their From domain and to align it (Google's Email sender
    guidelines; Yahoo's are the same), so a genuine newsletter shows dmarc=pass at the receiving server,
    while bulk tools sending from throwaway domains do not. Weak alone (a small club's own newsletter may
    lack DMARC); it adds up with others, and the mail loses MK076's exemption for bulk mail."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or sender is None or not sender.domain or personal_mailbox(sender.domain, ctx.kb):
        return []
    if not _bulk_without_dmarc(mail):
        return []
    return [Hit("bulk-sender-without-dmarc", (mail.auth.line,),
                {"domain": sender.domain, "dmarc": mail.auth.dmarc or "(none)"})]


# SpamAssassin's HTML_IMAGE_ONLY_02/_04 ("images with 0-400 bytes of words") bound.
_IMAGE_ONLY_TEXT = 400


def image_only_html(ctx: Context) -> list[Hit]:
    """MK079: the mail's HTML is pictures with almost no words (fewer than 400 characters of visible text)
    and it links out. A company's notice says what it is about in words (screen readers and mail that shows
    no pictures by default need them); a lure drawn as a picture is unreadable to word filters in every
    language. Weak alone (a shop's picture-only advert exists); it adds up with others."""
    mail = ctx.mail
    shape = mail.html if mail else None
    if shape is None or not shape.images or shape.text >= _IMAGE_ONLY_TEXT:
        return []
    links = _body_links(ctx)
    if not links:
        return []
    return [Hit("image-only-html", tuple(u.span for u in links[:4]), {"images": shape.images, "chars": shape.text})]


# MK088: at least this many letters of hidden words, and more than the mail shows: a filler's salad, where a
# newsletter's hidden preview line (the preheader inboxes show beside the subject) is a sentence or two.
_HIDDEN_LETTERS = 300


def hidden_words(ctx: Context) -> list[Hit]:
    """MK088: the HTML hides more words than it shows (at least 300 letters of them) in elements styled not to
    be seen (display:none, visibility:hidden, opacity:0, a font of 0–1 px): text for filters, not for the
    reader, such as a harmless story or random words padding a lure so that word filters and hashes miss it.
    Rspamd's ZERO_FONT and MANY_INVISIBLE_PARTS and SpamAssassin's tiny-font rules read the same styles; the
    amount makes it one rule: a newsletter hides a preview line and its mobile-only copy of what it shows, never
    more than it shows. Weak alone; it adds up with the others."""
    shape = ctx.mail.html if ctx.mail else None
    if shape is None or shape.hidden < _HIDDEN_LETTERS or shape.hidden <= shape.letters - shape.hidden:
        return []
    mail = ctx.mail
    at = mail.text.find(shape.hidden_run, mail.body_start) if shape.hidden_run else -1
    if at >= 0:
        run = shape.hidden_run[:120]
        evidence = (Span(at, at + len(run), run),)
    else:
        evidence = tuple(u.span for u in _body_links(ctx)[:1]) or ((mail.subject,) if mail.subject else ())
    if not evidence:
        return []
    return [Hit("hidden-words", evidence, {"hidden": shape.hidden, "shown": shape.letters - shape.hidden})]


def _same_company(ctx: Context, domain: str, other: str) -> bool:
    """Do two domains belong to one brand (official or infrastructure domains: hotmail.com and msn.com)?"""
    kb = ctx.kb
    one = kb.owner_of(domain) or kb.infrastructure_of(domain)
    return one is not None and one is (kb.owner_of(other) or kb.infrastructure_of(other))


_NAME_WORD = re.compile(r"[A-Za-z]{3,}")
# MK077 counts beside one of these (each declared before it in rules.toml), said in its message as:
_NAME_GATES = ("hidden-links-elsewhere", "all-links-shortened", "image-only-html", "unauthenticated-sender",
               "bulk-sender-without-dmarc", "recipient-in-subject", "random-sender-mailbox", "one-landing-page")
_GATE_WORDS = {
    "hidden-links-elsewhere": {"ja": "ボタンやリンクはさらに別のサイトへ飛びます", "en": "its buttons lead to yet another site"},
    "all-links-shortened": {"ja": "リンクはすべて短縮URLで行き先が見えません", "en": "every link hides its destination behind a shortener"},
    "image-only-html": {"ja": "本文はほぼ画像だけです", "en": "the mail is pictures with almost no words"},
    "unauthenticated-sender": {"ja": "送信元を確かめる認証もどれも通っていません", "en": "nothing authenticates the sender"},
    "bulk-sender-without-dmarc": {"ja": "一斉配信なのに送信元ドメインのDMARC認証がありません",
                                  "en": "it is bulk mail without DMARC for its domain"},
    "recipient-in-subject": {"ja": "件名にあなたのメールアドレスが書き込まれています",
                             "en": "your own address is written into the subject"},
    "random-sender-mailbox": {"ja": "送信アドレスの名前は大文字と小文字がでたらめに混ざった使い捨てのものです",
                              "en": "its mailbox name is a throwaway jumble of capitals and small letters"},
    "one-landing-page": {"ja": "どのリンクも（配信停止も）同じページに行きます", "en": "every link, the opt-out too, leads to one page"},
}


def sender_name_unrelated(ctx: Context) -> list[Hit]:
    """MK077: beside another sign that the sender hides something, the sender's name shares no word with its
    own address ("Stellar" <no-reply@rfc.kz>, "Ripple News" <xrpl@janbaskdigitaldesign.com>): the name is
    borrowed, the address is someone's spare domain (Rspamd FROM_NEQ_DISPLAY_NAME's idea, for names that are
    not addresses). A person's or company's name is nearly always in its address ("Jane Smith" <jane@…>,
    "Acme" <news@acme.com>). The other sign (``_NAME_GATES``, declared before this rule): every hidden link
    goes to a third site (MK076), every link hides behind a shortener (MK075), the mail is a picture (MK079),
    nothing authenticates the sender (MK072), a bulk mail has no DMARC for its domain (MK078), the
    recipient's address is written into the subject (MK070), the mailbox name is made up per message
    (MK087), or every link, the opt-out too, leads to one landing page (MK115): each a bulk mailer's or
    forger's habit. Latin names only: a Japanese name cannot be compared with
    an ASCII address."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    gate = next((s for s in _NAME_GATES if ctx.fired(s)), None) if sender is not None else None
    if sender is None or sender.display is None or not sender.domain or gate is None:
        return []
    words = {w.lower() for w in _NAME_WORD.findall(sender.display_name)}
    address = sender.address.lower()
    if not words or any(w in address for w in words):
        return []
    return [Hit("sender-name-unrelated", (sender.display, sender.address_span) if sender.address_span else
                (sender.display,), {"name": sender.display_name, "domain": sender.domain,
                                    "beside": _GATE_WORDS[gate]})]


def _aligned(domain: str, other: str) -> bool:
    return bool(domain and other) and _reg(domain) == _reg(other)


def sender_auth_failed(ctx: Context) -> list[Hit]:
    """MK066: the receiving server's DMARC check failed for the From domain (its owner's policy says such
    mail is forged)."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or mail.auth is None or mail.auth.dmarc != "fail" or sender is None:
        return []
    if mail.auth.header_from and not _aligned(mail.auth.header_from, sender.domain):
        return []
    evidence = (mail.auth.line,) + ((sender.address_span,) if sender.address_span else ())
    return [Hit("sender-auth-failed", evidence, {"domain": sender.domain})]


def authenticated_official_sender(ctx: Context) -> list[Hit]:
    """MK067 (in favour): From on a brand's official domain (not a personal free-mail box), and DMARC pass
    for that domain or a DKIM pass signed by it, in the topmost Authentication-Results only."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or mail.auth is None or sender is None or not sender.domain or sender.address_span is None:
        return []
    brand = ctx.kb.owner_of(sender.domain)
    if brand is None or personal_mailbox(sender.domain, ctx.kb):
        return []
    auth = mail.auth
    dmarc = auth.dmarc == "pass" and (not auth.header_from or _aligned(auth.header_from, sender.domain))
    dkim = auth.dkim == "pass" and any(_aligned(d, sender.domain) for d in auth.dkim_domains)
    if not (dmarc or dkim):
        return []
    return [Hit("authenticated-official-sender", (sender.address_span, auth.line),
                {**_brand_params(brand, sender.domain), "method": "DMARC" if dmarc else "DKIM"},
                brand.source("official_domains"))]


def malformed_from(ctx: Context) -> list[Hit]:
    """MK068: the From header is not one well-formed mailbox (several names pasted together, a stray quote,
    an empty ``<>``): mail programs never write that; bulk senders forging names do."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or sender is None or not mail.from_malformed:
        return []
    return [Hit("malformed-from", (sender.line,))]


# RFC 2606 reserves these for documentation: no mail is ever delivered there.
_RESERVED_DOMAINS = frozenset(("example.com", "example.net", "example.org"))


def sender_domain_invalid(ctx: Context) -> list[Hit]:
    """MK069: the From, Reply-To or Return-Path address is at a domain that cannot exist (no real top-level
    domain: ``root@ubuntu-s-1vcpu``, ``x@abc.qaz``), or replies go to a domain reserved for documentation
    (RFC 2606: ``no-reply@example.com``): nobody can answer or be answered there."""
    hits = []
    for fact in ctx.mail.headers if ctx.mail else ():
        reserved = fact.field == "reply-to" and _reg(fact.domain) in _RESERVED_DOMAINS
        if fact.address_span is not None and fact.domain and (reserved or not real_domain(fact.domain)):
            hits.append(Hit("sender-domain-invalid", (fact.address_span,),
                            {"field": fact.field.title(), "domain": fact.domain}))
    return hits[:1]


def sender_on_free_hosting(ctx: Context) -> list[Hit]:
    """MK074: the From address is at a free hosting or app platform's domain (``noreply@x-48b3c.firebaseapp.com``):
    anyone can open a project there in a minute and send from it, so the name beside it proves nothing. The
    link rule MK008 (free-hosting) applied to the sender; the list is domains.toml's [free_hosting]."""
    sender = ctx.mail.header("from") if ctx.mail else None
    if sender is None or sender.address_span is None or not sender.domain:
        return []
    platform = next((d for d in host_suffixes(sender.domain) if d in ctx.kb.free_hosting), None)
    if platform is None:
        return []
    return [Hit("sender-on-free-hosting", (sender.address_span,), {"domain": platform},
                ctx.kb.domain_sources.get("free_hosting"))]


def sent_through_tenant_domain(ctx: Context) -> list[Hit]:
    """MK084: the From address or the envelope sender (Return-Path) is on a Microsoft 365 tenant's default
    routing domain (``x-48b3c.onmicrosoft.com``; mail_senders.toml [tenant_domains]). Anyone can open a trial
    tenant in minutes; a company sends from its own verified domain, and Microsoft now throttles mail from
    these domains because spammers send from throwaway tenants. With the From on another domain, the mail
    went out through a tenant that never proved it owns that domain."""
    mail = ctx.mail
    for field in ("from", "return-path"):
        fact = mail.header(field) if mail else None
        if fact is None or fact.address_span is None or not fact.domain:
            continue
        tenant = next((d for d in host_suffixes(fact.domain) if d in ctx.kb.tenant_domains), None)
        if tenant is not None:
            return [Hit("sent-through-tenant-domain", (fact.address_span,),
                        {"field": fact.field.title(), "domain": fact.domain},
                        ctx.kb.mail_sender_sources.get("tenant_domains"))]
    return _tenant_signature(ctx)


def _tenant_signature(ctx: Context) -> list[Hit]:
    """MK084's third place: the only DKIM signature that passed (topmost Authentication-Results) is a tenant
    default domain's (``header.d=mlz665.onmicrosoft.com``) and DMARC did not pass for the From domain. Microsoft
    365 signs with the tenant's default domain until its owner proves a domain of their own; a From at another
    domain that neither its DKIM nor DMARC vouches for went out through a tenant that never proved it owns it.
    (With DMARC passing, the From domain is the owner's, whatever signed.)"""
    auth = ctx.mail.auth if ctx.mail else None
    if auth is None or auth.dmarc == "pass" or not auth.dkim_domains:
        return []
    tenants = [d for d in auth.dkim_domains if any(s in ctx.kb.tenant_domains for s in host_suffixes(d))]
    if len(tenants) != len(auth.dkim_domains):
        return []  # also signed by a domain of the sender's own
    return [Hit("sent-through-tenant-domain", (auth.line,), {"field": "DKIM-Signature (d=)", "domain": tenants[0]},
                ctx.kb.mail_sender_sources.get("tenant_domains"))]


def escaped_link_host(ctx: Context) -> list[Hit]:
    """MK086: an HTML link's host is written with %-escapes ("http://impacts.%61%66%66…") or character
    references ("http://ð2hCf&#159;MW…webrentals.eu.com"): the browser decodes them and connects, while a
    filter, a blocklist or a reader looking at the source sees something else (SpamAssassin
    HTTP_ESCAPED_HOST). Mail tools escape a link's path and query; a host written so hides where the link
    goes, unless it is the sender's own site (``_mine``: a 2002 shop's newsletter wrote every dot of its own
    "www&#46;buy4now&#46;ie" so, and hid nothing). The evidence is the link's target as shown (decoded)."""
    sender = ctx.mail.header("from") if ctx.mail else None
    if sender is None:
        return []
    own, words = _reg(sender.domain), _sender_words(ctx, name=False)
    spans = [a.href for a in ctx.mail.anchors if a.escaped_host
             and not _mine(ctx, _reg(unquote(_target_host(a))), own, words)]
    if not spans:
        return []
    return [Hit("escaped-link-host", tuple(spans[:3]), {"target": spans[0].text[:80]})]


# A place in a mailbox name where a small letter is followed by a capital that another capital follows or that
# ends the name ("…tmcYKpfN", "caQI…"): a word joined in CamelCase ("OneIncomeLiving") never does so.
_CASE_FLIP = re.compile(r"[a-z][A-Z](?:[A-Z]|$)")
# A generated name: letters only, this long at least, with this many such places.
_RANDOM_NAME_LETTERS = 7
_RANDOM_NAME_FLIPS = 2
# The other generated form: small letters and digits only, ten or more, the digits scattered among the letters
# (a digit, letters, a digit: "0990fp5xhhst", "uh6b8zzjlldv"), where a person's box puts a number at one end
# ("john1985", "1985john") or between two words ("john1985smith").
_RANDOM_ALNUM = re.compile(r"(?=[a-z0-9]{10,}$)(?=.*[a-z]\d)(?=.*\d[a-z]+\d)")
# The name cut where a capital starts ("fd Dc Yb Gt HMjwn Ir"): words joined in CamelCase make pieces of three
# letters or more ("One Income Living"), with at most one short one ("Mc Donalds NEWS"); a jumble makes many.
_CASE_PIECE = re.compile(r"[A-Z]+[a-z]*|[a-z]+")
_RANDOM_NAME_SHORT_PIECES = 3


def random_mailbox(local: str) -> bool:
    """Is ``local`` (a mailbox name as written, case kept) a string a bulk mailer generated rather than a name:
    letters only, seven or more, whose capitals fall at random ("HvGkodFtmcYKpfN", "caQIUAgQI", "kJYqaDB",
    "fdDcYbGtHMjwnIr": two capitals after a small letter, or three pieces under three letters when the name is
    cut before each capital) rather than at the start of joined words ("OneIncomeLiving", "McDonaldsNEWS"), or
    small letters and digits jumbled (``_RANDOM_ALNUM``: "0990fp5xhhst", the same snowshoe mailer's other
    form)? A list server's per-message bounce name ("Online#3.19658.4b-VXMQgNtUP_hbAdRR.1") carries
    punctuation and stays out."""
    if not local.isascii():
        return False
    if len(local) >= _RANDOM_NAME_LETTERS and local.isalpha():
        short = sum(len(piece) < 3 for piece in _CASE_PIECE.findall(local))
        return len(_CASE_FLIP.findall(local)) >= _RANDOM_NAME_FLIPS or short >= _RANDOM_NAME_SHORT_PIECES
    return _RANDOM_ALNUM.match(local) is not None


def random_sender_mailbox(ctx: Context) -> list[Hit]:
    """MK087: the From address's mailbox name is a random mix of capitals and small letters
    ("Fidelity Life Offer" <HvGkodFtmcYKpfN@space.smartsdirect.us>, "Sam's Club Partner Savings"
    <caQIUAgQI@slave.socialou.com>): a snowshoe mailer makes up a new sender for every message, so that no
    filter learns it (SpamAssassin HK_RANDOM_FROM, "From username looks random"). A company writes from one
    mailbox it keeps ("news", "info", "offers"); so does a person. It is no consistent sender, so MK073's
    newsletter benefit of the doubt is cancelled, and beside a borrowed name it is MK077's other sign. Weak
    alone: SpamAssassin counts its looser form at 1 point of 5."""
    sender = ctx.mail.header("from") if ctx.mail else None
    if sender is None or sender.address_span is None or "@" not in sender.address_span.text:
        return []
    local = sender.address_span.text.rsplit("@", 1)[0]
    if not random_mailbox(local):
        return []
    return [Hit("random-sender-mailbox", (sender.address_span,), {"mailbox": local, "domain": sender.domain})]


def _shortened(url_text: str, host: str, kb: Knowledge) -> bool:
    """Does a link go through a public shortener: its own host, or a URL it carries for a redirect to send
    you on to (``carried_hosts``: "vk.com/away.php?to=https%3A%2F%2Ftinyurl.com%2F…")?"""
    return any(d in kb.shorteners for h in (host, *carried_hosts(url_text)) for d in host_suffixes(h))


def all_links_shortened(ctx: Context) -> list[Hit]:
    """MK075: every web link in the e-mail goes through a public URL shortener (SpamAssassin's
    DecodeShortURLs HAS_SHORT_URL), directly or through a redirect that hands on to one. A company's mail
    links to its own site or its mailing service's tracker; a mail that hides every destination behind
    bit.ly or t.co means the reader not to see where it goes. A message with any direct link (a newsletter
    citing one tinyurl) is not this rule's, nor is a mail program's copy without its servers' headers
    (``Mail.traced``): that is read as a text, whose MK015 url-shortener judges the same links."""
    if not ctx.mail.traced:
        return []
    urls = _body_links(ctx)
    if not urls or not all(_shortened(u.span.text, u.host, ctx.kb) for u in urls):
        return []
    sender = ctx.mail.header("from")
    owner = ctx.kb.owner_of(sender.domain) if sender is not None and sender.domain else None
    if owner is not None and all(owner.owns(u.host) for u in urls):
        return []  # a service's own shortener in its own notices
    return [Hit("all-links-shortened", tuple(u.span for u in urls[:8]), {"count": len(urls)},
                ctx.kb.domain_sources.get("shorteners"))]


def recipient_in_subject(ctx: Context) -> list[Hit]:
    """MK070: the recipient's own address is written into the subject (SpamAssassin TO_IN_SUBJ): bulk
    mailers fill it in because they know nothing else about you. A list server's list address is no reader's
    own: a member's post to a Mailman list that answers to itself (``_list_reply``) may name the list in its
    subject ("Subject: rpm-list@freshrpms.net")."""
    mail = ctx.mail
    if mail is None or mail.subject is None or not mail.recipients:
        return []
    subject = mail.subject.text.lower()
    the_list = mail.header("reply-to").address.lower() if _list_reply(mail) else ""
    for address in mail.recipients:
        if address == the_list:
            continue
        at = subject.find(address)
        if at != -1:
            start = mail.subject.start + at
            return [Hit("recipient-in-subject", (Span(start, start + len(address), ctx.norm.printable[start:start + len(address)]),))]
    return []


# A word with Latin letters and Cyrillic or Greek ones, with combining overlays (U+0334–U+0338), or spelt in
# mathematical alphanumeric symbols (U+1D400–U+1D7FF: "𝗪𝗲𝗹𝗰𝗼𝗺𝗲", which filters read as other characters).
_MIXED_WORD = re.compile(
    r"\w*(?:[a-zA-Z][\w']*[\u0370-\u03ff\u0400-\u04ff]|[\u0370-\u03ff\u0400-\u04ff][\w']*[a-zA-Z])[\w']*"
    r"|\w*[\u0334-\u0338]\S*|[\U0001d400-\U0001d7ff]{2,}"
    # Scripts never written beside Latin in one word whose letters pass for Latin ones (Unicode's confusables:
    # Cherokee Ꭺ Ꮯ, Canadian syllabics ᑕ ᗩ ᐯ, Lisu ꓮ ꓚ): any token that mixes them with Latin letters.
    r"|[^\s<>]*(?:[a-zA-Z][^\s<>]*[\u13a0-\u13ff\u1400-\u167f\ua4d0-\ua4ff]"
    r"|[\u13a0-\u13ff\u1400-\u167f\ua4d0-\ua4ff][^\s<>]*[a-zA-Z])[^\s<>]*")
# A word split by a dot after its first letter ("S.eu e.spaço de a.rmazenamento"), so that filters read other
# tokens; two or more of them in a subject or sender name (one is an initial: "J.Crew").
_SPLIT_WORD = re.compile(r"(?<![\w.])[^\W\d_]\.[^\W\d_]{2,}(?![\w.])")
# Invisible characters or another script's combining marks between two Latin letters ("P<U+200D>r<U+200D>i…" with
# zero-width joiners, "A<U+073F>m<U+073F>a…" with a Syriac mark, "E<U+034F>V<U+034F>R…" with the combining grapheme
# joiner, "M<U+E0139>i…" with variation selectors): format characters (soft hyphen, zero-width space/joiners, word
# joiner, BOM), variation selectors and tags, and Syriac marks, which no Latin word carries; Latin's own accents
# (U+0300–U+036F but U+034F) are written decomposed in ordinary text and stay out. Two or more in a subject or
# sender name (SpamAssassin __UNICODE_OBFU_ZW's idea; Unicode UTS #39: a mark of another script on a Latin
# letter is mixed script).
_HIDDEN_IN_WORD = re.compile(
    r"[A-Za-z](?:[\u00ad\u034f\u061c\u070f-\u074a\u180e\u200b-\u200f\u2060-\u2064\ufe00-\ufe0f\ufeff"
    r"\U000e0000-\U000e01ef])+(?=[A-Za-z])")
# A capital I standing for a small l inside a lower-case word (Unicode's confusables map l and I to one
# skeleton): a double l ("TrustwaIIet" for Trustwallet, "HeIIo") or a final l ("PaypaI"). A CamelCase word
# ("CustomerInfo", "PartII" after a capital) starts a new word with its I; these continue one.
_CAPITAL_I_FOR_L = re.compile(r"(?<![A-Za-z])[A-Za-z]*[a-z]{2}(?:II[a-z]|I(?![A-Za-z]))[A-Za-z]*")


def disguised_letters(ctx: Context) -> list[Hit]:
    """MK071: the sender name or subject mixes look-alike letters from another alphabet into Latin words
    ("McDonаld's" with a Cyrillic а; "ᗩ-lert" with a Canadian syllabic), strikes letters through with combining
    marks, spells words in mathematical bold/italic letters, splits two or more words with a dot after their
    first letter ("S.eu e.spaço"), writes a capital I for a small l inside a word ("TrustwaIIet", "PaypaI"), or
    puts invisible characters or another script's marks between a word's letters, twice or more
    (``_HIDDEN_IN_WORD``: "P\u200dr\u200di\u200dm\u200de") (Rspamd R_MIXED_CHARSET): written so that filters and
    readers see different words."""
    mail = ctx.mail
    if mail is None:
        return []
    sender = mail.header("from")
    regions = [r for r in ((sender.display if sender else None), mail.subject) if r is not None]
    hits = []
    for region in regions:
        split = list(_SPLIT_WORD.finditer(region.text))
        hidden = list(_HIDDEN_IN_WORD.finditer(region.text))
        for m in [*_MIXED_WORD.finditer(region.text), *(split if len(split) >= 2 else ()),
                  *_CAPITAL_I_FOR_L.finditer(region.text), *(hidden if len(hidden) >= 2 else ())]:
            start = region.start + m.start()
            hits.append(Span(start, start + len(m.group()), ctx.norm.printable[start:start + len(m.group())]))
    return [Hit("disguised-letters", tuple(hits[:8]))] if hits else []


def unauthenticated_sender(ctx: Context) -> list[Hit]:
    """MK072: the topmost Authentication-Results vouches for nothing: no DKIM signature passed, SPF did not
    pass, and DMARC did not pass. Genuine bulk mail today passes at least one (Gmail and Yahoo require it
    of bulk senders since 2024); a weak sign alone, it adds up with others."""
    mail = ctx.mail
    auth = mail.auth if mail else None
    if auth is None or auth.dkim == "pass" or auth.spf == "pass" or auth.dmarc in ("pass", "bestguesspass"):
        return []
    return [Hit("unauthenticated-sender", (auth.line,), {"shown": auth.line.text})]


def brand_tracked_link(ctx: Context, url: Url, named: list[Brand]) -> bool:
    """For MK003 in an e-mail: a link through a mailing service's click tracker that carries a named brand's
    own site as its destination ("komtools.net/…?D=http%3A%2F%2Fstore.apple.com"), in a mail whose From
    address is on that brand's official domain (a forged From fails DMARC: MK066). Anyone can add a brand's
    URL to a query, so the tracker alone proves nothing; from the brand's own domain it is its newsletter."""
    sender = ctx.mail.header("from") if ctx.mail else None
    if sender is None or not sender.domain or personal_mailbox(sender.domain, ctx.kb):
        return False
    owners = [b for b in named if b.owns(sender.domain)]
    return any(b.owns(h) for b in owners for h in carried_hosts(url.span.text))


# In a mail, IP-address links that make up less than this share of its web links are strays.
_STRAY_SHARE = 1 / 3


def stray_links(ctx: Context, some: list[Url]) -> bool:
    """For MK009 in an e-mail: are ``some`` of the body's web links fewer than a third of them? A phishing
    mail's server-address link is its button, often its only link; a 2002 newsletter or weblog digest lists
    one bank's or host's bare server address among dozens of ordinary links."""
    if ctx.mail is None or not some:
        return False
    body = _body_links(ctx)
    return len(some) < _STRAY_SHARE * len(body)


def _senders_site(ctx: Context, host: str) -> bool:
    """Is ``host`` the sender's own site: on the From address's registrable domain, or on a domain a word of
    the sender's name names ("Tesco .ie" <…@…12hs.com> and tesco.ie; "Apple Store eNews" and apple.com)?"""
    sender = ctx.mail.header("from") if ctx.mail else None
    if sender is None or not host:
        return False
    domain = _reg(host)
    words = {w.lower() for w in _NAME_WORD.findall(sender.display_name)}
    return bool(domain) and (domain == _reg(sender.domain) or domain.split(".")[0] in words)


def _sender_words(ctx: Context, name: bool = True) -> frozenset[str]:
    """Words that name the sender's own site: the sender's name's words ("CNET Delivers" names cnet.com;
    only when ``name``), and the longer words of the From and Return-Path addresses' local parts (a list
    server's bounce address "bounce-neatnettricks-2424157@silver.lyris.net" names the list's site
    neatnettricks.com)."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if sender is None:
        return frozenset()
    words = {w.lower() for w in _NAME_WORD.findall(sender.display_name)} if name else set()
    for fact in (sender, mail.header("return-path")):
        if fact is not None and fact.address:
            words.update(re.findall(r"[a-z]{5,}", fact.address.rsplit("@", 1)[0]))
    return frozenset(words)


# The shortest site name that counts as the organisation a sender names and sends from ("fool", "oracle").
_ORGANISATION_NAME = 4


def _organisation_site(ctx: Context, domain: str) -> bool:
    """Is ``domain`` the site of the organisation the sender both names and sends from: the site's name (its
    registrable domain's first label, four letters or more, no free-mail provider's) is written in the From
    address's host *and* in the sender's name, letters only? "The Motley Fool" <Fool@motleyfool.com> links to
    fool.com, "Oracle Technology Network" <replies@oracleeblast.com> to oracle.com, "Media Unspun"
    <…@mediaunspun.imakenews.net> (a newsletter service hosting its customer) to mediaunspun.com: one
    organisation's domains, as Rspamd's and SpamAssassin's same-organisation checks see them. The name alone
    is what anyone writes; the From host alone is what anyone registers; a site named by both is the sender's
    own unless the sender forged its name and registered a host to match, which then leads to that real site.
    The same name under another suffix (news@example.com linking to example.net) is a look-alike, not this."""
    sender = ctx.mail.header("from") if ctx.mail else None
    if sender is None or not sender.domain or not domain or domain in ctx.kb.freemail:
        return False
    name = domain.split(".")[0]
    if len(name) < _ORGANISATION_NAME or not name.isalpha():
        return False
    if _reg(sender.domain).split(".")[0] == name:
        return False  # example.com writing about example.net: the same name under another suffix is a look-alike
    host, said = _letters(sender.domain), _letters(sender.display_name)
    return name in host and name in said


@functools.lru_cache(maxsize=256)
def _letters(text: str) -> str:
    """``text`` in lower case with everything but the letters a-z left out ("The Motley Fool" → "themotleyfool")."""
    return re.sub(r"[^a-z]", "", text.lower())


def _own_links(ctx: Context, own: str) -> list[Span]:
    """Links in the body to the sender's own site: ``own`` (the From address's registrable domain), a domain
    its addresses name (``_sender_words`` without the display name, which anyone writes freely), or the site
    of the organisation it names and sends from (``_organisation_site``)."""
    words = _sender_words(ctx, name=False)
    return [u.span for u in _body_links(ctx) if u.registrable_domain and _mine(ctx, u.registrable_domain, own, words)]


def _mine(ctx: Context, domain: str, own: str, words: frozenset[str]) -> bool:
    """Is ``domain`` the sender's own site: its From domain ``own``, a site its ``words`` name, or the site of
    the organisation it names and sends from (``_organisation_site``)?"""
    return domain == own or domain.split(".")[0] in words or _organisation_site(ctx, domain)


def _own_share(ctx: Context, own: str, part: int = 2) -> bool:
    """Are at least ``1/part`` of the message's link targets (not an HTML link's visible label) on the sender's
    own site: ``own`` (the From address's registrable domain) or a domain the sender's words name
    (``_sender_words``: "CNET Delivers" <…@newsletter.online.com> linking to cnet.com)? Half by default, not
    merely the most: a phishing mail copies its brand's real footer links beside its one button. A third when
    the body says how to unsubscribe (an alert newsletter links to its own page among many sources). A mailing
    service's tracked link that carries the sender's own site as its destination (``carried_hosts``: "Apple
    Store eNews" <…@lists.apple.com> through komtools.net/…?D=http%3A%2F%2Fstore.apple.com) leads there."""
    words = _sender_words(ctx)
    targets = [u for u in _link_urls(ctx) if u.registrable_domain]
    ours = [u for u in targets if _mine(ctx, u.registrable_domain, own, words)
            or any(_mine(ctx, _reg(h), own, words) for h in carried_hosts(u.span.text))]
    return bool(own) and bool(targets) and part * len(ours) >= len(targets)


# A digest's sources: this many different sites among its links (a phishing mail's go to one or two, with its
# brand's few social-media footer links beside them).
_DIGEST_SITES = 10


def _digest(ctx: Context) -> bool:
    """Do the body's links go to at least ``_DIGEST_SITES`` different sites? A news digest or weblog-update
    newsletter cites its stories' sources ("Media Unspun": nytimes.com, wsj.com, latimes.com…; blo.gs: a
    hundred weblogs), so its own site is one link among many and MK073's share of own links is not its
    shape; with a link to its own site and an unsubscribe note it is."""
    return len({t for t in _link_domains(ctx) if t}) >= _DIGEST_SITES


def _replies_to_list(mail: Mail) -> bool:
    """Is the mail's Reply-To one of its To addresses: a discussion list that sends replies back to itself
    ("One Income Living" <OneIncomeLiving@groups.msn.com> in both)? A forger's Reply-To is their own box,
    never the address the mail was sent to."""
    reply = mail.header("reply-to")
    return reply is not None and bool(reply.address) and reply.address in mail.recipients


def _list_reply(mail: Mail) -> bool:
    """Did a list server redistribute the mail (List-Id or a list manager's own headers: ``Mail.mailing_list``)
    with its Reply-To set to the list address it was sent to (``_replies_to_list``)? Mailman's reply-to
    munging: a member's post from verizon.net or gmail.com answers to rpm-list@freshrpms.net, which is no
    forged reply address but the list itself. (The To address alone is not enough: a 419 script sends to its
    own collecting box and blind-copies the victims, so its Reply-To is in To too; it writes no list headers.)"""
    return mail.mailing_list and _replies_to_list(mail)


def _own_feed_item(ctx: Context) -> bool:
    """Is the mail a feed reader's item (``Mail.feed_item``: the body opens with the item's link and date) from
    the site the sender's one-word name names: the item's link is on a host that contains that name
    ("scripting" and scriptingnews.userland.com, "aaronsw" and aaronsw.com)? A feed reader names each feed
    by its site; a forger's "Account Services" names no site it links to."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if sender is None or not mail.feed_item:
        return False
    name, links = _one_word_name(sender, 3), _body_links(ctx)
    return bool(name and links) and name in _letters(links[0].host)


def _one_word_name(sender: HeaderFact, shortest: int) -> str:
    """The sender's display name when it is a single word of ``shortest`` characters or more, in lower case
    ("boingboing", "scripting"): a feed reader or a site names itself so; otherwise ""."""
    if sender.display is None:
        return ""
    words = re.findall(r"[a-z0-9]+", sender.display_name.lower())
    return words[0] if len(words) == 1 and len(words[0]) >= shortest else ""


def _dkim_aligned(ctx: Context, domain: str) -> bool:
    auth = ctx.mail.auth if ctx.mail else None
    return auth is not None and auth.dkim == "pass" and any(_aligned(d, domain) for d in auth.dkim_domains)


def bulk_mail_shape(ctx: Context) -> list[Hit]:
    """MK073: ``newsletter_shape``, with no structure finding held against it."""
    evidence = newsletter_shape(ctx)
    if evidence is None:
        return []
    return [Hit("bulk-mail-shape", evidence, {"domain": ctx.mail.header("from").domain})]


def newsletter_shape(ctx: Context, disregard: frozenset[str] = frozenset()) -> tuple[Span, ...] | None:
    """The evidence of a newsletter's or mailing list's shape, with a consistent sender: a list header (List-Id,
    RFC 2919) of a list server that redistributed it; or a Reply-To that is one of the addresses the mail was
    sent to (a discussion list answering to itself, ``_replies_to_list``); or list/bulk headers
    (List-Unsubscribe, Precedence: bulk, RFC 2369/8058) with a link to the sender's own site (the From
    domain, or a site its From or bounce address names: ``_own_links``) or a DKIM signature aligned with it; or,
    without them, at least half of its links on the From domain's own site (a third when the body says how to
    unsubscribe: ``Mail.unsubscribe_note``, the in-body List-Unsubscribe of older newsletters) (a phishing mail's sender is
    forged or thrown away and its links go to the phishing site); or a feed reader's item from the site the
    sender's name names (``_own_feed_item``: a weblog's post, its links the post's sources); or a newsletter
    that a forwarding service passed on under the author's address, its links mostly on the author's site
    (``_forwarded_authors_site``, with a list header or an unsubscribe note). And no
    structure rule (MK060–MK072) found
    anything wrong with the sender or links, but those in ``disregard`` (MK118 asks whether the shape is
    there but for an ad server's link tricks); None when it is not. Newsletters
    say "click here", "winner" and "offer ends" as a matter of course, so MK073's phrase findings count less
    (weights.toml ``[phrase_discounts]``); its links and headers still count in full. Runs after every other
    structure rule (declared last)."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or sender is None or not sender.domain or sender.address_span is None:
        return None
    if any(ctx.fired(slug) for slug in _STRUCTURE_SLUGS if slug not in disregard):
        return None
    personal = personal_mailbox(sender.domain, ctx.kb)
    own = [] if personal else _own_links(ctx, _reg(sender.domain))
    if mail.bulk and mail.mailing_list:
        evidence = (sender.line,)
    elif _replies_to_list(mail):
        evidence = (sender.line, mail.header("reply-to").address_span)
    elif own and (mail.bulk or _own_share(ctx, _reg(sender.domain), 3 if mail.unsubscribe_note else 2)
                  or mail.unsubscribe_note and _digest(ctx)):
        evidence = (sender.address_span, own[0])
    elif mail.bulk and not personal and _dkim_aligned(ctx, sender.domain):
        evidence = (sender.address_span, mail.auth.line)
    elif not personal and _own_feed_item(ctx):
        evidence = (sender.address_span, _body_links(ctx)[0].span)
    elif not personal and (mail.bulk or mail.unsubscribe_note) and \
            (site := _forwarded_authors_site(ctx, sender)):
        evidence = (sender.display, next(u.span for u in _body_links(ctx) if u.registrable_domain == site))
    else:
        return None
    return evidence


# A letter of mail_lures.toml's unaccented phrases and the accented forms it stands for (and "ss" for ß).
_ACCENTS = {"a": "aàáâãäå", "e": "eèéêë", "i": "iìíîï", "o": "oòóôõöø", "u": "uùúûü", "c": "cç", "n": "nñ",
            "y": "yýÿ"}


def _lure_regex(phrase: str) -> str:
    """One mail_lures.toml phrase as a regex: each plain letter also matches its accented forms, a space any
    run of white space, "ss" also "ß"; "(", ")", "|", "?" and "[0-9]+" (a number) keep their meaning."""
    if "[0-9]+" in phrase:
        return r"[0-9]+".join(_lure_regex(part) for part in phrase.split("[0-9]+"))
    out = []
    for ch in phrase:
        if ch in _ACCENTS:
            out.append("[" + _ACCENTS[ch] + "]")
        elif ch == " ":
            out.append(r"\s+")
        elif ch in "()|?":
            out.append(ch if ch != "(" else "(?:")
        else:
            out.append(re.escape(ch))
    return "".join(out).replace("ss", "(?:ss|ß)")


@functools.cache
def _lure_pattern(items: tuple[str, ...]) -> re.Pattern[str]:
    """A language's phrases as one whole-word pattern (longest first)."""
    body = "|".join(_lure_regex(p) for p in sorted(items, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


def lure_in_other_language(ctx: Context) -> list[Hit]:
    """MK085: the subject or body states a phishing pretext in Portuguese, Spanish, French, German, Dutch or
    Italian (account blocked, payment failed, unpaid invoice, parcel held, password expiring, "verify your
    details", a prize won: mail_lures.toml, sourced per language from the national CERTs' and consumer
    offices' warning pages), and the body links out. The phrase rules read Japanese and English only, so a
    Brazilian bank lure or a Dutch parcel lure said nothing to them but its links; this is their pretext
    vocabulary for the languages phishing e-mails are most often written in besides. Weak alone (a genuine
    shop says "Gefeliciteerd" too); it adds up with the sender and link findings."""
    mail = ctx.mail
    if mail is None or not _body_links(ctx):
        return []
    start = mail.subject.start if mail.subject is not None else mail.body_start
    folded = ctx.norm.folded
    begin = folded.position(start)
    for code, language, items in ctx.kb.mail_lures:
        found = list(itertools.islice(_lure_pattern(items).finditer(folded.text, begin), 4))
        if found:
            spans = []
            for m in found:
                a, b = folded.span(m.start(), m.end())
                spans.append(Span(a, b, ctx.norm.printable[a:b]))
            return [Hit("lure-in-other-language", tuple(spans), {"language": language, "phrase": spans[0].text},
                        ctx.kb.mail_lure_sources.get(code))]
    return []


# Pattern findings that ask for what a phishing mail is after: a sign-in, a code, a payment, an app. A list
# mail that asks for one of them gets no credit for being a list mail (MK083).
SIGN_IN_ASKS = ("credential-request", "account-locked", "unusual-login-alert", "code-share-request",
                "gift-card-payment", "money-transfer-request", "unpaid-bill-claim", "app-install-request",
                "lure-in-other-language")


def newsletter_without_ask(ctx: Context) -> list[Hit]:
    """MK083 (in favour): MK073 found a consistent newsletter or list sender, the mail declares itself list or
    bulk mail (List-Id, List-Unsubscribe, Precedence: bulk/list, a list manager's own headers) or answers to
    the list it went to, or says in its body how to unsubscribe (``Mail.unsubscribe_note``), and it asks for
    no sign-in, code, payment or app (``SIGN_IN_ASKS``). Rspamd's maillist
    module and SpamAssassin's mailing-list detection exist for this: list mail trips phrase rules
    ("winner", "deadline", "click here") that it should not, so the list shape counts against them. A phishing
    mail's purpose is the ask, which cancels this; every structure finding already cancels MK073."""
    mail = ctx.mail
    declared = mail is not None and (mail.bulk or mail.unsubscribe_note or _replies_to_list(mail))
    if not declared or not ctx.fired("bulk-mail-shape"):
        return []
    if any(ctx.fired(slug) for slug in SIGN_IN_ASKS):
        return []
    shape = ctx.hits["bulk-mail-shape"]
    return [Hit("newsletter-without-ask", shape.evidence[:1], shape.params)]


# The structure rules whose finding cancels a newsletter's benefit of the doubt.
_STRUCTURE_SLUGS = ("display-name-brand", "display-name-address", "freemail-reply-to", "brand-reply-elsewhere",
                    "link-text-brand-mismatch", "link-text-host-mismatch", "sender-auth-failed", "malformed-from",
                    "sender-domain-invalid", "recipient-in-subject", "disguised-letters", "unauthenticated-sender",
                    "sender-on-free-hosting", "all-links-shortened", "hidden-links-elsewhere",
                    "sender-name-unrelated", "bulk-sender-without-dmarc", "image-only-html",
                    "reply-to-other-freemail", "mail-system-claim", "organisation-at-freemail",
                    "sent-through-tenant-domain", "escaped-link-host", "random-sender-mailbox", "hidden-words",
                    "undisclosed-recipients", "one-landing-page", "numbered-sender-name")


def headline_subject(ctx: Context) -> bool:
    """Is the subject a publication's headline rather than a claim of who writes (``Context.named``)? The
    sender names a site of its own, by its name and From host (``_organisation_site``: "Media Unspun"
    <…@mediaunspun.imakenews.net> and mediaunspun.com) or by a name of one word that is the site's name
    ("boingboing" and boingboing.net, a feed's item mailed by a feed reader), and the mail links there. A
    news digest's "Google's automated editors…" or "Kevin Mitnick's laptop on eBay" names its story's
    company, as a newsletter's headline does (``Mail.claims`` already reads those of declared bulk mail so).
    So is the subject of a feed reader's item from the site its one-word name names (``_own_feed_item``:
    "scripting" mails Scripting News' "Google PR sends a message…", its link on scriptingnews.userland.com)."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if _own_feed_item(ctx):
        return True
    if sender is None or sender.display is None or not sender.domain:
        return False
    single = _one_word_name(sender, _ORGANISATION_NAME)
    return any(d and (_organisation_site(ctx, d) or d.split(".")[0] == single) for d in _link_domains(ctx))
