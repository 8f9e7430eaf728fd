"""MK037 scam-like-wording, MK091 leans-scam-like-wording and MK106 very-scam-like-wording: the learned wording
model (``mikiwame.learned``) as rules, one per probability band (SpamAssassin's BAYES_80, BAYES_95, BAYES_99 do
the same): from the model's threshold the wording counts (MK091), from its ``confident`` probability it counts
in full (MK037), and from its ``certain`` probability MK106 adds to MK037. One run of the model gives MK091,
or MK037 with or without MK106, pointing at the phrases whose n-grams pushed the score up most
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

# A genuine notice's own shape (a one-time code with no link or number, a YES/NO payment check, a pointer to
# the app the reader already has) is written in the very words scams copy, so there the model's certainty is
# the scams' borrowing, not evidence: MK106 does not add to MK037 (pattern rules have run before builtins).
_NOTICE_SHAPES = ("one-time-code-notice", "yes-no-check", "own-channel-pointer")


def scam_like_wording(ctx: Context) -> list[Hit]:
    if ctx.mail is not None or len(ctx.norm.folded.text) > MAX_CHARS:
        return []
    result = learned.score(ctx.norm.folded.text)
    if result.probability < learned.model().threshold or not result.top:
        return []
    view = ctx.norm.folded
    evidence = tuple(_span(ctx.norm, view, a, b) for a, b in result.top)
    m = learned.model()
    facts = {"probability": f"{result.probability:.0%}"}
    if result.probability < m.confident:
        return [Hit("leans-scam-like-wording", evidence, facts)]
    hits = [Hit("scam-like-wording", evidence, facts)]
    if result.probability >= m.certain and not any(ctx.fired(slug) for slug in _NOTICE_SHAPES):
        hits.append(Hit("very-scam-like-wording", evidence, facts))
    return hits


def from_the_model_run(ctx: Context) -> list[Hit]:
    """MK091 and MK106 are bands of MK037's one model run (``scam_like_wording``), never run on their own."""
    return []
