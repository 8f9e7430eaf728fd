"""The pipeline in one place: normalise → entities → rules → score → verdict → report."""

from __future__ import annotations

from . import LANGS, MAX_CHARS
from .entities import extract
from .knowledge import load
from .normalise import normalise
from .report import Report, advice_steps, entities_dict, finding, official_spans, render, without_official_evidence
from .rules import Context, run
from .score import score
from .verdict import verdict


def check(text: str, lang: str = "ja") -> Report:
    """Check one message. ``lang`` chooses the language of the explanations ("ja" or "en")."""
    if not isinstance(text, str):
        raise TypeError(f"check() needs a str, not {type(text).__name__}")
    lang = lang if lang in LANGS else "en"
    kb = load()
    truncated = len(text) > MAX_CHARS
    analysed = text[:MAX_CHARS]
    norm = normalise(analysed)
    ents = extract(norm, kb)
    ctx = Context(norm, ents, kb)
    hits = run(ctx)
    total = score(hits, kb)
    result = verdict(total, kb)
    findings = tuple(sorted((finding(kb.rule_by_slug[h.slug], h, lang) for h in hits),
                            key=lambda f: (-f.weight, f.id)))
    named = ctx.named_brands
    entities = entities_dict(ents, kb, named, lang)
    official = official_spans(entities)
    if official:
        findings = tuple(without_official_evidence(f, official) for f in findings)
    texts = kb.advice["verdict"][result]
    notices = []
    if truncated:
        notices.append(render(kb.advice["notice"][f"truncated_{lang}"], {"limit": f"{MAX_CHARS:,}"}, lang))
    if not analysed.strip():
        notices.append(kb.advice["notice"][f"empty_{lang}"])
    return Report(
        verdict=result, score=total, thresholds=dict(kb.thresholds), lang=lang,
        headline=texts[f"headline_{lang}"], summary=texts[f"summary_{lang}"],
        findings=findings, entities=entities,
        advice=advice_steps(result, findings, named, kb, lang),
        truncated=truncated, notices=tuple(notices), data_version=kb.data_version,
    )


def check_json(text: str, lang: str = "ja") -> str:
    """The report as compact JSON (the page and the CLI's --json/--jsonl use exactly this)."""
    return check(text, lang).to_json()


def warm_up() -> None:
    """Load every data file and compile every pattern now, so the first real check is fast."""
    check("アマゾンジャパン(株) https://www.amazon.co.jp/ 03-1234-5678 a m a z o n", "ja")
    check("Amazon: your account is locked", "en")  # all-ASCII text has scanners of its own
