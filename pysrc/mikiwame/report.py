"""Stage 6: the report – immutable findings and the JSON contract (see docs/contracts.md).

Text for the reader is rendered here from each rule's templates and the values its hit recorded, in the
language asked for. ``to_dict`` is explicit so the JSON keys are a stable contract for the page and CLI.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from . import __version__
from .entities import Entities, Span
from .knowledge import Brand, Knowledge, RuleSpec
from .rules import Hit
from .verdict import Verdict


@dataclass(frozen=True)
class Finding:
    id: str
    slug: str
    category: str
    weight: int
    title: str
    message: str
    advice: str
    source: str | None
    evidence: tuple[Span, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "slug": self.slug, "category": self.category, "weight": self.weight,
            "title": self.title, "message": self.message, "advice": self.advice, "source": self.source,
            "evidence": [_span_dict(s) for s in self.evidence],
        }


@dataclass(frozen=True)
class Report:
    verdict: Verdict
    score: int
    thresholds: dict[str, int]
    lang: str
    headline: str
    summary: str
    findings: tuple[Finding, ...]
    entities: dict[str, list[dict[str, Any]]]
    advice: tuple[dict[str, str], ...]
    truncated: bool
    notices: tuple[str, ...]
    data_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict, "score": self.score, "thresholds": dict(self.thresholds), "lang": self.lang,
            "headline": self.headline, "summary": self.summary,
            "findings": [f.to_dict() for f in self.findings],
            "entities": self.entities,
            "advice": [dict(a) for a in self.advice],
            "truncated": self.truncated, "notices": list(self.notices),
            "data_version": self.data_version, "engine_version": __version__,
        }


def _span_key(span: Span) -> tuple[int, int]:
    return span.start, span.end


def _span_dict(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(template: str, params: dict[str, Any], lang: str) -> str:
    if not params and "{" not in template:
        return template
    values = _Blank({k: (v.get(lang, v.get("en", "")) if isinstance(v, dict) else v) for k, v in params.items()})
    return template.format_map(values)


def finding(spec: RuleSpec, hit: Hit, lang: str) -> Finding:
    title, message, advice = spec.templates[lang]
    return Finding(
        id=spec.id, slug=spec.slug, category=spec.category, weight=spec.effective_weight,
        title=render(title, hit.params, lang),
        message=render(message, hit.params, lang),
        advice=render(advice, hit.params, lang),
        source=hit.source or spec.source,
        evidence=hit.evidence if len(hit.evidence) < 2 else tuple(sorted(hit.evidence, key=_span_key)),
    )


def entities_dict(ents: Entities, kb: Knowledge, named: list[Brand], lang: str) -> dict[str, list[dict[str, Any]]]:
    """Entities for display: each phone with its type and known status, each link with its real domain."""
    phones = []
    for p in ents.phones:
        known = kb.numbers.get(p.number)
        official = kb.official_numbers.get(p.number)
        status = "scam" if known and known.status == "scam" else "official" if official else "unknown"
        brand = official.id if official else (known.brand or None) if known else None
        source = (known.source if known else official.source("official_phones") if official else None) or None
        phones.append({**_span_dict(p.span), "number": p.number, "type": p.type,
                       "type_label": p.type_label.get(lang, p.type_label["en"]),
                       "known": status, "brand": brand, "source": source})
    urls = []
    for u in ents.urls:
        brand = _link_brand(u.host, kb, named) if not u.masked else (None, None)
        urls.append({**_span_dict(u.span), "host": u.host, "masked": u.masked, "registrable_domain": u.registrable_domain,
                     "official": brand[1], "brand": brand[0], "shortener": u.registrable_domain in kb.shorteners,
                     "suspicious_tld": (not u.is_ip) and u.tld in kb.suspicious_tlds, "punycode": u.punycode})
    emails = []
    for e in ents.emails:
        brand = _link_brand(e.domain, kb, named)
        emails.append({**_span_dict(e.span), "domain": e.domain, "registrable_domain": e.registrable_domain,
                       "official": brand[1], "brand": brand[0]})
    brands = [{**_span_dict(m.span), "id": m.brand.id, "name": m.brand.name(lang)} for m in ents.brands]
    return {"phones": phones, "urls": urls, "emails": emails, "brands": brands}


def _link_brand(host: str, kb: Knowledge, named: list[Brand]) -> tuple[str | None, bool | None]:
    """(brand, official): official for the brand named, False if a brand is named and this is not its
    domain, None when no brand is named and the domain is no known brand's."""
    for brand in named:
        if brand.owns(host):
            return brand.id, True
    owner = kb.owner_of(host)
    if owner is not None:
        return owner.id, True
    if named:
        return named[0].id, False
    return None, None


def advice_steps(verdict: Verdict, findings: tuple[Finding, ...], named: list[Brand], kb: Knowledge,
                 lang: str) -> tuple[dict[str, str], ...]:
    triggers = {verdict} | {f.category for f in findings if f.weight > 0} | {f.slug for f in findings if f.weight > 0}
    return _steps(frozenset(triggers), tuple(named), kb, lang)


@functools.lru_cache(maxsize=1024)
def _steps(triggers: frozenset[str], named: tuple[Brand, ...], kb: Knowledge, lang: str) -> tuple[dict[str, str], ...]:
    """The next steps for a set of triggers (memoised: the same few combinations recur in every batch)."""
    official = _official_hint(list(named), lang)
    report = _report_hint(list(named), lang)
    steps = []
    for step in kb.advice["step"]:
        if triggers.intersection(step["when"]):
            text = render(step[f"text_{lang}"], {"official": official, "report": report}, lang).strip()
            entry = {"id": step["id"], "text": text}
            if step.get("source"):
                entry["source"] = step["source"]
            steps.append(entry)
    return tuple(steps)


def _official_hint(named: list[Brand], lang: str) -> str:
    parts = [f"{b.name(lang)}: {', '.join(sorted(b.official_domains)[:3])}" for b in named if b.official_domains]
    if not parts:
        return ""
    return ("（公式ドメイン " if lang == "ja" else "(official domains: ") + "; ".join(parts) + ("）" if lang == "ja" else ")")


def _report_hint(named: list[Brand], lang: str) -> str:
    parts = [f"{b.name(lang)}: {b.report_to}" for b in named if b.report_to]
    if not parts:
        return ""
    return ("（" if lang == "ja" else "(") + "; ".join(parts) + ("）" if lang == "ja" else ")")
