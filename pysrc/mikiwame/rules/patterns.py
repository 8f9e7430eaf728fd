"""Declarative phrase rules: any pattern of the rule matching the folded text is a hit."""

from __future__ import annotations

import re

from ..entities import _span, inside
from ..knowledge import RuleSpec
from .base import NO_PARAMS, Context, Hit, in_mail_opening, new_hit

MAX_EVIDENCE = 3
# Context rules (talks-about-scams) are judged by how many different phrases they find: keep more.
MAX_CONTEXT_EVIDENCE = 8


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# What ends a sentence, for ``said_of_another`` (the folded text has "!" and "?" for "！" and "？").
_SENTENCE_ENDS = ".!?。\n"


def said_of_another(subject: re.Pattern[str], text: str, start: int) -> bool:
    """Is the match at ``start`` said of someone other than the reader: does ``subject`` (a rule's
    ``unless_before``) find, in the words of the match's sentence before it, a subject such as "we" or
    「当社」 with no word for the reader after it? "We will restore services as soon as possible" and "the
    district immediately notified parents" report what the sender or a third party does; "please reply as
    soon as possible" asks it of you."""
    head = text[max(0, start - 200):start]
    return subject.search(head[max(map(head.rfind, _SENTENCE_ENDS)) + 1:]) is not None


def denied(denial: re.Pattern[str], text: str, end: int) -> bool:
    """Does the sentence go on to deny what the match asks (a rule's ``unless_after``, matched where the match
    ends)? A bank's notice 「パスワードを入力させることはありません」 says it never asks it; a scam asks it."""
    stop = min((at for ch in _SENTENCE_ENDS if (at := text.find(ch, end, end + 60)) != -1), default=end + 60)
    return denial.match(text, end, stop) is not None


def match(spec: RuleSpec, ctx: Context, opened: list[int] | None = None) -> list[Hit]:
    """Evidence of the rule's patterns; ``opened`` limits the search to the matchers whose gate words are
    in the text (all of them when None)."""
    if spec.requires_no and any(getattr(ctx.entities, kind) for kind in spec.requires_no):
        return []
    view = ctx.norm.folded
    text = view.text
    found: list[tuple[int, int]] = []
    limit = MAX_CONTEXT_EVIDENCE if spec.category == "context" else MAX_EVIDENCE
    matchers = spec.matchers
    subject = spec.subject_filter
    denial = spec.denial_filter
    for i in range(len(matchers)) if opened is None else opened:
        pattern, boundary, _ = matchers[i]
        # Most opened matchers find nothing: one search says so without making an iterator. From the first
        # match on, finditer gives what it gives from the start of the text (look-behinds still see the
        # text before ``pos``; tests/test_speed_paths.py compares the hits with a plain scan).
        first = pattern.search(text)
        if first is None:
            continue
        for m in pattern.finditer(text, first.start()):
            start, end = m.span()
            if end == start or (boundary and start and _is_word_char(text[start - 1])):
                continue
            if subject is not None and said_of_another(subject, text, start):
                continue
            if denial is not None and denied(denial, text, end):
                continue
            found.append((start, end))
            if len(found) >= limit:
                break
    if not found:
        return []
    found.sort()
    kept: list[tuple[int, int]] = []
    for start, end in found:  # two patterns of one rule often cover the same words: keep the first
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    evidence = [_span(ctx.norm, view, a, b) for a, b in kept]
    if spec.category == "context" and (ctx.entities.urls or ctx.entities.emails):
        # A marker inside a link or an address is the link's words ("phishing@…", a quoting page's 【偽サイトの
        # URL】 placeholder), not the message's.
        links = ctx.link_spans
        evidence = [e for e in evidence if not any(a.start <= e.start < a.end for a in links)]
        if not evidence:
            return []
    if ctx.mail is not None and ctx.mail.not_own:
        # Not on a reply's quoted lines (``mail.quoted_lines``) or in a list server's footer (``mail.list_footer``):
        # the earlier message's words and the list's are not this sender's.
        evidence = [e for e in evidence if not inside(e.start, ctx.mail.not_own)]
        if not evidence:
            return []
    if spec.mail_opening is not None and ctx.mail is not None:
        # An offer past an e-mail's opening is a newsletter's ad block or link index, not its lure (rules.toml).
        evidence = [e for e in evidence if in_mail_opening(ctx, e.start, spec.mail_opening)]
        if not evidence:
            return []
    return [new_hit((spec.slug, tuple(evidence), NO_PARAMS, spec.source))]
