"""MK120 similar-to-reported-scam: a message worded like a scam reported before (``mikiwame.templates``).

It is a second look, not a rule every message runs (rules/__init__.py ``second_look``): only a message the
other rules left "suspicious" is compared with the library, since the comparison decides between
"suspicious" and "scam" and nothing else, and it costs each message it runs on a walk over the templates
that share its trigrams. A message that talks about scams (MK053) or is a public broadcast (MK054) quotes the
scams it warns of: it is expected to resemble one, so it gets no second look.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .. import learned, templates
from ..entities import _span
from .base import Context, Hit
from .wording import read_text, reads

# Rules whose finding says the message quotes or broadcasts rather than asks (rules/shape.py).
_QUOTES_SCAMS = ("warning-about-scams", "public-broadcast")
_EVIDENCE = 3  # phrases shown, as many as the wording model's (``learned.score``'s ``top_n``)


def similar_to_reported_scam(ctx: Context) -> list[Hit]:
    if not reads(ctx.norm.folded.text, ctx.mail) or any(slug in ctx.hits for slug in _QUOTES_SCAMS):
        return []
    folded, start, lookups = read_text(ctx)
    if lookups is not None:
        prepared, grams = lookups.prepared, lookups.grams
    else:
        prepared = learned.prepare(folded)
        grams = learned.packed_trigrams(prepared, learned.model())
    match = templates.nearest(grams) if grams else None
    if match is None or match.similarity < templates.SIMILAR:
        return []
    weight = learned.model().weights
    # the most scam-ward shared trigrams, as many as the wording model's evidence is built from (a long
    # template shares dozens; each costs a search of the text)
    heaviest = sorted(((weight[g], g) for g in match.shared), reverse=True)[:learned._EVIDENCE_GRAMS]
    spans = learned.phrases(prepared, heaviest, _EVIDENCE)
    if not spans:
        return []
    evidence = tuple(_span(ctx.norm, ctx.norm.folded, start + a, start + b) for a, b in spans)
    site = urlsplit(match.entry.source).hostname or match.entry.source
    params = {"site": site.removeprefix("www."), "date": match.entry.date or "?",
              "similarity": f"{match.similarity:.0%}"}
    return [Hit("similar-to-reported-scam", evidence, params, match.entry.source)]
