"""Intake: a forwarded e-mail as a mail program writes it, turned into an e-mail source for ``mail``.

People forward a suspicious e-mail to themselves, or copy it out of the forward they made, and paste that:

    ---------- Forwarded message ---------            (Gmail)
    From: Amazon <account-update@amaz0n-security.top>
    Date: Mon, 30 Nov 2026 at 09:41
    Subject: Your account is on hold
    To: <me@gmail.com>

    Dear customer, …

Outlook writes "-----Original Message-----" or a rule of underscores and "From: … Sent: … To: … Subject: …"
(「差出人: … 送信日時: … 宛先: … 件名: …」 in Japanese), Apple Mail "Begin forwarded message:". The lines are the
forwarded mail's header as the program showed it, not text of the message: read as prose, the marker and the
names and dates dilute its wording (dev probe, fold models: 19 of 303 Japanese scams lost their verdict under a
Japanese forward header) and its sender goes unjudged. So the block is rewritten as the header of an e-mail
source (From, To, Cc, Reply-To, Subject; the date is no fact a rule reads) with the body under it, and the e-mail
intake parses it like any pasted mail program's copy: it holds none of the headers servers add
(``mail.Mail.traced``), so its body is read as a text and its From by the sender rules. Whatever the person
wrote above the marker ("Is this real?") is theirs, not the message's, and is left out.
"""

from __future__ import annotations

import re

# The line a mail program puts over a forwarded message (at most a few short lines of the person's own above it).
_MARKER = re.compile(
    r"^[ \t>]*(?:-{2,}[ \t]*(?:forwarded message|original message|転送メッセージ|転送されたメッセージ|元のメッセージ)"
    r"[ \t]*-{2,}|begin forwarded message:|_{10,})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_MARKER_REACH = 400  # characters of the person's own note a marker may stand under
# A header line as the programs show it, in English or Japanese, and the e-mail field it stands for.
_FIELD = re.compile(r"[ \t>]*(from|sent|date|to|cc|subject|reply-to|差出人|送信者|送信日時|日時|日付|宛先|件名)"
                    r"[ \t]*[:：][ \t]*(.*)", re.IGNORECASE)
_AS_HEADER = {"from": "From", "差出人": "From", "送信者": "From", "to": "To", "宛先": "To", "cc": "Cc",
              "reply-to": "Reply-To", "subject": "Subject", "件名": "Subject"}
# Outlook's older form of an address: "Name [mailto:name@example.com]".
_MAILTO = re.compile(r"\[mailto:([^\]\s]+)\]", re.IGNORECASE)


def source(text: str) -> str | None:
    """The forwarded message in ``text`` as an e-mail source (header lines, a blank line, the body), or None
    when ``text`` does not open with a forward: a marker line within its first ``_MARKER_REACH`` characters,
    then header lines that name the sender and one more field."""
    head = text[:_MARKER_REACH]
    # a first look in C (a regex of alternatives would be tried at every position of every message)
    if "--" not in head and "__" not in head and "orwarded" not in head:
        return None
    marker = _MARKER.search(head)
    if marker is None:
        return None
    lines = text[marker.end():].lstrip("\r\n").split("\n")
    header: list[str] = []
    named: set[str] = set()
    for n, line in enumerate(lines):
        field = _FIELD.fullmatch(line.rstrip("\r"))
        if field is None:
            break
        label = field.group(1).lower()
        named.add(_AS_HEADER.get(label, label))
        if label in _AS_HEADER:
            header.append(_AS_HEADER[label] + ": " + _MAILTO.sub(r"<\1>", field.group(2)).strip())
    else:
        n = len(lines)
    if "From" not in named or len(named) < 2:
        return None
    body = "\n".join(lines[n:]).lstrip("\r\n")
    return "\n".join(header) + "\n\n" + body
