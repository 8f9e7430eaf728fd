"""Brand rules.

MK019 brand-never-does – the message does what the named brand publicly says it never does (Amazon never
demands unpaid fees by SMS; Yamato never sends absence notices by SMS). The brand's own statement, with its
source, is the strongest explanation we can give a reader.
MK020 obfuscated-brand – the brand's name was found only after undoing spaced-out letters or look-alike
characters (``a m a z o n``, Cyrillic ``аmazon``): real companies do not disguise their own name.
"""

from __future__ import annotations

import functools

from ..knowledge import Knowledge
from .base import Context, Hit, groups_evidence


def brand_never_does(ctx: Context) -> list[Hit]:
    hits = []
    for mention in ctx.named:
        brand = mention.brand
        for tag in brand.never_does:
            spec = ctx.kb.never_does.get(tag)
            evidence = groups_evidence(_needs(ctx.kb, tag), ctx) if spec else []
            if not evidence:
                continue
            statement = {"ja": spec["text_ja"], "en": spec["text_en"]}
            hits.append(Hit("brand-never-does", (mention.span, *evidence),
                            {"brand": {"ja": brand.name_ja, "en": brand.name_en}, "statement": statement},
                            brand.source("never_does")))
            break
    return hits


@functools.cache
def _needs(kb: Knowledge, tag: str) -> tuple[tuple[str, ...], ...]:
    """A never_does entry's groups of options ("a|b" → any of a, b), split once per knowledge base."""
    return tuple(tuple(need.split("|")) for need in kb.never_does[tag]["needs"])


def obfuscated_brand(ctx: Context) -> list[Hit]:
    return [
        Hit("obfuscated-brand", (m.span,), {"brand": {"ja": m.brand.name_ja, "en": m.brand.name_en},
                                            "seen": m.span.text})
        for m in ctx.named
        if m.obfuscated
    ]


def official_sender(ctx: Context) -> list[Hit]:
    """MK052: a sender line (From:, 差出人, 送信元) naming a brand's listed SMS sender or official mail domain.

    Sender lines can be forged, so this only lowers the score a little; it never outweighs a scam signal.
    """
    hits = []
    kb = ctx.kb
    for span in ctx.entities.senders:
        value = span.text.lower()
        digits = "".join(c for c in value if c.isdigit())
        brand = kb.official_numbers.get(digits) if len(digits) >= 5 else None
        if brand is None and "@" in value:
            brand = kb.owner_of(value.rsplit("@", 1)[1].strip(" >)]"))
        if brand is not None:
            hits.append(Hit("official-sender", (span,), {"brand": {"ja": brand.name_ja, "en": brand.name_en},
                                                          "sender": span.text}, brand.source("official_sms_senders")
                            or brand.source("official_domains")))
    return hits
