"""Stage 3: rules. Each rule says *what it saw*; weights.toml says how much that counts.

Three kinds of rule are declared in ``data/rules.toml``:

* ``pattern`` – phrases matched on the folded text (run by ``patterns.py``);
* ``builtin`` – a small function registered here by slug, reasoning over entities and the knowledge base;
* ``meta`` – a combination of other rules (``meta.py``), SpamAssassin-style: parts count, wholes count more.

Order matters only in one direction: builtins may look at which pattern rules fired (a phone number is a
"call-back number" when the text also threatens or names a brand), and meta rules look at everything.
"""

from __future__ import annotations

from typing import Callable

from .base import Context, Hit
from . import brands, company, links, meta, patterns, phones

Builtin = Callable[[Context], list[Hit]]

# The one registry of builtin rules: slug → function. A rule in rules.toml with kind = "builtin" must be here.
BUILTINS: dict[str, Builtin] = {
    "legal-form-mismatch": company.legal_form_mismatch,
    "callback-number": phones.callback_number,
    "known-scam-number": phones.known_scam_number,
    "unofficial-domain": links.unofficial_domain,
    "lookalike-domain": links.lookalike_domain,
    "suspicious-tld": links.suspicious_tld,
    "url-shortener": links.url_shortener,
    "free-hosting": links.free_hosting,
    "ip-address-link": links.ip_address_link,
    "idn-domain": links.idn_domain,
    "official-link": links.official_link,
    "obfuscated-brand": brands.obfuscated_brand,
    "brand-never-does": brands.brand_never_does,
    "official-sender": brands.official_sender,
}


def run(ctx: Context) -> list[Hit]:
    """Run every rule in declaration order of kind: patterns, then builtins, then meta rules."""
    kinds = ctx.kb.rules_by_kind
    for spec in kinds["pattern"]:
        ctx.add(patterns.match(spec, ctx))
    for spec in kinds["builtin"]:
        ctx.add(BUILTINS[spec.slug](ctx))
    for spec in kinds["meta"]:
        ctx.add(meta.match(spec, ctx))
    return list(ctx.hits.values())


__all__ = ["BUILTINS", "Context", "Hit", "run"]
