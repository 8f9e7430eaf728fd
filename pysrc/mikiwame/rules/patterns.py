"""Declarative phrase rules: any pattern of the rule matching the folded text is a hit."""

from __future__ import annotations

from ..entities import _span
from ..knowledge import RuleSpec
from .base import Context, Hit

MAX_EVIDENCE = 3


def match(spec: RuleSpec, ctx: Context) -> list[Hit]:
    if any(getattr(ctx.entities, kind) for kind in spec.requires_no):
        return []
    view = ctx.norm.folded
    gate = spec.gate_set
    if gate is not None and gate.isdisjoint(ctx.gate_words):
        return []
    evidence = []
    for m in spec.combined.finditer(view.text):
        if m.end() > m.start():
            evidence.append(_span(ctx.norm, view, m.start(), m.end()))
            if len(evidence) >= MAX_EVIDENCE:
                break
    if not evidence:
        return []
    return [Hit(spec.slug, tuple(evidence), source=spec.source)]
