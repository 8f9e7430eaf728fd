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


def _present(option: str, ctx: Context) -> bool:
    """Cheap test that a group option can contribute, before any evidence is gathered."""
    if option[0] == "@":
        return bool(ctx.named if option == "@brand" else ctx.entities.urls)
    return option in ctx.hits


def match(spec: RuleSpec, ctx: Context) -> list[Hit]:
    for group in spec.all_of:
        for option in group:
            if _present(option, ctx):
                break
        else:
            return []
    evidence = []
    for group in spec.all_of:
        found = next((ev for ev in (_group_evidence(o, ctx) for o in group) if ev), None)
        if not found:
            return []
        evidence += [s for s in found if s not in evidence]
    evidence.sort(key=lambda s: s.start)
    return [Hit(spec.slug, tuple(evidence), source=spec.source)]
