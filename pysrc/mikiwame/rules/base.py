"""What every rule receives (``Context``) and returns (``Hit``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..entities import BrandMention, Entities, Span
from ..knowledge import Brand, Knowledge
from ..normalise import Normalised

# A finding shows at most this many pieces of evidence (a 10,000-character paste can repeat a phrase 500 times).
MAX_EVIDENCE = 8

# A message parameter is either plain text or a {"ja": …, "en": …} pair.
Param = str | dict[str, str]


@dataclass(frozen=True)
class Hit:
    """One rule firing: which rule, the evidence spans in the original text, and values for its message."""

    slug: str
    evidence: tuple[Span, ...]
    params: dict[str, Param] = field(default_factory=dict)
    source: str | None = None


@dataclass
class Context:
    norm: Normalised
    entities: Entities
    kb: Knowledge
    hits: dict[str, Hit] = field(default_factory=dict)

    def add(self, hits: list[Hit]) -> None:
        """Record hits; a rule that fires more than once keeps its first message and all evidence."""
        for hit in hits:
            old = self.hits.get(hit.slug)
            if old is None:
                self.hits[hit.slug] = hit
            elif len(old.evidence) < MAX_EVIDENCE:
                seen = set(old.evidence)
                extra = tuple(s for s in hit.evidence if s not in seen)
                self.hits[hit.slug] = Hit(old.slug, (old.evidence + extra)[:MAX_EVIDENCE], old.params, old.source)

    @functools.cached_property
    def gate_words(self) -> frozenset[str]:
        """Every pattern-rule gate word present in the folded text, found in one scan."""
        pattern, prefixes = self.kb.gate_scanner
        text = self.norm.folded.text
        found: set[str] = set()
        m = pattern.search(text)
        while m is not None:
            found |= prefixes[m.group()]
            m = pattern.search(text, m.start() + 1)
        return frozenset(found)

    def fired(self, slug: str) -> bool:
        return slug in self.hits

    @functools.cached_property
    def link_spans(self) -> list[Span]:
        return [u.span for u in self.entities.urls] + [e.span for e in self.entities.emails]

    @functools.cached_property
    def named(self) -> list[BrandMention]:
        """Brand mentions in the prose, not inside a link or address (those are judged as domains)."""
        spans = self.link_spans
        return [m for m in self.entities.brands if not any(s.start <= m.span.start < s.end for s in spans)]

    @functools.cached_property
    def named_brands(self) -> list[Brand]:
        return list({m.brand.id: m.brand for m in self.named}.values())


def brand_names(brands: list[Brand]) -> dict[str, str]:
    return {"ja": "・".join(b.name_ja for b in brands), "en": " / ".join(b.name_en for b in brands)}
