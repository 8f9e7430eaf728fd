"""Link rules: where a URL really goes, judged by its registrable domain (public suffix list).

MK003 unofficial-domain – a brand is named, the link is not on that brand's official domains.
MK004 lookalike-domain  – the domain imitates a brand (``amaz0n-co-jp.xyz``) but is not the brand's.
MK006 suspicious-tld, MK007 url-shortener, MK008 free-hosting, MK009 ip-address-link, MK022 idn-domain.
MK050 official-link     – a sign in favour: every link is on the named brand's official domain.
MK116 owned-link        – no brand is named and every link is on one known brand's official domain.
"""

from __future__ import annotations

from ..entities import Url
from ..knowledge import Brand, Knowledge, host_skeleton, host_suffixes
from .base import Context, Hit, brand_names
from .mail import brand_tracked_link, carried_hosts, stray_links


def _domain_params(url: Url, brands: list[Brand]) -> dict:
    official = sorted({d for b in brands for d in b.official_domains})
    return {"domain": url.registrable_domain, "brand": brand_names(brands), "official": ", ".join(official[:4])}


def unofficial_domain(ctx: Context) -> list[Hit]:
    named = ctx.named_brands
    if not named:
        return []
    hits = []
    for url in ctx.entities.urls:
        if url.is_ip or url.masked or any(b.owns(url.host) for b in named):
            continue
        if ctx.kb.owner_of(url.host) is not None:  # another known brand's own site (a shop linking to Yamato tracking, say)
            continue
        if ctx.kb.is_public_sector(url.host, url.registrable_domain):
            continue  # a public body's own site (gov.uk, .gov, go.jp): no one else can hold such a domain
        if brand_tracked_link(ctx, url, named):
            continue  # an e-mail from the brand's own domain whose mailing service's tracked link leads to its site
        hits.append(Hit("unofficial-domain", (url.span,), _domain_params(url, named),
                        named[0].source("official_domains")))
    return hits


def _imitated_brand(url: Url, kb: Knowledge) -> Brand | None:
    if url.masked:
        return None
    return kb.imitated_brand(url.host, url.registrable_domain, url.tld)


def _lookalike_params(url: Url, brand: Brand, kb: Knowledge) -> dict:
    params = {**_domain_params(url, [brand]), "note": ""}
    if url.tld and kb.lookalike_part(url.host, url.registrable_domain, url.tld) == "subdomain":
        sub = url.host[: -len(url.registrable_domain) - 1]
        params["domain"] = url.host
        params["note"] = {"ja": f"名前を使っているのはサブドメイン「{sub}.」の部分だけで、本当のドメインは「{url.registrable_domain}」です。",
                          "en": f" Only the subdomain \"{sub}.\" uses the name; the real domain is \"{url.registrable_domain}\"."}
    return params


def lookalike_domain(ctx: Context) -> list[Hit]:
    hits = []
    as_urls = [Url(e.span, e.domain, e.registrable_domain, "", False, "xn--" in e.domain)
               for e in ctx.entities.emails]
    for url in [*ctx.entities.urls, *as_urls]:
        brand = _imitated_brand(url, ctx.kb)
        if brand:
            hits.append(Hit("lookalike-domain", (url.span,), _lookalike_params(url, brand, ctx.kb),
                            brand.source("official_domains")))
    return hits


def _list_rule(slug: str, ctx: Context, listed: frozenset[str], source_key: str, by_host: bool = False) -> list[Hit]:
    named = ctx.named_brands
    hits = []
    for url in ctx.entities.urls:
        key = url.registrable_domain
        in_list = key in listed or (by_host and any(d in listed for d in host_suffixes(url.host)))
        if in_list and not any(b.owns(url.host) for b in named):
            hits.append(Hit(slug, (url.span,), {"domain": url.host if by_host else key},
                            ctx.kb.domain_sources.get(source_key)))
    return hits


def url_shortener(ctx: Context) -> list[Hit]:
    return _list_rule("url-shortener", ctx, ctx.kb.shorteners, "shorteners")


def free_hosting(ctx: Context) -> list[Hit]:
    return _list_rule("free-hosting", ctx, ctx.kb.free_hosting, "free_hosting", by_host=True)


def suspicious_tld(ctx: Context) -> list[Hit]:
    return [
        Hit("suspicious-tld", (u.span,), {"tld": u.tld}, ctx.kb.domain_sources.get("suspicious_tlds"))
        for u in ctx.entities.urls
        if not u.is_ip and u.tld in ctx.kb.suspicious_tlds and ctx.kb.owner_of(u.host) is None
    ]


def ip_address_link(ctx: Context) -> list[Hit]:
    ips = [u for u in ctx.entities.urls if u.is_ip]
    if stray_links(ctx, ips):
        return []  # an old newsletter's one server address among dozens of ordinary links (rules/mail.py)
    return [Hit("ip-address-link", (u.span,), {"domain": u.host}) for u in ips]


def idn_domain(ctx: Context) -> list[Hit]:
    """An internationalised host that reads as plain Latin once look-alikes are undone (``аpple.com``).
    Japanese IDNs such as ``日本語.jp`` stay non-Latin and are not flagged."""
    return [
        Hit("idn-domain", (u.span,), {"domain": u.host})
        for u in ctx.entities.urls
        if u.punycode and host_skeleton(u.host).isascii()
    ]


def official_link(ctx: Context) -> list[Hit]:
    named = ctx.named_brands
    urls = ctx.entities.urls
    if not named or not urls:
        return []
    owners = [next((b for b in named if not u.masked and b.owns(u.host)), None) for u in urls]
    if any(o is None for o in owners):
        return []
    return _every_link_official("official-link", urls, list({b.id: b for b in owners if b}.values()))


def owned_link(ctx: Context) -> list[Hit]:
    """A plain text that names no company but links only to one known company's own site (a toll agency's
    "Pay Toll Now details can be viewed at www.tollsbymailny.com/ptn"): the link speaks for the sender and
    leads where the sender cannot be faked, as MK050's does for a named one. Not in an e-mail (its sender is
    named in From), not for a host where anyone can publish (``free_hosting``), not for a redirect that carries
    another address on (``www.google.com/url?q=https://…``), and not for a bare name ("GOV.UK ALERT",
    "post.japanpost.jp" shown as a fake button's text): only a link written as one, with its scheme, "www." or a
    path. It counts only through MK102, which also needs the message to ask and threaten nothing."""
    urls = ctx.entities.urls
    if ctx.named_brands or ctx.mail is not None or not urls:
        return []
    kb = ctx.kb
    owners = [kb.owner_of(u.host) if _written_as_link(u) and not kb.on_free_hosting(u.host)
              and not carried_hosts(u.span.text) else None for u in urls]
    if any(o is None for o in owners) or len({o.id for o in owners}) != 1:
        return []
    return _every_link_official("owned-link", urls, [owners[0]])


def _every_link_official(slug: str, urls: tuple[Url, ...], brands: list[Brand]) -> list[Hit]:
    """MK050's and MK116's finding: every link as evidence, the brands and the domains for the message."""
    return [Hit(slug, tuple(u.span for u in urls),
                {"brand": brand_names(brands), "domain": ", ".join(sorted({u.registrable_domain for u in urls}))},
                brands[0].source("official_domains"))]


def _written_as_link(url: Url) -> bool:
    """Written as a link to open (a scheme, "www." or a path), not a bare name such as "GOV.UK"."""
    text = url.span.text.lower()
    return not url.masked and ("://" in text or text.startswith("www.") or "/" in text)
