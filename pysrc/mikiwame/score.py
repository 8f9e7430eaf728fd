"""Stage 4: score. Weights add up (never averaged, so one strong signal is never diluted), clamped 0–100."""

from __future__ import annotations

from .knowledge import Knowledge
from .rules import Hit


def score(hits: list[Hit], kb: Knowledge) -> int:
    total = sum(kb.rule_by_slug[h.slug].effective_weight for h in hits)
    return max(0, min(100, total))
