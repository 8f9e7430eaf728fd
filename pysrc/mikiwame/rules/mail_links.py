"""E-mail link rule of issue 12's thirteenth round: where an HTML mail's links lead, taken together.

MK115 one-landing-page – every HTML link of the mail (three or more) leads to one and the same address, or a
                         link labelled as the way to unsubscribe leads to the same address as the mail's other
                         links: the logo, the button, the footer and the opt-out are all the one landing page
                         of a phishing kit. A sender that keeps its readers gives them a working opt-out (the
                         FTC's CAN-SPAM guide; RFC 8058 for the header form), a separate page from its offer.

It runs with the structure rules of ``rules/mail.py`` (declared after them in ``BUILTINS``), before MK073,
which it cancels (``_STRUCTURE_SLUGS``).
"""

from __future__ import annotations

from ..mail import Anchor, unsubscribe_note
from .base import Context, Hit
from .mail import _reg, _target_host

# Fewer links than this can all be one address in any short note ("Read more" twice).
_SAME_TARGET_LINKS = 3


def _web(anchor: Anchor) -> str:
    """The link's target when it is a web address, without surrounding space; "" otherwise."""
    target = anchor.target.strip()
    return target if target[:7].lower() == "http://" or target[:8].lower() == "https://" else ""


def _opt_out(anchor: Anchor) -> bool:
    """Is the link's visible text the way to stop the mail ("Unsubscribe", "opt out": ``unsubscribe_note``)?"""
    return unsubscribe_note(anchor.text.text)


def _landing_links(ctx: Context) -> list[Anchor]:
    """The HTML links that all lead to one address: every web link when there are ``_SAME_TARGET_LINKS`` or more
    and they share one target, or the opt-out links whose target is also a link the mail asks you to follow
    for something else; empty otherwise."""
    anchors = [a for a in ctx.mail.anchors if _web(a)]
    targets = {_web(a) for a in anchors}
    if len(anchors) >= _SAME_TARGET_LINKS and len(targets) == 1:
        return anchors
    offers = {_web(a) for a in anchors if not _opt_out(a)}
    return [a for a in anchors if _opt_out(a) and _web(a) in offers]


def one_landing_page(ctx: Context) -> list[Hit]:
    """MK115: the mail's links lead to one landing page (``_landing_links``), and it is not on the sender's own
    domain (a shop's short promotion may link its picture and its button to one product page of its own).
    Weak alone (15): it adds up with the sender and wording findings."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or sender is None:
        return []
    links = _landing_links(ctx)
    if not links:
        return []
    host = _target_host(links[0])
    if not host or (sender.domain and _reg(host) == _reg(sender.domain)):
        return []
    return [Hit("one-landing-page", tuple(a.href for a in links), {"target": host})]
