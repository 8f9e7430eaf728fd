"""Stage 4: score. Weights add up (never averaged, so one strong signal is never diluted), clamped 0–100.

One exception, declared as data (weights.toml ``[discounts]``): some findings say the message is *about*
scams rather than one (a police warning that quotes a scam, a public broadcast). When one of them fired,
every positive weight counts only that fraction, so quoted scam wording is still shown but counts far less.

A second kind (``[phrase_discounts]``) counts only the *phrase* findings (pattern and meta rules, and the
learned wording rules, which weigh the same words) less: an e-mail with a newsletter's shape
(``bulk-mail-shape``) uses "click here", "winner" or "deadline" as any newsletter does, and a notice whose
every link is the brand's own (``official-link-only``) uses a genuine notice's words, while links, addresses
and header findings still count in full.

A third (``[caps]``) bounds the total: when a capping rule fired, the score stays below the threshold of the
verdict it names. A newsletter whose only faults are an ad server's link tricks (``newsletter-link-tricks-only``)
may be suspicious, never a scam, however its weak findings add up.
"""

from __future__ import annotations

from typing import Mapping

from .knowledge import Knowledge, RuleSpec
from .rules import Hit

PHRASE_KINDS = frozenset(("pattern", "meta"))
PHRASE_CATEGORIES = frozenset(("wording",))  # builtin rules that weigh words: the learned wording model


def counted_weights(hits: list[Hit], kb: Knowledge) -> dict[str, int]:
    """Each fired rule's weight as it counts in this message (after any discount)."""
    return discounted([h.slug for h in hits], kb)


def discounted(slugs: list[str], kb: Knowledge, base: Mapping[str, int] | None = None) -> dict[str, int]:
    """The weights of the fired rules ``slugs`` after any discount; ``base`` replaces the rules' own weights
    (scripts/fit_weights.py scores candidate weights with this very arithmetic).

    Most messages fire no discounting rule: their weights are the rules' own, from a table made once."""
    if base is None and kb.discounts.keys().isdisjoint(slugs) and kb.phrase_discounts.keys().isdisjoint(slugs):
        own = kb.own_weights
        return {slug: own[slug] for slug in slugs}
    rules = kb.rule_by_slug
    factor = min([kb.discounts[s] for s in slugs if s in kb.discounts], default=1.0)
    phrase = min([kb.phrase_discounts[s] for s in slugs if s in kb.phrase_discounts], default=1.0)
    weights = {}
    for slug in slugs:
        w = rules[slug].effective_weight if base is None else base.get(slug, 0)
        f = factor * (phrase if is_phrase(rules[slug]) else 1.0)
        weights[slug] = round(w * f) if w > 0 and f != 1.0 else w
    return weights


def is_phrase(rule: RuleSpec) -> bool:
    """Is ``rule`` a phrase rule (``[phrase_discounts]`` count it less; MK119 asks whether only these fired)?"""
    return rule.kind in PHRASE_KINDS or rule.category in PHRASE_CATEGORIES


def score(weights: dict[str, int], caps: Mapping[str, int] | None = None) -> int:
    """The weights' sum, clamped to 0–100 and to the lowest cap of a fired rule in ``caps`` (``Knowledge.caps``;
    no capping rule fires on most messages, which the first test tells without a loop)."""
    top = 100
    if caps and not caps.keys().isdisjoint(weights):
        top = min(cap for slug, cap in caps.items() if slug in weights)
    return max(0, min(top, sum(weights.values())))
