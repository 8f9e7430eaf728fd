"""Meta rules: a combination of other rules' findings (``all`` groups in rules.toml), unless one of the
findings in its ``none`` list is there too."""

from __future__ import annotations

import operator

from ..knowledge import RuleSpec
from .base import NO_PARAMS, Context, Hit, evidence_of, groups_evidence, in_mail_opening, new_hit


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
    if spec.mail_opening is not None and ctx.mail is not None and not opens_with(spec, ctx):
        return []
    evidence = groups_evidence(spec.all_of, ctx)
    if not evidence:
        return []
    evidence.sort(key=_START)
    return [new_hit((spec.slug, tuple(evidence), NO_PARAMS, spec.source))]


def opens_with(spec: RuleSpec, ctx: Context) -> bool:
    """Does some evidence of ``spec``'s last group start within its ``mail_opening`` characters of the e-mail's
    body? MK043 (a pretext beside a link) was fitted on text messages, whose pretext is the message; a phishing
    mail's pretext opens it too ("Your account has been suspended…"). In a long newsletter or news digest the
    same words ("outstanding balance" in a story on a card issuer, "messages will be deleted" in a list's
    footer) sit thousands of characters down, among links that serve other purposes. Measured on the dev
    halves (``benchmarks/email.py``): the pretext starts past 1,500 characters in 7 of the 9 hard-ham mails
    where MK043 fires and in none of the 24 Phishing Pot dev mails."""
    return any(in_mail_opening(ctx, span.start, spec.mail_opening)
               for option in spec.all_of[-1] for span in evidence_of(option, ctx))
