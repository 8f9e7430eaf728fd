"""Stage 4: score. Weights add up (never averaged, so one strong signal is never diluted), clamped 0–100.

One exception, declared as data (weights.toml ``[discounts]``): some findings say the message is *about*
scams rather than one (a police warning that quotes a scam, a public broadcast). When one of them fired,
every positive weight counts only that fraction, so quoted scam wording is still shown but counts far less.

A second kind (``[phrase_discounts]``) counts only the *phrase* findings (pattern and meta rules) less: an
e-mail with a newsletter's shape (``bulk-mail-shape``) uses "click here", "winner" or "deadline" as any
newsletter does, while its links, addresses and header findings still count in full.
"""

from __future__ import annotations

from .knowledge import Knowledge
from .rules import Hit

PHRASE_KINDS = frozenset(("pattern", "meta"))


def counted_weights(hits: list[Hit], kb: Knowledge) -> dict[str, int]:
    """Each fired rule's weight as it counts in this message (after any discount)."""
    rules = kb.rule_by_slug
    factor = min([kb.discounts[h.slug] for h in hits if h.slug in kb.discounts], default=1.0)
    phrase = min([kb.phrase_discounts[h.slug] for h in hits if h.slug in kb.phrase_discounts], default=1.0)
    weights = {}
    for h in hits:
        w = rules[h.slug].effective_weight
        f = factor * (phrase if rules[h.slug].kind in PHRASE_KINDS else 1.0)
        weights[h.slug] = round(w * f) if w > 0 and f != 1.0 else w
    return weights


def score(weights: dict[str, int]) -> int:
    return max(0, min(100, sum(weights.values())))
