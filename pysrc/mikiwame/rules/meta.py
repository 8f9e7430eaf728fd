"""Meta rules: a combination of other rules' findings (``all`` groups in rules.toml)."""

from __future__ import annotations

from ..knowledge import RuleSpec
from .base import Context, Hit


def _group_evidence(option: str, ctx: Context) -> list:
    if option == "@brand":
        return [m.span for m in ctx.named]
    if option == "@url":
        return [u.span for u in ctx.entities.urls]
    if option == "@foreign-url":  # a link on no known brand's domain (hidden links included)
        return [u.span for u in ctx.entities.urls if ctx.kb.owner_of(u.host) is None]
    hit = ctx.hits.get(option)
    return list(hit.evidence) if hit else []


def present_options(ctx: Context) -> set[str]:
    """Every option a meta group can name that holds for this message: fired slugs and @-facts."""
    present = set(ctx.hits)
    if ctx.named:
        present.add("@brand")
    if ctx.entities.urls:
        present.update(("@url", "@foreign-url"))  # @foreign-url is confirmed when its evidence is gathered
    return present


def match(spec: RuleSpec, ctx: Context, present: set[str] | None = None) -> list[Hit]:
    present = present_options(ctx) if present is None else present
    if any(present.isdisjoint(group) for group in spec.all_of):
        return []
    evidence = []
    for group in spec.all_of:
        found = next((ev for ev in (_group_evidence(o, ctx) for o in group) if ev), None)
        if not found:
            return []
        evidence += [s for s in found if s not in evidence]
    evidence.sort(key=lambda s: s.start)
    return [Hit(spec.slug, tuple(evidence), source=spec.source)]
