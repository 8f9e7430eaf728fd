"""Link rules: where a URL really goes, judged by its registrable domain (public suffix list).

MK003 unofficial-domain – a brand is named, the link is not on that brand's official domains.
MK004 lookalike-domain  – the domain imitates a brand (``amaz0n-co-jp.xyz``) but is not the brand's.
MK006 suspicious-tld, MK007 url-shortener, MK008 free-hosting, MK009 ip-address-link, MK022 idn-domain.
MK050 official-link     – a sign in favour: every link is on the named brand's official domain.
"""

from __future__ import annotations

import functools
import re

from ..entities import Url
from ..knowledge import Brand, Knowledge, host_suffixes
from ..normalise import View, skeletonise
from .base import Context, Hit, brand_names

_MIN_TOKEN = 4
_SUBSTRING_TOKEN = 6


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
        hits.append(Hit("unofficial-domain", (url.span,), _domain_params(url, named),
                        named[0].source("official_domains")))
    return hits


@functools.lru_cache(maxsize=4096)
def _host_skeleton(host: str) -> str:
    if host.startswith("xn--") or ".xn--" in host:
        try:
            host = ".".join(label.encode("ascii").decode("idna") for label in host.split("."))
        except UnicodeError:
            pass
    return skeletonise(View(host, host)).text


@functools.cache
def _brand_tokens(kb: Knowledge) -> list[tuple[str, Brand]]:
    """Distinctive Latin names of each brand: official domain stems and one-word aliases (≥ 4 letters)."""
    tokens: dict[str, Brand] = {}
    for brand in kb.brands:
        stems = [d.split(".")[0] for d in brand.official_domains]
        words = [a for a in brand.aliases if re.fullmatch(r"[a-z0-9-]+", a)]
        for token in stems + words:
            if len(token) >= _MIN_TOKEN:
                tokens.setdefault(token, brand)
    return sorted(tokens.items(), key=lambda kv: -len(kv[0]))


def _contains_token(host: str, token: str) -> bool:
    """Long names count anywhere in the host ("amazon" in "amazonsecure.top"); short ones (< 6 letters) only
    as a whole piece between dots, hyphens or digits, so "myna" is not found in "mynavi" nor "chase" in
    "purchase"."""
    if len(token) >= _SUBSTRING_TOKEN:
        return token in host
    start = host.find(token)
    while start != -1:
        end = start + len(token)
        before = host[start - 1] if start else "."
        after = host[end] if end < len(host) else "."
        if not before.isalpha() and not after.isalpha():
            return True
        start = host.find(token, start + 1)
    return False


def _imitated_brand(url: Url, kb: Knowledge) -> Brand | None:
    if url.masked:
        return None
    return _imitated_brand_of(url.host, url.registrable_domain, url.tld, kb)


@functools.lru_cache(maxsize=4096)
def _imitated_brand_of(host: str, registrable_domain: str, tld: str, kb: Knowledge) -> Brand | None:
    """The brand a host imitates (cached: the same hosts recur across a batch, and this walk over every
    brand's tokens costs more than the rest of the link rules)."""
    if kb.owner_of(host) is not None:
        return None
    skeleton = _host_skeleton(host)
    stem = registrable_domain.split(".")[0]
    for token, brand in _brand_tokens(kb):
        if not _contains_token(skeleton, token) or brand.owns(host):
            continue
        if stem == token and tld not in kb.suspicious_tlds:
            continue  # the brand's own name under an ordinary TLD: a sister site (amazon.de, yahoo.com)
        return brand
    return None


def lookalike_part(host: str, registrable_domain: str, tld: str, kb: Knowledge) -> str:
    """Where a look-alike host carries the brand's name: "domain" (``amaz0n-co-jp.xyz``) or only
    "subdomain" (``amazon-co-jp.security-check.top``, whose real domain is ``security-check.top``)."""
    if host == registrable_domain or _imitated_brand_of(registrable_domain, registrable_domain, tld, kb):
        return "domain"
    return "subdomain"


def _lookalike_params(url: Url, brand: Brand, kb: Knowledge) -> dict:
    params = {**_domain_params(url, [brand]), "note": ""}
    if url.tld and lookalike_part(url.host, url.registrable_domain, url.tld, kb) == "subdomain":
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
    return [Hit("ip-address-link", (u.span,), {"domain": u.host}) for u in ctx.entities.urls if u.is_ip]


def idn_domain(ctx: Context) -> list[Hit]:
    """An internationalised host that reads as plain Latin once look-alikes are undone (``аpple.com``).
    Japanese IDNs such as ``日本語.jp`` stay non-Latin and are not flagged."""
    return [
        Hit("idn-domain", (u.span,), {"domain": u.host})
        for u in ctx.entities.urls
        if u.punycode and _host_skeleton(u.host).isascii()
    ]


def official_link(ctx: Context) -> list[Hit]:
    named = ctx.named_brands
    urls = ctx.entities.urls
    if not named or not urls:
        return []
    owners = [next((b for b in named if not u.masked and b.owns(u.host)), None) for u in urls]
    if any(o is None for o in owners):
        return []
    brands = list({b.id: b for b in owners if b}.values())
    return [Hit("official-link", tuple(u.span for u in urls),
                {"brand": brand_names(brands), "domain": ", ".join(sorted({u.registrable_domain for u in urls}))},
                brands[0].source("official_domains"))]
