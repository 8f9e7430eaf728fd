"""MK037 scam-like-wording and MK091 leans-scam-like-wording: the learned wording model (``mikiwame.learned``)
as rules, one per probability band (SpamAssassin's BAYES_80, BAYES_95… do the same): from the model's
threshold the wording counts (MK091), from its ``confident`` probability it counts in full (MK037). One run of
the model gives at most one of the two, pointing at the phrases whose n-grams pushed the score up most
(``learned.phrases``).

Alone, the wording needs more: a message with no link, number or address and no other rule that counts
(a brand merely named is no clue: it asks nothing) is in the upper band only from the model's ``alone``
probability. Out of fold (dev sites and the public training halves, ``train_wording_model.py --cv``), the
model alone between ``confident`` and ``alone`` flagged more genuine messages than scams ("Waiting for your
call.", a parcel's "has been delivered"); and a message that asks nothing can do no harm by itself: the one
that follows with the link or number is checked on its own.
"""

from __future__ import annotations

from .. import learned
from ..entities import _span
from ..mail import Mail
from ..onepass import Lookups
from .base import Context, Hit


def reads(folded: str, mail: Mail | None) -> bool:
    """Does the model read this message: not an e-mail read with its servers' headers (``mail.traced``: the
    model learned from texts, not from mailing-list prose), and its folded text not over ``learned.READ_LIMIT``?
    The lines a mail program shows above a message ("From: … Subject: …"), copied with it, leave it a text."""
    return (mail is None or not mail.traced) and len(folded) <= learned.READ_LIMIT


def read_text(ctx: Context) -> tuple[str, int, Lookups | None]:
    """The folded text the model reads, where it starts in the folded view, and the one pass's look-ups
    (``engine.context``) when they are of that text: a text whole; of a mail program's copy, the body (its
    header lines are the mail rules' facts, and blanked they would read as the blank of a link, which the
    model learned as a scam's), whose trigrams the one pass, over the whole text, did not gather alone."""
    folded = ctx.norm.folded.text
    if ctx.mail is None:
        return folded, 0, ctx.lookups
    start = ctx.norm.folded.position(ctx.mail.body_start)
    body = folded[start:].rstrip()  # the line end the parser gives the body's last line is no wording
    return body, start, None


def scam_like_wording(ctx: Context) -> list[Hit]:
    if not reads(ctx.norm.folded.text, ctx.mail):
        return []
    text, start, lookups = read_text(ctx)
    result = learned.score(text, looked_up=lookups.looked_up if lookups is not None else None)
    if result.probability < learned.model().threshold or not result.top:
        return []
    view = ctx.norm.folded
    evidence = tuple([_span(ctx.norm, view, start + a, start + b) for a, b in result.top])
    bar = learned.model().alone if _alone(ctx) else learned.model().confident
    slug = "scam-like-wording" if result.probability >= bar else "leans-scam-like-wording"
    return [Hit(slug, evidence, {"probability": f"{result.probability:.0%}"})]


def _alone(ctx: Context) -> bool:
    """Nothing but the wording: no link, number or address, and no phrase rule that counts (they all ran
    before this builtin, rules/__init__.py). A brand's name alone is no clue: genuine notices name theirs."""
    ents = ctx.entities
    body = ctx.mail.body_start if ctx.mail is not None else 0  # an e-mail's own addresses above it ask nothing
    if ents.urls or ents.phones or any(e.span.start >= body for e in ents.emails):
        return False
    own = ctx.kb.own_weights
    return all(own.get(slug, 0) <= 0 for slug in ctx.hits)


def from_the_model_run(ctx: Context) -> list[Hit]:
    """MK091 is the lower band of MK037's one model run (``scam_like_wording``), never run on its own."""
    return []
