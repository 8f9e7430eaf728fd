"""MK001 legal-form-mismatch: the company is named with the wrong legal form.

Why it matters: the seed case. Amazon Japan is アマゾンジャパン合同会社; the fake SMS signs "アマゾンジャパン(株)".
Scammers rarely know (or care) which legal form the real company has.
"""

from __future__ import annotations

from .base import Context, Hit


def legal_form_mismatch(ctx: Context) -> list[Hit]:
    hits = []
    for ln in ctx.entities.legal_names:
        brand = ln.brand
        if not brand.legal_form or ln.form == brand.legal_form:
            continue
        hits.append(Hit(
            "legal-form-mismatch",
            (ln.span,),
            {"brand": {"ja": brand.name_ja, "en": brand.name_en}, "legal_name": brand.legal_name,
             "seen": ln.seen.text},
            brand.source("legal_name"),
        ))
    return hits
