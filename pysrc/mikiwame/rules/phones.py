"""MK002 callback-number, MK005 known-scam-number and MK124 official-number.

A phone number is a *call-back number* when the message wants you to call it (it names a brand, or it
threatens, claims money or asks you to call) and the number is not an official number of any brand we know.
Fake-billing SMS work exactly this way: the victim calls, and the "customer centre" asks for gift cards.
"""

from __future__ import annotations

from ..entities import Phone, Span
from ..knowledge import Brand
from .base import Context, Hit, brand_names

# Pattern rules whose presence turns a bare phone number into a call-to-action. A charge "you did not make"
# beside a number is the call-back phishing shape (a fake order or renewal, "call to cancel").
_CALL_CUES = ("legal-threat", "unpaid-bill-claim", "deadline-pressure", "callback-request", "account-locked",
              "gift-card-payment", "prize-or-refund-lure", "charge-notice")
# A number in a format no numbering plan here knows is a phone only because the text asks for a call to it
# (entities.py ``_asked_phones``): the ask, and a deadline on it ("call by tomorrow"), say only that a call is
# wanted, which any friend's text says. It is a call-back number beside what a call-back scam claims: a brand,
# or a pretext (a threat, a bill, a locked account, a gift card, a prize, a charge).
_PRETEXT_CUES = tuple(c for c in _CALL_CUES if c not in ("deadline-pressure", "callback-request"))


def _shown(phone: Phone) -> str:
    """A number as a finding shows it: grouped as written where it is in no Japanese format (an asked-for or
    foreign number), not regrouped as a Japanese one; a Japanese-plan number in its usual grouping."""
    return phone.span.text if phone.type in ("asked", "foreign") else _format(phone.number)


def _format(number: str) -> str:
    if number.startswith("+"):
        return number
    if number[:4] in ("0120", "0570", "0990"):
        return f"{number[:4]}-{number[4:7]}-{number[7:]}"
    if number[:2] in ("03", "06") and len(number) == 10:
        return f"{number[:2]}-{number[2:6]}-{number[6:]}"
    if len(number) == 11:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    return f"{number[:3]}-{number[3:6]}-{number[6:]}"


# In a long text (a newsletter, a report) a number is a call-back number only near what makes it one: a
# lawsuit in one article and the publisher's switchboard in the footer have nothing to do with each other.
LONG_TEXT = 1_500
NEAR = 400


def _cues(ctx: Context) -> list[Span]:
    """Where the message names a brand or threatens, claims money or asks for a call."""
    spans = [m.span for m in ctx.named]
    for slug in _CALL_CUES:
        hit = ctx.hits.get(slug)
        spans += hit.evidence if hit else ()
    return spans


def _near_a_cue(phone: Span, cues: list[Span]) -> bool:
    return any(abs(c.start - phone.start) <= NEAR for c in cues)


def callback_number(ctx: Context) -> list[Hit]:
    named = ctx.named_brands
    if not named and not any(ctx.fired(s) for s in _CALL_CUES):
        return []
    official = ctx.kb.official_numbers
    cues = _cues(ctx) if len(ctx.norm.printable) > LONG_TEXT else None
    asked_ok = bool(named) or any(ctx.fired(s) for s in _PRETEXT_CUES)
    hits = []
    for phone in ctx.entities.phones:
        if phone.number in official or (cues is not None and not _near_a_cue(phone.span, cues)):
            continue
        if phone.type == "asked" and not asked_ok:
            continue
        of_brand = brand_names(named) if named else {"ja": "どの会社", "en": ""}
        hits.append(Hit("callback-number", (phone.span,), {
            "number": _shown(phone),
            "type_label": phone.type_label,
            "brand": of_brand,
            "of_brand": {"ja": "", "en": f" of {of_brand['en']}" if named else ""},
        }))
    return hits


def known_scam_number(ctx: Context) -> list[Hit]:
    """A number reported in scams, in the message or as its sender (a first line that is only a number asks
    for no call, but a sender reported in scams says who wrote it)."""
    hits = []
    for phone in ctx.entities.phones + ctx.entities.sender_phones:
        known = ctx.kb.numbers.get(phone.number)
        if known and known.status == "scam":
            hits.append(Hit("known-scam-number", (phone.span,), {"number": _shown(phone)}, known.source))
    return hits


def official_number(ctx: Context) -> list[Hit]:
    """MK124: every number in the message is one the company it names publishes as its own, and every link
    (if any) is on that company's site. The call it asks for then reaches the company itself, which a
    fake needs to avoid (its own number is the trap): the call-back ask can be checked, as MK050's link
    can. A number another brand publishes ("AEON" quoting EPOS's line) does not count."""
    named = ctx.named_brands
    if not named:
        return []
    owners = [_own_number_brand(phone.number, named) for phone in ctx.entities.phones]
    if any(o is None for o in owners):
        return []
    if any(u.masked or not any(b.owns(u.host) for b in named) for u in ctx.entities.urls):
        return []
    brands = list({b.id: b for b in owners if b}.values())
    return [Hit("official-number", tuple(p.span for p in ctx.entities.phones),
                {"brand": brand_names(brands),
                 "number": ", ".join(map(_shown, ctx.entities.phones))},
                brands[0].source("official_phones") or brands[0].source("official_sms_senders"))]


def _own_number_brand(number: str, named: list[Brand]) -> Brand | None:
    """The named brand that publishes ``number`` as its phone line or SMS sender, if any."""
    return next((b for b in named if number in b.official_phones or number in b.official_sms_senders), None)
