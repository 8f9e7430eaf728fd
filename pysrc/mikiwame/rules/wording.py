"""MK037 scam-like-wording: the learned wording model (``mikiwame.learned``) as a rule.

It fires when the model's probability reaches the threshold stored with its weights, and points at the
phrases whose n-grams pushed the score up most (``learned.phrases``).
"""

from __future__ import annotations

from .. import learned
from ..entities import _span
from .base import Context, Hit


def scam_like_wording(ctx: Context) -> list[Hit]:
    result = learned.score(ctx.norm.folded.text)
    if result.probability < learned.model().threshold or not result.top:
        return []
    view = ctx.norm.folded
    evidence = tuple(_span(ctx.norm, view, a, b) for a, b in result.top)
    return [Hit("scam-like-wording", evidence, {"probability": f"{result.probability:.0%}"})]
