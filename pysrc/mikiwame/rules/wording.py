"""MK037 scam-like-wording and MK091 leans-scam-like-wording: the learned wording model (``mikiwame.learned``)
as rules, one per probability band (SpamAssassin's BAYES_80, BAYES_95… do the same): from the model's
threshold the wording counts (MK091), from its ``confident`` probability it counts in full (MK037). One run of
the model gives at most one of the two, pointing at the phrases whose n-grams pushed the score up most
(``learned.phrases``).
"""

from __future__ import annotations

from .. import learned
from ..entities import _span
from .base import Context, Hit


# The model learned from SMS- and chat-length messages (corpus scams: median 129 characters, 4 of 429 over
# 800). On a long text, or on an e-mail read with its headers (mailing-list prose), it is outside what it
# learned and reads ordinary prose as scam-like (SpamAssassin's genuine e-mails: benchmarks/email.py), so
# it says nothing there; e-mails have their structure rules instead.
MAX_CHARS = 1_000


def scam_like_wording(ctx: Context) -> list[Hit]:
    if ctx.mail is not None or len(ctx.norm.folded.text) > MAX_CHARS:
        return []
    result = learned.score(ctx.norm.folded.text)
    if result.probability < learned.model().threshold or not result.top:
        return []
    view = ctx.norm.folded
    evidence = tuple(_span(ctx.norm, view, a, b) for a, b in result.top)
    slug = "scam-like-wording" if result.probability >= learned.model().confident else "leans-scam-like-wording"
    return [Hit(slug, evidence, {"probability": f"{result.probability:.0%}"})]


def from_the_model_run(ctx: Context) -> list[Hit]:
    """MK091 is the lower band of MK037's one model run (``scam_like_wording``), never run on its own."""
    return []
