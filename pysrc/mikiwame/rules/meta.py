"""Meta rules: a combination of other rules' findings (``all`` groups in rules.toml), unless one of the
findings in its ``none`` list is there too."""

from __future__ import annotations

import operator

from ..knowledge import RuleSpec
from .base import NO_PARAMS, Context, Hit, groups_evidence, new_hit


_START = operator.attrgetter("start")  # a span's start, read in C (a lambda was a Python call per span)


def present_options(ctx: Context) -> set[str]:
    """Every option a meta group can name that holds for this message: fired slugs and @-facts."""
    present = set(ctx.hits)
    if ctx.named:
        present.add("@brand")
    if ctx.entities.urls:
        present.update(("@url", "@foreign-url"))  # @foreign-url is confirmed when its evidence is gathered
    if ctx.mail is not None:
        present.add("@headers")
    return present


def match(spec: RuleSpec, ctx: Context, present: set[str] | None = None) -> list[Hit]:
    present = present_options(ctx) if present is None else present
    for group in spec.all_of:  # a plain loop: most meta rules fail here, on every message
        if present.isdisjoint(group):
            return []
    if not present.isdisjoint(spec.none_of):
        return []
    evidence = groups_evidence(spec.all_of, ctx)
    if not evidence:
        return []
    evidence.sort(key=_START)
    return [new_hit((spec.slug, tuple(evidence), NO_PARAMS, spec.source))]
