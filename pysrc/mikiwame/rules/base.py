"""What every rule receives (``Context``) and returns (``Hit``)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NamedTuple

from ..entities import BrandMention, Entities, Span
from ..knowledge import Brand, Knowledge
from ..normalise import Normalised

if TYPE_CHECKING:
    from ..mail import Mail
    from ..onepass import Lookups

# A finding shows at most this many pieces of evidence (a 10,000-character paste can repeat a phrase 500 times).
MAX_EVIDENCE = 8

# A message parameter is either plain text or a {"ja": …, "en": …} pair.
Param = str | dict[str, str]


class Hit(NamedTuple):
    """One rule firing: which rule, the evidence spans in the original text, and values for its message."""

    slug: str
    evidence: tuple[Span, ...]
    params: Mapping[str, Param] = MappingProxyType({})  # read-only: one empty default shared by every Hit
    source: str | None = None


# ``Hit((slug, evidence, NO_PARAMS, source))`` made in C, for the rules that fire on most messages (pattern
# and meta rules): a namedtuple's ``__new__`` is a Python function that takes keywords and calls this very
# ``tuple.__new__`` (tests/test_speed_paths.py). NO_PARAMS is the one shared default.
new_hit = functools.partial(tuple.__new__, Hit)
NO_PARAMS = Hit._field_defaults["params"]


# A brand named as the channel or the means of payment, not as the sender: "follow us on Facebook", "pay with
# Apple Pay", "get it on Google Play", 「LINEでも配信中」. Such a message speaks through or of the platform and
# does not claim to come from it, so the platform's official domains say nothing about the message's own links (a
# wildfire alert's "More info on County website and Facebook" is no Facebook link gone astray). What may come
# right before such a mention:
_CHANNEL_CUES = (
    r"\b(?:follow|like|find|join|friend|add|message|contact|reach|text|dm|watch|subscribe to|connect with|chat with)"
    r" us (?:on|at|via)(?: [^.\n]{0,30}?(?:,|and|or|&))?",  # "follow us on Instagram and …"
    r"\b(?:on|via) our",
    r"\b(?:pay|paying|checkout|check out|donate) (?:with|using|via|by)",
    r"\b(?:download|get) (?:it |the app |our app )?(?:on|from)(?: the)?",
    r"\bavailable (?:on|in)(?: the)?",
    r"\bshare (?:it |this )?(?:on|via)",
    r"\b(?:and|also|or) (?:on|at)",
    r"\b(?:website|web ?site|site|web ?page|page|app|radio|tv|television|media|newsletter|channels?)"
    r"\s*(?:,|and|or|&|/)\s*",
)
_PLATFORM_BEFORE = re.compile(f"(?:{'|'.join(_CHANNEL_CUES)})\\s*$", re.I)
# How every cue ends, white space aside: in a text whose last characters are ASCII (so ``str.lower`` folds them
# as ``re.I`` does), these endings; in any other, one of the characters of ``_CUE_LAST`` (any case). Words before a
# mention that end otherwise ("your", "Dear", Japanese) are no cue, and ``_PLATFORM_BEFORE``'s search of up to 40
# positions, each trying every cue (about 0.25 µs a position), is not made (tests/test_speed_paths.py).
_CUE_ENDS = ("on", "at", "via", " our", "with", "using", "by", "from", "the", "in", ",", "and", "or", "&", "/")
_CUE_LAST = re.compile(r"[ntadrhgyme,&/]", re.I)
# And right after it (Japanese puts the particle after the name: 「LINE公式アカウントでも配信中」, 「Instagramをフォロー」):
_PLATFORM_AFTER = re.compile(r"\s*(?:の?公式アカウント)?(?:(?:でも|で)(?:配信|発信|公開|紹介|更新|お知らせ)|をフォロー)")
# Between two platforms of one list: "on Facebook, Instagram and X".
_LIST_JOIN = re.compile(r"\s*(?:,|、|/|・|&|and|or)\s*(?:and\s+|or\s+)?", re.I)


def _platforms_dropped(mentions: list[BrandMention], text: str) -> list[BrandMention]:
    """``mentions`` without the brands named only as a channel or means of payment (``_PLATFORM_BEFORE``)."""
    kept, previous = [], None
    for m in mentions:
        start, end = m.span.start, m.span.end
        platform = (after_channel_cue(text, start)
                    or _PLATFORM_AFTER.match(text, end) is not None
                    or (previous is not None and _LIST_JOIN.fullmatch(text, previous, start) is not None))
        if platform:
            previous = end
        else:
            kept.append(m)
            previous = None
    return kept


def after_channel_cue(text: str, start: int) -> bool:
    """Do the (up to 40) characters before ``start`` end in a channel cue (``_PLATFORM_BEFORE``)? A match ends
    with one of the cues' endings and then white space only (``_CUE_ENDS``, ``_CUE_LAST``), so the words before
    a mention that end otherwise are told without the search."""
    lo = max(0, start - 40)
    head = text[lo:start].rstrip()
    tail = head[-5:]
    if tail.isascii():
        if not tail.lower().endswith(_CUE_ENDS):
            return False
    elif _CUE_LAST.fullmatch(head[-1]) is None:
        return False
    return _PLATFORM_BEFORE.search(text, lo, start) is not None


def _within(pos: int, spans: list[Span]) -> bool:
    """Does offset ``pos`` lie inside one of ``spans`` (a brand named inside a link or address)?"""
    return any(s.start <= pos < s.end for s in spans)


class _once:  # noqa: N801 - used as a decorator, like functools.cached_property
    """A per-message cached property. ``functools.cached_property`` takes a lock on every first access (in
    Python 3.11), which costs more than some of these properties; a Context lives in one thread anyway."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


@dataclass
class Context:
    norm: Normalised
    entities: Entities
    kb: Knowledge
    hits: dict[str, Hit] = field(default_factory=dict)
    mail: "Mail | None" = None  # the parsed e-mail when the input was one (see mail.py)
    # the one pass over the trigrams the wording model reads (``onepass.lookups``; engine.context makes it)
    lookups: "Lookups | None" = None

    def add(self, hits: list[Hit]) -> None:
        """Record hits; a rule that fires more than once keeps its first message and all evidence."""
        for hit in hits:
            old = self.hits.get(hit.slug)
            if old is None:
                self.hits[hit.slug] = hit
            elif len(old.evidence) < MAX_EVIDENCE:
                seen = set(old.evidence)
                extra = tuple(s for s in hit.evidence if s not in seen)
                self.hits[hit.slug] = Hit(old.slug, (old.evidence + extra)[:MAX_EVIDENCE], old.params, old.source)

    def fired(self, slug: str) -> bool:
        return slug in self.hits

    @_once
    def link_spans(self) -> list[Span]:
        ents = self.entities
        if not ents.urls and not ents.emails:  # most messages: no comprehension made for nothing
            return []
        return [u.span for u in ents.urls] + [e.span for e in ents.emails]

    @_once
    def named(self) -> list[BrandMention]:
        """Brand mentions in the prose, not inside a link or address (those are judged as domains)."""
        brands = self.entities.brands
        found = [m for m in brands if not _within(m.span.start, self.link_spans)] if brands else []
        if found:
            found = _platforms_dropped(found, self.norm.original)
        if self.mail is not None:
            from .mail import headline_subject, sender_name_claim  # rules/mail.py builds on this module
            spans = self.link_spans
            # a mail program's copy ("From: … Subject: …" over the body) is a text: its body's brands are claims
            as_text = not self.mail.traced
            claimed = [m for m in found
                       if self.mail.claims(m.span) or (as_text and m.span.start >= self.mail.body_start)]
            subject = self.mail.subject
            in_subject = [m for m in claimed if subject is not None and subject.start <= m.span.start < subject.end]
            if in_subject and headline_subject(self):
                claimed = [m for m in claimed if m not in in_subject]
            sender = sender_name_claim(self)
            if sender is not None and not _within(sender.span.start, spans) and \
                    all(m.brand.id != sender.brand.id for m in claimed):
                claimed.append(sender)  # a name written as a domain ("Amazon.co.jp") is judged as one
            return claimed
        return found

    @_once
    def named_brands(self) -> list[Brand]:
        named = self.named
        return list({m.brand.id: m.brand for m in named}.values()) if named else []

    @_once
    def foreign_links(self) -> tuple[Span, ...]:
        """Links on no known brand's domain and no public body's (hidden links included): several meta
        rules ask for them in one message."""
        kb = self.kb
        return tuple(u.span for u in self.entities.urls
                     if kb.owner_of(u.host) is None and not kb.is_public_sector(u.host, u.registrable_domain))


def _foreign_links(ctx: Context) -> list[Span]:
    """Links on no known brand's domain and no public body's (hidden links included)."""
    return list(ctx.foreign_links)


# Facts that a meta rule's group (rules.toml) or a never_does need (never_does.toml) can name besides a
# rule's slug, each with the evidence it contributes.
FACTS: dict[str, Callable[[Context], list[Span]]] = {
    "@brand": lambda ctx: [m.span for m in ctx.named],
    "@url": lambda ctx: [u.span for u in ctx.entities.urls],
    "@foreign-url": _foreign_links,
    "@phone": lambda ctx: [p.span for p in ctx.entities.phones],
    # The input was an e-mail read with its headers (for ``none`` lists: the headers are no evidence).
    "@headers": lambda ctx: [],
}


def evidence_of(option: str, ctx: Context) -> list[Span]:
    """Evidence for one option: a fact's spans or a fired rule's evidence (empty when it does not hold)."""
    fact = FACTS.get(option)
    if fact is not None:
        return fact(ctx)
    hit = ctx.hits.get(option)
    return list(hit.evidence) if hit else []


def in_mail_opening(ctx: Context, start: int, chars: int) -> bool:
    """Does ``start`` lie within the first ``chars`` characters of the e-mail's body (a rule's ``mail_opening``)?
    A phishing mail's pretext and offer open it; the same words thousands of characters down are a newsletter's
    story, ad block or footer (rules.toml MK016, MK032, MK043)."""
    return start < ctx.mail.body_start + chars


def groups_evidence(groups: Iterable[Iterable[str]], ctx: Context) -> list[Span]:
    """The evidence that satisfies every group (the first option holding in each, in order, without
    repeats); empty if any group is unmet."""
    evidence: list[Span] = []
    for group in groups:
        found = _first_evidence(group, ctx)
        if not found:
            return []
        evidence += [s for s in found if s not in evidence] if evidence else found
    return evidence


def _first_evidence(group: Iterable[str], ctx: Context) -> list[Span]:
    """The evidence of the first option in ``group`` that holds (empty if none does). A rule that did not
    fire, and is no fact, has none: it is passed over without a call (most options of a group, for most
    messages)."""
    hits = ctx.hits
    for option in group:
        if option in hits or option in FACTS:
            found = evidence_of(option, ctx)
            if found:
                return found
    return []


def brand_names(brands: list[Brand]) -> dict[str, str]:
    return {"ja": "・".join(b.name_ja for b in brands), "en": " / ".join(b.name_en for b in brands)}
