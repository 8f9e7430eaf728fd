"""Stage 4: score. Weights add up (never averaged, so one strong signal is never diluted), clamped 0–100.

One exception, declared as data (weights.toml ``[discounts]``): some findings say the message is *about*
scams rather than one (a police warning that quotes a scam, a public broadcast). When one of them fired,
every positive weight counts only that fraction, so quoted scam wording is still shown but counts far less.
"""

from __future__ import annotations

from .knowledge import Knowledge
from .rules import Hit


def counted_weights(hits: list[Hit], kb: Knowledge) -> dict[str, int]:
    """Each fired rule's weight as it counts in this message (after any discount)."""
    rules = kb.rule_by_slug
    factor = min([kb.discounts[h.slug] for h in hits if h.slug in kb.discounts], default=1.0)
    weights = {}
    for h in hits:
        w = rules[h.slug].effective_weight
        weights[h.slug] = round(w * factor) if w > 0 and factor != 1.0 else w
    return weights


def score(weights: dict[str, int]) -> int:
    return max(0, min(100, sum(weights.values())))
