"""Stage 6: the report – immutable findings and the JSON contract (see docs/contracts.md).

Text for the reader is rendered here from each rule's templates and the values its hit recorded, in the
language asked for. ``to_dict`` is explicit so the JSON keys are a stable contract for the page and CLI.

``to_json`` writes the very same bytes as ``encode_json(to_dict())`` without building the dicts: the batch
mode spends more time turning a report into JSON than deciding it otherwise. The parts that repeat from
message to message (a finding's rendered texts, the advice steps) are encoded once and reused; a test holds
the two paths equal on every corpus message and on random text.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, TypeVar

from . import MAX_CHARS, __version__
from .entities import Entities, Span
from .knowledge import Brand, Knowledge, RuleSpec
from .rules import Hit
from .verdict import Verdict
from .normalise import safe_text

if TYPE_CHECKING:
    from .engine import Decision
    from .mail import Mail
    from .rules import Context


# A finding's JSON head as text (the page's path) or as UTF-8 (the batch mode's).
_Head = TypeVar("_Head", str, bytes)

# One encoder, made once: json.dumps with options builds a new encoder at every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
# The string encoder that encoder uses (ensure_ascii=False), callable on its own.
_str = json.encoder.encode_basestring
# ``JSONEncoder.encode`` makes a new C encoder (``c_make_encoder``, with these very options) at every call,
# in Python; a report's entities are encoded once per message, so the C encoder is made once here. Where
# the C accelerator is missing, the JSONEncoder itself encodes (the same text either way).
_c_encode = (json.encoder.c_make_encoder(None, _ENCODER.default, _str, None, ":", ",", False, False, True)
             if json.encoder.c_make_encoder is not None else None)


def encode_json(o: Any) -> str:
    """Compact JSON, non-ASCII characters as they are: byte for byte ``JSONEncoder(ensure_ascii=False,
    separators=(",", ":"), check_circular=False).encode(o)`` (tests/test_speed_paths.py)."""
    if isinstance(o, str):
        return _str(o)
    if _c_encode is None:
        return _ENCODER.encode(o)
    return "".join(_c_encode(o, 0))


@dataclass(frozen=True)
class AdviceStep:
    id: str
    text: str
    source: str | None = None

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text, **({"source": self.source} if self.source else {})}


@dataclass(frozen=True)
class Advice:
    """The next steps for one report, with their JSON made once (the same few lists recur in every batch)."""

    steps: tuple[AdviceStep, ...]
    json: str


class Finding(NamedTuple):
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

    def to_json(self) -> str:
        head = _finding_head(self.id, self.slug, self.category, self.weight, self.title, self.message,
                             self.advice, self.source)
        return head + ",".join([_span_json(s) for s in self.evidence]) + "]}"


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
    advice: Advice
    truncated: bool
    notices: tuple[str, ...]
    data_version: str
    email: dict[str, Any] | None = None  # only when the input was read as an e-mail (offsets index its "text")

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict, "score": self.score, "thresholds": dict(self.thresholds), "lang": self.lang,
            "headline": self.headline, "summary": self.summary,
            "findings": [f.to_dict() for f in self.findings],
            "entities": self.entities,
            "advice": [a.to_dict() for a in self.advice.steps],
            "truncated": self.truncated, "notices": list(self.notices),
            "data_version": self.data_version, "engine_version": __version__,
            **({"email": self.email} if self.email is not None else {}),
        }

    def to_json(self) -> str:
        """Compact JSON, byte for byte ``encode_json(self.to_dict())`` (same keys, same order)."""
        return "".join((
            _report_head(self.verdict, self.score, tuple(self.thresholds.items()), self.lang, self.headline,
                         self.summary),
            ",".join([f.to_json() for f in self.findings]),
            '],"entities":', encode_json(self.entities), ',"advice":', self.advice.json,
            _report_tail(self.truncated, self.notices, self.data_version)
            if self.email is None else _report_tail(self.truncated, self.notices, self.data_version)[:-1],
            "" if self.email is None else ',"email":' + encode_json(self.email) + "}",
        ))


def plain_json(decision: "Decision", lang: str, kb: Knowledge) -> str:
    """``Report.to_json()`` of a plain message's report (no e-mail, no notice), written from the rules'
    decision without the Finding and Report objects: each finding's JSON from its cached head and its
    evidence, in the report's order (weight, then id), with the same official-domain evidence left out."""
    head, order, official, entities, advice, tail = _plain_parts(decision, lang, kb)
    rules, weights = kb.rule_by_slug, decision.weights
    memo: dict[Span, str] = {}  # the same spans are evidence of several findings (a meta rule and its parts)
    findings = ",".join([_finding_json(rules[h.slug], h, lang, weights[h.slug], official, memo) for h in order])
    return "".join((head, findings, '],"entities":', entities, ',"advice":', advice, tail))


def plain_json_utf8(decision: "Decision", lang: str, kb: Knowledge) -> bytes:
    """``plain_json(…).encode("utf-8", "replace")``, for the batch mode, which writes bytes: the parts that
    repeat from report to report (its head and tail, each finding's head, the advice) are kept encoded
    (``_utf8``, ``_rule_head_utf8``), so only the evidence and entities are encoded per report. Encoding a
    whole Japanese report (about 2,500 characters, each looked at in turn) cost more than the rest of writing it.
    Tested equal on the corpus and random text (tests/test_speed_paths.py)."""
    head, order, official, entities, advice, tail = _plain_parts(decision, lang, kb)
    rules, weights = kb.rule_by_slug, decision.weights
    memo: dict[Span, bytes] = {}
    findings = b",".join([_finding_utf8(rules[h.slug], h, lang, weights[h.slug], official, memo) for h in order])
    return b"".join((_utf8(head), findings, b'],"entities":', entities.encode("utf-8", "replace"), b',"advice":',
                     _utf8(advice), _utf8(tail)))


def _plain_parts(decision: "Decision", lang: str, kb: Knowledge
                 ) -> tuple[str, list[Hit], frozenset[tuple[int, int]], str, str, str]:
    """What a plain report's JSON is made of, for ``plain_json`` and ``plain_json_utf8``: its head (up to the
    findings), the hits in the report's order, the official spans, the entities' JSON, the advice's JSON
    and its tail."""
    ctx, hits, weights, total, result = decision
    rules = kb.rule_by_slug
    named = ctx.named_brands
    entities, official = _entities_json(ctx.entities, kb, named, lang)
    order = sorted(hits, key=lambda h: (-weights[h.slug], rules[h.slug].id))
    advice = _steps(result, tuple([h.slug for h in order if weights[h.slug] > 0]), tuple(named), kb, lang)
    return _plain_head(kb, result, total, lang), order, official, entities, advice.json, _plain_tail(kb)


@functools.lru_cache(maxsize=1024)
def _plain_head(kb: Knowledge, verdict: str, score: int, lang: str) -> str:
    """A plain report's ``_report_head`` (cached by what it depends on, so a look-up hashes four arguments, not
    the thresholds' items and the texts' keys made anew for every message)."""
    texts = kb.advice["verdict"][verdict]
    return _report_head(verdict, score, tuple(kb.thresholds.items()), lang, texts[f"headline_{lang}"],
                        texts[f"summary_{lang}"])


@functools.lru_cache(maxsize=16)
def _plain_tail(kb: Knowledge) -> str:
    """A plain report's ``_report_tail``: no notice, not truncated."""
    return _report_tail(False, (), kb.data_version)


@functools.lru_cache(maxsize=8192)
def _utf8(fragment: str) -> bytes:
    """A repeating fragment of a report (``_report_head``, an advice list, the tail), encoded once. They come
    from caches of their own, so a look-up finds the very string object, whose hash is kept: a few
    instructions where encoding it cost one pass over every character."""
    return fragment.encode("utf-8", "replace")


def _entities_json(ents: Entities, kb: Knowledge, named: list[Brand], lang: str) -> tuple[str, frozenset[tuple[int, int]]]:
    """``encode_json(entities_dict(…))`` and the official spans in it. A message with no phone number, link or
    address (most of them) has only its brands to write, written here straight from the mentions; the C
    encoder's call and the dicts made only to be encoded cost several times as much."""
    if ents.phones or ents.urls or ents.emails:
        entities = entities_dict(ents, kb, named, lang)
        return encode_json(entities), official_spans(entities)
    brands = ",".join([f'{{"start":{_DECIMAL[m.span.start]},"end":{_DECIMAL[m.span.end]},"text":{_str(m.span.text)},"id":{_str(m.brand.id)},'
                       f'"name":{_str(m.brand.name(lang))}}}' for m in ents.brands]) if ents.brands else ""
    return f'{{"phones":[],"urls":[],"emails":[],"brands":[{brands}]}}', frozenset()


def _finding_json(spec: RuleSpec, hit: Hit, lang: str, weight: int, official: frozenset[tuple[int, int]],
                  memo: dict[Span, str]) -> str:
    """``finding(spec, hit, lang, weight).to_json()``, after ``without_official_evidence`` where the
    report applies it; ``memo`` holds the JSON of the spans already written for this report."""
    head, evidence = _finding_head_and_evidence(spec, hit, lang, weight, official, _rule_head)
    return "".join((head, ",".join([memo.get(s) or _memo_span(s, memo) for s in evidence]), "]}"))


def _finding_utf8(spec: RuleSpec, hit: Hit, lang: str, weight: int, official: frozenset[tuple[int, int]],
                  memo: dict[Span, bytes]) -> bytes:
    """``_finding_json(…)`` encoded: its head encoded once (``_rule_head_utf8``), only the evidence here."""
    head, evidence = _finding_head_and_evidence(spec, hit, lang, weight, official, _rule_head_utf8)
    spans = [memo.get(s) or memo.setdefault(s, _span_json(s).encode("utf-8", "replace")) for s in evidence]
    return b"".join((head, b",".join(spans), b"]}"))


def _finding_head_and_evidence(spec: RuleSpec, hit: Hit, lang: str, weight: int,
                               official: frozenset[tuple[int, int]],
                               head_of: Callable[[RuleSpec, str, int, tuple[tuple[str, Any], ...], str | None], _Head]
                               ) -> tuple[_Head, tuple[Span, ...]]:
    """A finding's JSON head (``head_of``: ``_rule_head``, or ``_rule_head_utf8`` for bytes) and the evidence
    it shows, in order."""
    values = tuple([(k, _value(v, lang)) for k, v in hit.params.items()]) if hit.params else ()
    evidence = hit.evidence if len(hit.evidence) < 2 else tuple(sorted(hit.evidence))
    if official and weight > 0 and not spec.shows_official:
        evidence = tuple(s for s in evidence if (s.start, s.end) not in official)
    return head_of(spec, lang, weight, values, hit.source), evidence


@functools.lru_cache(maxsize=4096)
def _rule_head(spec: RuleSpec, lang: str, weight: int, values: tuple[tuple[str, Any], ...], source: str | None) -> str:
    """``_finding_head`` of a finding of ``spec``, from its rendered texts (``_rendered``): one look-up keyed
    by the rule itself (a RuleSpec hashes by identity) where the two caches it is made from hashed the three
    templates and then all eight fields for every finding of every message."""
    title, message, advice = _rendered(spec.templates[lang], values)
    return _finding_head(spec.id, spec.slug, spec.category, weight, title, message, advice, source or spec.source)


@functools.lru_cache(maxsize=4096)
def _rule_head_utf8(spec: RuleSpec, lang: str, weight: int, values: tuple[tuple[str, Any], ...],
                    source: str | None) -> bytes:
    """``_rule_head(…)`` encoded, from one cache of its own: the batch mode looked up the head and then its
    encoding (``_utf8``), two cached calls for every finding of every message."""
    return _rule_head(spec, lang, weight, values, source).encode("utf-8", "replace")


def _memo_span(span: Span, memo: dict[Span, str]) -> str:
    """One span's JSON (``_span_json``), remembered in ``memo``."""
    text = memo[span] = _span_json(span)
    return text


@functools.lru_cache(maxsize=1024)
def _report_head(verdict: str, score: int, thresholds: tuple[tuple[str, int], ...], lang: str, headline: str,
                 summary: str) -> str:
    """A report's JSON up to its findings (cached: three verdicts, 101 scores and two languages at most)."""
    return "".join((
        '{"verdict":', _str(verdict), ',"score":', str(score), ',"thresholds":', encode_json(dict(thresholds)),
        ',"lang":', _str(lang), ',"headline":', _str(headline), ',"summary":', _str(summary), ',"findings":[',
    ))


@functools.lru_cache(maxsize=64)
def _report_tail(truncated: bool, notices: tuple[str, ...], data_version: str) -> str:
    """A report's JSON after its advice (cached: it is nearly always the same)."""
    return "".join((
        ',"truncated":', "true" if truncated else "false", ',"notices":', encode_json(list(notices)),
        ',"data_version":', _str(data_version), ',"engine_version":', _str(__version__), "}",
    ))


@functools.lru_cache(maxsize=4096)
def _finding_head(id: str, slug: str, category: str, weight: int, title: str, message: str, advice: str,
                  source: str | None) -> str:
    """A finding's JSON up to its evidence list (cached: the rendered texts are cached, so equal heads are
    usually the very same string objects and hash at no cost)."""
    body = encode_json({"id": id, "slug": slug, "category": category, "weight": weight, "title": title,
                        "message": message, "advice": advice, "source": source})
    return body[:-1] + ',"evidence":['


def _span_json(s: Span) -> str:
    start, end, text = s
    return f'{{"start":{_DECIMAL[start]},"end":{_DECIMAL[end]},"text":{_str(text)}}}'


class _Decimals(dict):
    """Offset → its decimal digits, kept as they are met: ``str`` of an int (about 900 instructions in this
    CPython) cost more than the rest of an evidence span's JSON; a dict look-up a tenth of that. Offsets
    beyond MAX_CHARS (never in a report of a plain message) are written but not kept."""

    def __missing__(self, number: int) -> str:
        digits = str(number)
        if 0 <= number <= MAX_CHARS:
            self[number] = digits
        return digits


_DECIMAL = _Decimals()


def _span_dict(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _value(v: Any, lang: str) -> Any:
    return v.get(lang, v.get("en", "")) if isinstance(v, dict) else v


def render(template: str, params: dict[str, Any], lang: str) -> str:
    if not params and "{" not in template:
        return template
    return template.format_map(_Blank({k: _value(v, lang) for k, v in params.items()}))


def finding(spec: RuleSpec, hit: Hit, lang: str, weight: int | None = None) -> Finding:
    """A fired rule as the reader sees it; ``weight`` is what it counted in this message (see score.py)."""
    templates = spec.templates[lang]
    values = tuple([(k, _value(v, lang)) for k, v in hit.params.items()]) if hit.params else ()
    title, message, advice = _rendered(templates, values)
    return Finding(
        id=spec.id, slug=spec.slug, category=spec.category,
        weight=spec.effective_weight if weight is None else weight,
        title=title, message=message, advice=advice,
        source=hit.source or spec.source,
        # Spans sort by (start, end) as tuples do: equal offsets mean equal text, so no key function is needed.
        evidence=hit.evidence if len(hit.evidence) < 2 else tuple(sorted(hit.evidence)),
    )


@functools.lru_cache(maxsize=4096)
def _rendered(templates: tuple[str, str, str], values: tuple[tuple[str, Any], ...]) -> tuple[str, ...]:
    """A rule's title, message and advice with its values filled in (cached: the same few recur)."""
    filled = _Blank(values)
    return tuple(t.format_map(filled) if "{" in t else t for t in templates)


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
        brand = kb.link_brand(u.host, named) if not u.masked else (None, None)
        lookalike = _lookalike(u, kb) if brand[1] is not True and not u.masked else None
        if lookalike:  # the same answer as the look-alike finding: not official, and whose name it borrows
            brand = (lookalike[0], False)
        urls.append({**_span_dict(u.span), "host": u.host, "masked": u.masked, "registrable_domain": u.registrable_domain,
                     "official": brand[1], "brand": brand[0], "lookalike": lookalike[1] if lookalike else None,
                     "shortener": u.registrable_domain in kb.shorteners,
                     "suspicious_tld": (not u.is_ip) and u.tld in kb.suspicious_tlds, "punycode": u.punycode})
    emails = []
    for e in ents.emails:
        brand = kb.link_brand(e.domain, named)
        emails.append({**_span_dict(e.span), "domain": e.domain, "registrable_domain": e.registrable_domain,
                       "official": brand[1], "brand": brand[0]})
    brands = [{"start": m.span.start, "end": m.span.end, "text": m.span.text, "id": m.brand.id,
               "name": m.brand.name(lang)} for m in ents.brands]
    return {"phones": phones, "urls": urls, "emails": emails, "brands": brands}


def _lookalike(url: Any, kb: Knowledge) -> tuple[str, str] | None:
    """(brand id, "domain" | "subdomain") when the link imitates a brand: the very question the look-alike
    rule asks (``Knowledge.imitated_brand``), so a link card never says "unknown whether official" beside a
    finding that says it is not."""
    if url.is_ip:
        return None
    brand = kb.imitated_brand(url.host, url.registrable_domain, url.tld)
    return (brand.id, kb.lookalike_part(url.host, url.registrable_domain, url.tld)) if brand else None


def official_spans(entities: dict[str, list[dict[str, Any]]]) -> frozenset[tuple[int, int]]:
    """Spans of links and addresses on a brand's official domain: never evidence against a message."""
    return frozenset((e["start"], e["end"]) for key in ("urls", "emails") for e in entities[key]
                     if e["official"] is True)


def without_official_evidence(f: Finding, official: frozenset[tuple[int, int]]) -> Finding:
    """A finding that counts against the message, without spans that are a genuine official domain (an
    ``Amazon.co.jp`` signature is no evidence for "a link with a pretext"); signs in favour keep theirs."""
    if f.weight <= 0 or not official or not any((s.start, s.end) in official for s in f.evidence):
        return f
    return f._replace(evidence=tuple(s for s in f.evidence if (s.start, s.end) not in official))


def advice_steps(verdict: Verdict, findings: tuple[Finding, ...], named: list[Brand], kb: Knowledge,
                 lang: str) -> Advice:
    return _steps(verdict, tuple([f.slug for f in findings if f.weight > 0]), tuple(named), kb, lang)


@functools.lru_cache(maxsize=1024)
def _steps(verdict: Verdict, slugs: tuple[str, ...], named: tuple[Brand, ...], kb: Knowledge, lang: str) -> Advice:
    """The next steps for a verdict and the findings that count against the message, by slug (memoised: the
    same combinations recur in a batch). A step's triggers are verdicts, slugs and categories.

    A combination met for the first time (about one message in twelve of a batch's first thousands, and every
    first check of the page) takes its steps ready made: each step's text depends only on the brands named and
    the language (``_step_texts``), where rendering the steps and encoding the list again cost about 138k
    instructions (callgrind) per new combination. Tested against that form (tests/test_speed_paths.py)."""
    triggers = {verdict, *slugs, *(kb.rule_by_slug[slug].category for slug in slugs)}
    chosen = [(step, json) for when, step, json in _step_texts(named, kb, lang) if not triggers.isdisjoint(when)]
    return Advice(tuple([step for step, _ in chosen]), "[" + ",".join([json for _, json in chosen]) + "]")


@functools.lru_cache(maxsize=256)
def _step_texts(named: tuple[Brand, ...], kb: Knowledge, lang: str) -> tuple[tuple[frozenset[str], AdviceStep, str], ...]:
    """Every advice step (advice.toml) as shown in ``lang`` where the brands ``named`` are named: its triggers,
    the step, and its JSON, which ``_steps`` joins into the list's (the JSON of a list is its items' JSON joined
    by commas: ``encode_json`` writes no spaces)."""
    official = _official_hint(list(named), lang)
    report = _report_hint(list(named), lang)
    out = []
    for step in kb.advice["step"]:
        text = render(step[f"text_{lang}"], {"official": official, "report": report}, lang).strip()
        shown = AdviceStep(step["id"], text, step.get("source") or None)
        out.append((frozenset(step["when"]), shown, encode_json(shown.to_dict())))
    return tuple(out)


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


# --- e-mails (see mail.py) ---------------------------------------------------------------------------------

def header_entities(parsed: "Mail", ctx: "Context", kb: Knowledge) -> list[dict[str, Any]]:
    """The header facts as entities: From / Reply-To / Return-Path with the brand the display name names
    and whether the address is on that brand's official domains; the topmost authentication results."""
    from .entities import registrable_domain
    from .rules.mail import display_brand, personal_mailbox

    out: list[dict[str, Any]] = []
    for fact in parsed.headers:
        named = display_brand(ctx, fact)
        owner = kb.owner_of(fact.domain) if fact.domain else None
        brand = named[0] if named else owner
        official = None
        if brand is not None and fact.domain:
            official = brand.owns(fact.domain) and not personal_mailbox(fact.domain, kb)
        out.append({**_span_dict(fact.line), "field": fact.field, "display_name": fact.display_name,
                    "address": fact.address, "domain": fact.domain,
                    "registrable_domain": registrable_domain(fact.domain) if fact.domain else "",
                    "brand": brand.id if brand else None, "official": official})
    if parsed.auth is not None:
        a = parsed.auth
        out.append({**_span_dict(a.line), "field": "authentication", "dkim": a.dkim, "spf": a.spf,
                    "dmarc": a.dmarc, "header_from": a.header_from, "topmost": True})
    return out


def mail_dict(parsed: "Mail", ctx: "Context", kb: Knowledge, lang: str) -> dict[str, Any]:
    """The report's "email" part: the text that offsets index into, where its body starts, and each HTML
    link's visible text and target as shown."""
    links = [{"text_start": a.text.start, "text_end": a.text.end, "href_start": a.href.start,
              "href_end": a.href.end, "target": a.href.text} for a in parsed.anchors]
    return {"text": safe_text(parsed.text), "body_start": parsed.body_start, "links": links}
