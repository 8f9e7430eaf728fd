"""MK123 link-cut-off: a link was cut out of the message, and what pointed at it is left.

What it detects: a text whose last words point at something and then stop: a colon with nothing after it
(「本人認証の設定 :」, "resolve the issue here:"), a pointing arrow (⇒, ▼), 「こちら」 or 「下記より」, or a verb left
without its object ("Please go to"), a bulk sender's opt-out line after it aside ("Reply STOP to opt out").
In a text with no link at all, also a button's label left on a line of its own ("Cancel Now", 「ご利用内容を
確認する」), as an e-mail turned into text keeps it.

Why it matters: a page that quotes a scam removes its link and leaves exactly this, and the ask (open the
link) is still what the message is for. Perturbation probe on dev scams (fold models, round 20): with each
link removed, 13 of 81 English and 4 of 77 Japanese dev scams with links went from flagged to clean, 7 of
them ending so; with this rule 4 of the 7 stay flagged (the others name no pretext it could be read with).
The pretext before the cut is read with it, as with any link whose destination is unknown: link-with-pretext,
claim-pretext-ask, brand-link-lure, conversation-lure, wording-with-ask.

Not flagged: a colon followed by what it introduces ("Details:" and a list), a message that ends on a full
sentence. Alone it counts nothing (weights.toml): a genuine sale text whose link was cut ends the same way
(dev: one shop's text), so it is no lure of its own, and it is not among the asks that cancel a warning's
discount (rules/shape.py): a warning may end on "Attachments:".

References: issue 9, category 4 (the link is masked or missing but the ask is still there).
"""

from __future__ import annotations

import re

from ..entities import _span
from .base import NO_PARAMS, Context, Hit, new_hit

# Only the end of a message is read: the pointer is its last words.
_TAIL = 200
# A bulk sender's opt-out after the cut: "Reply STOP to opt out", "Text STOP to opt-out".
_OPT_OUT = re.compile(r"\s*\b(?:reply|text|txt|send)\s+stop\b[^\n]*\s*\Z")
# What points at something that should follow: a colon or an arrow, 「こちら」/「下記より」, or a verb or
# preposition that needs its object ("go to", "visit", "log in at").
_POINTER_END = re.compile(r"(?:[:⇒→➡▼↓👇]|\b(?:go to|visit|via|log ?in at|sign ?in at)"
                          r"|(?:こちら|下記|以下)(?:から|より|へ|にて)?)[ \t]*\Z")
# The pointer is in the body's last characters (its longest form, "sign in at", and the \b before it): the
# search starts there, since ``re`` cannot search backwards from the end.
_POINTER_REACH = 16
# At most this much of the last line before the pointer is shown as evidence.
_EVIDENCE_CHARS = 40


# A button's label left on a line of its own when the page turned the e-mail into text and dropped the link
# under it: a short line that is an account chore in the imperative ("Cancel Now", "Verify your account",
# "[Update Billing Information]", 「ご利用内容を確認する」, 「お手続きはこちら」). Read only in a text with no link
# at all (where there is one, the label may name it). Dev: such lines in 36 scams and 7 genuine messages (two
# security notices that show their link, warnings listing steps).
_BUTTON_LABEL = (
    r"[ \t*•>\-\[▼▽⇒→■]*(?:(?:cancel|confirm|verify|review|update|sign in|log ?in|release|restore|view|keep|"
    r"upgrade|clean-up|validate|unlock|reactivate|claim|pay)\b[\w \-]{0,30}?|"
    r"[^\n。、!?]{1,12}(?:を確認する|を更新する|手続きへ|へログイン|にログイン)|"
    r"[^\n。、!?]{1,12}(?:確認|手続き?|ログイン|お支払い|更新|変更)はこちら)[\]*]?[ \t]*$")
# On the first line, or after a line break: a search for "\n" first skips to each line end in C, where "^" in
# multi-line mode would be tried at every character.
_BUTTON_FIRST_LINE = re.compile(_BUTTON_LABEL, re.MULTILINE)
_BUTTON_LINE = re.compile("\n" + _BUTTON_LABEL, re.MULTILINE)


def link_cut_off(ctx: Context) -> list[Hit]:
    """The pointer at the message's end, with the words of its line before it, when no link follows it; in a
    text with no link, also a button's label on a line of its own. Not on an e-mail read with its headers
    (the e-mail rules judge its links and its HTML's buttons)."""
    if ctx.mail is not None:
        return []
    text = ctx.norm.folded.text
    button = None if ctx.entities.urls else _button(text)
    if button is not None:
        return [new_hit(("link-cut-off", (_span(ctx.norm, ctx.norm.folded, *button),), NO_PARAMS, None))]
    offset = max(0, len(text) - _TAIL)
    tail = text[offset:]
    opt_out = _OPT_OUT.search(tail) if "stop" in tail else None
    body = tail[:opt_out.start() if opt_out else len(tail)].rstrip()
    pointer = _POINTER_END.search(body, max(0, len(body) - _POINTER_REACH))
    if pointer is None:
        return []
    cut = _span(ctx.norm, ctx.norm.folded, offset + pointer.start(), offset + pointer.end())
    if any(u.span.start < cut.start <= u.span.end + 1 for u in ctx.entities.urls):
        return []  # a link is right before it: "Visit https://…:" points at that link
    evidence = _span(ctx.norm, ctx.norm.folded, offset + _sentence_start(body, pointer.start()),
                     offset + pointer.end())
    return [new_hit(("link-cut-off", (evidence,), NO_PARAMS, None))]


def _button(text: str) -> tuple[int, int] | None:
    """Where the first button label left on a line of its own is, if any."""
    first = _BUTTON_FIRST_LINE.match(text)
    if first is not None:
        return first.span()
    later = _BUTTON_LINE.search(text)
    return (later.start() + 1, later.end()) if later is not None else None


def _sentence_start(body: str, pointer: int) -> int:
    """Where the evidence starts: the sentence, clause or line that holds the pointer, at most ``_EVIDENCE_CHARS``
    before it."""
    window = max(0, pointer - _EVIDENCE_CHARS)
    ends = [body.rfind(mark, window, pointer) for mark in "\n。、!?"] + [body.rfind(". ", window, pointer)]
    found = max(ends)
    return window if found < 0 else found + (2 if body.startswith(". ", found) else 1)
