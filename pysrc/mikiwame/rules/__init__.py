"""Stage 3: rules. Each rule says *what it saw*; weights.toml says how much that counts.

Three kinds of rule are declared in ``data/rules.toml``:

* ``pattern`` – phrases matched on the folded text (run by ``patterns.py``);
* ``builtin`` – a small function registered here by slug, reasoning over entities and the knowledge base;
* ``meta`` – a combination of other rules (``meta.py``), SpamAssassin-style: parts count, wholes count more.

One builtin is not run with the others: MK120 (``reported.py``) is the **second look** the engine gives a
message the rules left "suspicious" (``second_look``), since all it can decide is "suspicious" or "scam".

Order matters only in one direction: builtins may look at which pattern rules fired (a phone number is a
"call-back number" when the text also threatens or names a brand), and meta rules look at everything.
"""

from __future__ import annotations

import functools
from typing import Callable

from ..knowledge import Knowledge, RuleSpec
from .base import Context, Hit
from . import (brands, company, cut_link, gates, links, mail, mail_links, mail_newsletter, mail_sender, meta, patterns,
               phones, reported, shape, wording)

Builtin = Callable[[Context], list[Hit]]

# The one registry of builtin rules: slug → (function, what it needs). A rule in rules.toml with
# kind = "builtin" must be here. "needs" names the entities (or "named" brands) of which at least one must
# be present for the rule to have anything to look at; the rule is skipped otherwise. "text" is always
# present (rules that read the whole message).
BUILTINS: dict[str, tuple[Builtin, tuple[str, ...]]] = {
    "legal-form-mismatch": (company.legal_form_mismatch, ("legal_names",)),
    "callback-number": (phones.callback_number, ("phones",)),
    "known-scam-number": (phones.known_scam_number, ("phones", "senders")),
    "official-number": (phones.official_number, ("phones",)),
    "unofficial-domain": (links.unofficial_domain, ("urls",)),
    "lookalike-domain": (links.lookalike_domain, ("urls", "emails")),
    "suspicious-tld": (links.suspicious_tld, ("urls",)),
    "url-shortener": (links.url_shortener, ("urls",)),
    "free-hosting": (links.free_hosting, ("urls",)),
    "ip-address-link": (links.ip_address_link, ("urls",)),
    "idn-domain": (links.idn_domain, ("urls",)),
    "official-link": (links.official_link, ("urls",)),
    "link-cut-off": (cut_link.link_cut_off, ("text",)),
    "owned-link": (links.owned_link, ("urls",)),
    "obfuscated-brand": (brands.obfuscated_brand, ("brands",)),
    "brand-never-does": (brands.brand_never_does, ("brands",)),
    "official-sender": (brands.official_sender, ("senders",)),
    "scam-like-wording": (wording.scam_like_wording, ("text",)),
    "leans-scam-like-wording": (wording.from_the_model_run, ()),  # needs nothing: never scheduled
    "warning-about-scams": (shape.warning_about_scams, ("text",)),
    "public-broadcast": (shape.public_broadcast, ("text",)),
    "similar-to-reported-scam": (reported.similar_to_reported_scam, ()),  # needs nothing: ``second_look`` runs it
    # e-mail structure: only when the input was read as an e-mail
    "display-name-brand": (mail.display_name_brand, ("mail",)),
    "display-name-address": (mail.display_name_address, ("mail",)),
    "freemail-reply-to": (mail.freemail_reply_to, ("mail",)),
    "brand-reply-elsewhere": (mail.brand_reply_elsewhere, ("mail",)),
    "link-text-brand-mismatch": (mail.link_text_brand_mismatch, ("mail",)),
    "link-text-host-mismatch": (mail.link_text_host_mismatch, ("mail",)),
    "sender-auth-failed": (mail.sender_auth_failed, ("mail",)),
    "authenticated-official-sender": (mail.authenticated_official_sender, ("mail",)),
    "malformed-from": (mail.malformed_from, ("mail",)),
    "sender-domain-invalid": (mail.sender_domain_invalid, ("mail",)),
    "recipient-in-subject": (mail.recipient_in_subject, ("mail",)),
    "disguised-letters": (mail.disguised_letters, ("mail",)),
    "unauthenticated-sender": (mail.unauthenticated_sender, ("mail",)),
    "sender-on-free-hosting": (mail.sender_on_free_hosting, ("mail",)),
    "sent-through-tenant-domain": (mail.sent_through_tenant_domain, ("mail",)),
    "all-links-shortened": (mail.all_links_shortened, ("mail",)),
    "bulk-sender-without-dmarc": (mail.bulk_sender_without_dmarc, ("mail",)),
    "image-only-html": (mail.image_only_html, ("mail",)),
    "hidden-links-elsewhere": (mail.hidden_links_elsewhere, ("mail",)),
    "random-sender-mailbox": (mail.random_sender_mailbox, ("mail",)),
    "hidden-words": (mail.hidden_words, ("mail",)),
    "sender-name-unrelated": (mail.sender_name_unrelated, ("mail",)),
    "reply-to-other-freemail": (mail.reply_to_other_freemail, ("mail",)),
    "mail-system-claim": (mail.mail_system_claim, ("mail",)),
    "organisation-at-freemail": (mail.organisation_at_freemail, ("mail",)),
    "lure-in-other-language": (mail.lure_in_other_language, ("mail",)),
    "escaped-link-host": (mail.escaped_link_host, ("mail",)),
    "undisclosed-recipients": (mail_sender.undisclosed_recipients, ("mail",)),
    "numbered-sender-name": (mail_sender.numbered_sender_name, ("mail",)),
    "one-landing-page": (mail_links.one_landing_page, ("mail",)),
    "aligned-bulk-sender": (mail_sender.aligned_bulk_sender, ("mail",)),
    "bulk-mail-shape": (mail.bulk_mail_shape, ("mail",)),
    "newsletter-without-ask": (mail.newsletter_without_ask, ("mail",)),
    "newsletter-link-tricks-only": (mail_newsletter.newsletter_link_tricks_only, ("mail",)),
    "lure-wording-only": (mail_newsletter.lure_wording_only, ("mail",)),
}

# The e-mail structure rules (rules/mail.py): they fire only on an e-mail read with its headers.
MAIL_RULES = frozenset(slug for slug, (function, _) in BUILTINS.items()
                       if function.__module__ in (mail.__name__, mail_sender.__name__, mail_links.__name__,
                                                   mail_newsletter.__name__))


_ENTITY_KINDS = ("phones", "urls", "emails", "brands", "legal_names", "senders")


def run(ctx: Context) -> list[Hit]:
    """Run every rule in declaration order of kind: patterns, then builtins, then meta rules."""
    _run_patterns(ctx)
    _run_builtins(ctx)
    _run_meta(ctx)
    return list(ctx.hits.values())


def second_look(ctx: Context, total: int) -> list[Hit]:
    """The hits of MK120 for a message whose score ``total`` (after ``run``) is in the "suspicious" band; none
    for any other. Added to ``ctx``, they count like any rule's."""
    thresholds = ctx.kb.thresholds
    if not thresholds["suspicious"] <= total < thresholds["scam"]:
        return []
    hits = reported.similar_to_reported_scam(ctx)
    ctx.add(hits)
    return hits


def _run_patterns(ctx: Context) -> None:
    """Only the matchers whose gate words and other required words occur in the text are tried (gates.py).
    Where the wording model reads the text, its look-ups find most gate words (``onepass``)."""
    pattern_rules = ctx.kb.rules_by_kind["pattern"]
    lookups = ctx.lookups
    keyed = lookups.gate_words if lookups is not None else None
    for rule, matchers in gates.opened(ctx.norm.folded.text, ctx.kb, keyed).items():
        hits = patterns.match(pattern_rules[rule], ctx, matchers)
        if hits:
            ctx.add(hits)


def _run_builtins(ctx: Context) -> None:
    """A builtin runs only when an entity it needs is present (most messages have no link, many no number).
    Which kinds are absent is told by a tuple of flags, made without a call: the set of their names that
    ``_builtins_for`` takes is made once per combination (``_builtins_by_absence``)."""
    e = ctx.entities
    absent = (not e.phones, not e.urls, not e.emails, not e.brands, not e.legal_names, not e.senders, not ctx.mail)
    for function in _builtins_by_absence(ctx.kb, absent):
        hits = function(ctx)
        if hits:
            ctx.add(hits)


def _run_meta(ctx: Context) -> None:
    """Each meta rule in order, seeing the meta rules before it. Most of them lack a whole group on most
    messages: that test is made here, so that they cost no call (``meta.match`` makes it again). A message
    with none of the options of any meta rule's narrowest group (a third of the benchmark's) is passed over
    with one test: no meta rule can fire there, so none can make a later one fire either."""
    present = meta.present_options(ctx)
    metas, narrowest = _meta_groups(ctx.kb)
    if narrowest is not None and present.isdisjoint(narrowest):
        return
    for spec, groups in metas:
        for group in groups:
            if present.isdisjoint(group):
                break
        else:
            hits = meta.match(spec, ctx, present)
            if hits:
                ctx.add(hits)
                for hit in hits:
                    present.add(hit.slug)


@functools.cache
def _meta_groups(kb: Knowledge
                 ) -> tuple[tuple[tuple[RuleSpec, tuple[frozenset[str], ...]], ...], frozenset[str] | None]:
    """Each meta rule with its ``all_of`` groups as sets, narrowest first, for ``_run_meta``'s test (every
    group must hold, in any order): ``isdisjoint`` walks the smaller of two sets (the few options present),
    where it walked a group's tuple (up to 15 options) and hashed each option against the options present;
    and every option of any rule's narrowest group, of which a message must hold one for any to fire (None
    if a meta rule has no group, which nothing stops)."""
    metas = tuple((spec, tuple(sorted(map(frozenset, spec.all_of), key=len))) for spec in kb.rules_by_kind["meta"])
    if not all(groups for _, groups in metas):
        return metas, None
    return metas, frozenset().union(*(groups[0] for _, groups in metas))


@functools.cache
def _builtins_by_absence(kb: Knowledge, absent: tuple[bool, ...]) -> tuple[Builtin, ...]:
    """``_builtins_for`` the kinds present: ``absent`` holds ``not`` of each of ``_ENTITY_KINDS`` and then of
    the e-mail."""
    kinds = [kind for kind, gone in zip((*_ENTITY_KINDS, "mail"), absent, strict=True) if not gone]
    return _builtins_for(kb, frozenset(["text", *kinds]))


def _builtins_for(kb: Knowledge, present: frozenset[str]) -> tuple[Builtin, ...]:
    """The builtin rules, in declaration order, that need one of the ``present`` kinds of entity (not cached
    itself: ``_builtins_by_absence`` keeps each combination's answer, one cache to clear)."""
    plan = (BUILTINS[spec.slug] for spec in kb.rules_by_kind["builtin"])
    return tuple(function for function, needs in plan if not present.isdisjoint(needs))


__all__ = ["BUILTINS", "MAIL_RULES", "Context", "Hit", "run", "second_look"]
