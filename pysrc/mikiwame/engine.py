"""The pipeline in one place: normalise → entities → rules → score → verdict → report (a message the rules
leave "suspicious" gets one more rule, a second look, before its verdict: ``rules.second_look``)."""

from __future__ import annotations

from typing import NamedTuple

from . import LANGS, MAX_CHARS
from . import mail as mail_intake
from .entities import extract
from .intake import decode
from .knowledge import Knowledge, load
from .mail import Mail
from .normalise import normalise
from .report import (Report, advice_steps, entities_dict, finding, header_entities, mail_dict, official_spans,
                     plain_json, plain_json_utf8, render, without_official_evidence)
from . import forwarded, onepass, templates
from .rules import Context, Hit, run, second_look
from .rules.wording import reads
from .score import counted_weights, score
from .verdict import Verdict, verdict


def check(text: str, lang: str = "ja") -> Report:
    """Check one message. ``lang`` chooses the language of the explanations ("ja" or "en").

    A pasted e-mail source (text that starts with a header block, see ``mail.looks_like_email``) is read as
    an e-mail; any other text never reaches the e-mail parser."""
    if not isinstance(text, str):
        raise TypeError(f"check() needs a str, not {type(text).__name__}")
    return _check(*intake(text), lang=lang)


def check_bytes(data: bytes, lang: str = "ja") -> Report:
    """Check a file's bytes: an e-mail (.eml, message/rfc822) is decoded as its headers and MIME parts say;
    anything else is decoded like the command line's standard input (``intake.decode``: UTF-8, UTF-16/32,
    Shift_JIS, EUC-JP, ISO-2022-JP), and binary data raises ``intake.NotText`` — never a silent "clean"."""
    if not isinstance(data, (bytes, bytearray, memoryview)) and hasattr(data, "to_bytes"):
        data = data.to_bytes()  # a JavaScript Uint8Array from the page's worker (Pyodide's JsBuffer)
    data = bytes(data)
    if mail_intake.looks_like_email_bytes(data):
        parsed = mail_intake.parse_bytes(data)
        if parsed is not None:
            return _check(parsed.text, parsed, lang)
    return _check(text_of_bytes(data), None, lang)


def text_of_bytes(data: bytes) -> str:
    """A text file's characters (``intake.decode``); raises ``intake.NotText`` for binary data."""
    return decode(data).text


def check_bytes_json(data: bytes, lang: str = "ja") -> str:
    """``check_bytes`` as compact JSON (the page's file intake uses exactly this)."""
    return check_bytes(data, lang).to_json()


def context(text: str, parsed: Mail | None, kb: Knowledge) -> Context:
    """What the rules receive for ``text``: its normalised views and entities, and the parsed e-mail (for an
    e-mail, ``text`` is its shown text ``parsed.text``, cut to MAX_CHARS)."""
    norm = normalise(text)
    # one pass over the trigrams the wording model reads, which also finds the brand aliases and gate words
    lookups = onepass.lookups(norm.folded.text, kb) if reads(norm.folded.text, parsed) else None
    ents = extract(norm, kb, lookups.aliases if lookups is not None else None)
    if parsed is not None:
        ents = mail_intake.shown_entities(ents, parsed, len(text))
    return Context(norm, ents, kb, mail=parsed, lookups=lookups)


def intake(text: str) -> tuple[str, Mail | None]:
    """The text to check and the parsed e-mail: a pasted e-mail source, or a forwarded message's header as a
    mail program wrote it (``forwarded``), becomes its shown text; any other text is itself and never reaches
    the parser."""
    source = text if mail_intake.looks_like_email(text) else forwarded.source(text)
    if source is not None:
        parsed = mail_intake.parse_text(source)
        if parsed is not None:
            return parsed.text, parsed
    return text, None


class Decision(NamedTuple):
    """What the rules decided about one text, before anything is written for the reader."""

    ctx: Context
    hits: list[Hit]
    weights: dict[str, int]  # each fired rule's weight as it counts in this message
    score: int
    verdict: Verdict


def decide(analysed: str, parsed: Mail | None, kb: Knowledge) -> Decision:
    """normalise → entities → rules → score → verdict over the text to analyse."""
    ctx = context(analysed, parsed, kb)
    hits = run(ctx)
    weights = counted_weights(hits, kb)
    total = score(weights, kb.caps)
    if second_look(ctx, total):  # left "suspicious": worded like a reported scam? (rules.second_look)
        hits = list(ctx.hits.values())
        weights = counted_weights(hits, kb)
        total = score(weights, kb.caps)
    return Decision(ctx, hits, weights, total, verdict(total, kb))


def _check(text: str, parsed: Mail | None, lang: str) -> Report:
    """The pipeline over one text (an e-mail's shown text when ``parsed`` is given)."""
    lang = _known(lang)
    kb = load()
    truncated = len(text) > MAX_CHARS
    analysed = text[:MAX_CHARS]
    ctx, hits, weights, total, result = decide(analysed, parsed, kb)
    ents = ctx.entities
    findings = tuple(sorted((finding(kb.rule_by_slug[h.slug], h, lang, weights[h.slug]) for h in hits),
                            key=lambda f: (-f.weight, f.id)))
    named = ctx.named_brands
    entities = entities_dict(ents, kb, named, lang)
    official = official_spans(entities)
    if official:
        findings = tuple(f if kb.rule_by_slug[f.slug].shows_official else without_official_evidence(f, official)
                         for f in findings)
    texts = kb.advice["verdict"][result]
    notices = []
    if truncated:
        notices.append(render(kb.advice["notice"][f"truncated_{lang}"], {"limit": f"{MAX_CHARS:,}"}, lang))
    if not analysed.strip():
        notices.append(kb.advice["notice"][f"empty_{lang}"])
    if parsed is not None:
        notices.append(kb.advice["notice"][f"email_{lang}"])
        entities["headers"] = header_entities(parsed, ctx, kb)
    return Report(
        verdict=result, score=total, thresholds=dict(kb.thresholds), lang=lang,
        headline=texts[f"headline_{lang}"], summary=texts[f"summary_{lang}"],
        findings=findings, entities=entities,
        advice=advice_steps(result, findings, named, kb, lang),
        truncated=truncated, notices=tuple(notices), data_version=kb.data_version,
        email=mail_dict(parsed, ctx, kb, lang) if parsed is not None else None,
    )


def check_json(text: str, lang: str = "ja") -> str:
    """The report as compact JSON (the page and the CLI's --json use exactly this; --jsonl writes its UTF-8,
    ``check_json_utf8``): byte for byte ``check(text, lang).to_json()``.

    A plain message (not an e-mail source, not over MAX_CHARS, not blank: nearly every one in a batch) has
    its JSON written straight from the rules' decision (``report.plain_json``), without the Finding and
    Report objects that would only be turned into JSON again; tests/test_speed_paths.py holds the two
    equal. Anything else takes ``check``."""
    if not _plain(text):
        return check(text, lang).to_json()
    kb = load()
    return plain_json(decide(text, None, kb), _known(lang), kb)


def check_json_utf8(text: str, lang: str = "ja") -> bytes:
    """``check_json(text, lang).encode("utf-8", "replace")``, for the batch mode, which writes bytes: a plain
    message's report from ``report.plain_json_utf8`` (its repeating parts kept encoded); anything else
    takes ``check``."""
    if not _plain(text):
        return check(text, lang).to_json().encode("utf-8", "replace")
    kb = load()
    return plain_json_utf8(decide(text, None, kb), _known(lang), kb)


def _plain(text: object) -> bool:
    """A message whose JSON can be written straight from the rules' decision: text, not blank, within
    MAX_CHARS, and not an e-mail source (those take ``check``, which adds notices and the e-mail's facts)."""
    return (isinstance(text, str) and len(text) <= MAX_CHARS and not text.isspace() and text != ""
            and not mail_intake.looks_like_email(text))


def _known(lang: str) -> str:
    """The report's language: ``lang`` when there are texts for it, else English (as ``check`` does)."""
    return lang if lang in LANGS else "en"


def warm_up() -> None:
    """Load every data file and compile every pattern now, so the first real check is fast."""
    check("アマゾンジャパン(株) https://www.amazon.co.jp/ 03-1234-5678 a m a z o n", "ja")
    check("Amazon: your account is locked", "en")  # all-ASCII text has scanners of its own
    check(_WARM_MAIL, "ja")  # the e-mail intake: email package, html.parser, the ISO-2022-JP codec
    # MK120's index of reported scams (46 ms here, built on the first "suspicious" message otherwise): the
    # page's start-up snapshot keeps it, 0.8 MB more of the snapshot's download, so that no session's first
    # suspicious check waits for it.
    templates.library()


# A pasted source with an RFC 2047 ISO-2022-JP subject and an HTML part: loads every module the e-mail
# path needs (so build.py's import trace keeps them and the start-up snapshot has them imported).
_WARM_MAIL = (
    "From: =?ISO-2022-JP?B?GyRCJSIlXiVzGyhC?= <info@example.com>\r\n"
    "Reply-To: a@example.org\r\nSubject: =?ISO-2022-JP?B?GyRCJCpDTiRpJDsbKEI=?=\r\n"
    "Authentication-Results: mx.example.net; dkim=none; spf=pass; dmarc=none\r\n"
    "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    "PHA+PGEgaHJlZj0iaHR0cDovL2V4YW1wbGUubmV0LyI+d3d3LmFtYXpvbi5jby5qcDwvYT48L3A+\r\n"
)
