"""E-mail sender rules of issue 12's twelfth round: what the envelope and the recipient list say.

MK089 aligned-bulk-sender     – context: a mail that declares itself bulk (List-Unsubscribe, List-Id,
                                Precedence, a list manager's headers, or an unsubscribe note in its body) whose
                                sending domain is consistent: an organisation's own domain whose envelope sender
                                (Return-Path) or DKIM signer is on that domain and which links to its own site,
                                or a list server whose bounces go to its List-Id's domain (or, with no
                                List-Id, to the domain of the list address it answers to, or to its
                                List-Unsubscribe address's domain, which it links to); the topmost
                                Authentication-Results does not contradict it; no sender-level structure finding. Its phrase
                                findings count less (weights.toml ``[phrase_discounts]``), as MK073's do, but a
                                weak link-level finding (MK065, MK075, MK076, MK079, MK088, MK115, with the MK077
                                it brings along) or a blind-copy addressing (MK114) does not cancel it:
                                one misfiring weak rule no longer turns a newsletter's "click here" and "winner"
                                into full-weight evidence (DMARC's identifier alignment, RFC 7489 3.1; Rspamd's
                                maillist module and SpamAssassin's list detection for the discount).
MK114 undisclosed-recipients  – the To header is the "undisclosed-recipients:;" group: the mail went out in
                                blind copy to people it does not name (Rspamd R_UNDISC_RCPT, SpamAssassin
                                UNDISC_RECIPS). Weak alone (a school mails parents so); it adds up.
MK117 numbered-sender-name    – the From name carries a notice's reference number (twelve digits or more) and
                                the address is a personal free-mail box: a numbered notice is a company's, and a
                                company writes from its own domain (SpamAssassin FREEMAIL_FROM with the name it
                                signs, as MK082).

They run after the structure rules of ``rules/mail.py`` (declared after them in ``BUILTINS``), before MK073.
"""

from __future__ import annotations

import re

from ..knowledge import Knowledge
from ..mail import HeaderFact, Mail
from .base import Context, Hit
from .mail import (_STRUCTURE_SLUGS, _display_span, _dkim_aligned, _link_domains, _own_links, _reg,
                   _replies_to_list, personal_mailbox)

# Link-level structure findings weak enough (weights.toml: 15–25) that one of them may be a genuine
# newsletter's ad server or picture layout, and independent of who sent the mail. Every other structure
# finding is about the sender or a strong link tell (a brand's site shown, an escaped host) and cancels MK089.
_LINK_LEVEL = frozenset(("link-text-host-mismatch", "all-links-shortened", "hidden-links-elsewhere",
                         "image-only-html", "hidden-words", "one-landing-page"))

# How the mail was addressed, not who sent it: a copy in blind copy (MK114, weight 10, "a school mails parents
# so"). Beside a consistent sending domain it is as weak as one link-level finding, and counts as one: when it
# cancelled MK089, a newsletter's phrases went to full weight for a sign worth 10 (``benchmarks/email.py
# --misfire undisclosed-recipients``: 13 of the 121 dev hard-ham mails called scam, now 1).
_WEAK_ADDRESSING = frozenset(("undisclosed-recipients",))

# The weak findings MK089 allows one of.
WEAK_FINDINGS = _LINK_LEVEL | _WEAK_ADDRESSING

# The structure findings that say something is wrong with the sender (or a strong link tell): every one that
# cancels MK073 (``rules/mail.py _STRUCTURE_SLUGS``, one list to keep) but the weak ones above.
_SENDER_LEVEL = tuple(slug for slug in _STRUCTURE_SLUGS if slug not in WEAK_FINDINGS)


def _sender_level_fired(ctx: Context) -> bool:
    """Did a sender-level structure finding (``_SENDER_LEVEL``) fire, other than MK077 ``sender-name-unrelated``
    riding on a link-level one? MK077 needs another sign beside it (``_NAME_GATES``); when none of those is
    sender-level (MK072, MK078, MK070, MK087 are, and would be here themselves), its only reason is the one
    weak link-level finding this rule already allows, and a product's name ("CNET Delivers"
    <…@newsletter.online.com>) on a sending domain that the envelope or DKIM shows consistent is the
    newsletter's own, not one borrowed for a spare domain (RFC 7489 3.1). Without this, one misfiring link
    rule brought MK077 with it and turned the phrases of 7 of the 121 dev hard-ham newsletters into
    full-weight evidence (``benchmarks/email.py --misfire hidden-links-elsewhere``: 5.8 % called scam, now 0.8 %)."""
    return any(ctx.fired(slug) for slug in _SENDER_LEVEL if slug != "sender-name-unrelated") or (
        ctx.fired("sender-name-unrelated") and not any(ctx.fired(slug) for slug in _LINK_LEVEL))


def _envelope_aligned(mail: Mail, sender: HeaderFact) -> HeaderFact | None:
    """The Return-Path when it is on the From address's registrable domain (DMARC's relaxed SPF-identifier
    alignment, RFC 7489 3.1.2): the bounces come back to the organisation that signs the mail. A forger's
    bulk kit bounces to wherever it sends from, rarely to the domain it writes in From."""
    path = mail.header("return-path")
    if path is None or not path.domain or _reg(path.domain) != _reg(sender.domain):
        return None
    return path


def _auth_agrees(mail: Mail) -> bool:
    """Does the topmost Authentication-Results (when there is one) not contradict the sender: DMARC did not
    fail, and at least one of SPF, DKIM, DMARC passed? Without the header (mail read before 2005, or a
    source pasted without it) nothing contradicts it; MK072 and MK066 judge the header when it is there."""
    auth = mail.auth
    if auth is None:
        return True
    if auth.dmarc == "fail":
        return False
    return auth.spf == "pass" or auth.dkim == "pass" or auth.dmarc in ("pass", "bestguesspass")


def _list_server(ctx: Context) -> HeaderFact | None:
    """For a list server's redistribution: the Return-Path when it is on the List-Id's own domain (RFC 2919: the
    list's namespace; Mailman's "razor-users-admin@lists.example.net" bouncing for
    <razor-users.lists.example.net>), or, for a list server that writes no List-Id (Lyris ListManager, Topica),
    on the domain of its List-Unsubscribe address when the mail links to that domain too (RFC 2369: the list
    server's command address; "bounce-history-40846@ls1.sendoutmail.com" beside
    "<mailto:leave-history-40846@ls1.sendoutmail.com>"). The list server stamps these; a member's From is
    anyone's. A forged List-Id names a namespace nobody holds ("<R3iTqhuuy.xt.local>"), or one its bounces do
    not go to; a bulk kit's List-Unsubscribe and bounces sit on its mailing service's domains, not on the site
    it links to."""
    mail = ctx.mail
    path = mail.header("return-path")
    if path is None or not path.domain:
        return None
    bounces = _reg(path.domain)
    if mail.mailing_list and mail.list_domain:
        return path if bounces == mail.list_domain else None
    if bounces in mail.unsubscribe_domains and bounces in _link_domains(ctx):
        return path
    return None


def _list_answering_itself(mail: Mail, kb: Knowledge) -> HeaderFact | None:
    """For a discussion list that answers to itself (``_replies_to_list``: Reply-To is the list address the
    mail was sent to) but writes no List-Id: the Return-Path when it is on that list address's registrable
    domain, and neither is a free-mail provider's ("One Income Living" <OneIncomeLiving@groups.msn.com>,
    bouncing to OneIncomeLiving-bounce@groups.msn.com; a list without List-Id whose server
    bounces to itself, RFC 2369's idea of a list's own addresses). A 419 script that mails its own collecting
    box and blind-copies the victims also has its Reply-To in To, but at a free-mail provider, bouncing there."""
    path, reply = mail.header("return-path"), mail.header("reply-to")
    if path is None or not path.domain or not _replies_to_list(mail):
        return None
    if personal_mailbox(path.domain, kb) or personal_mailbox(reply.domain, kb):
        return None
    return path if _reg(path.domain) == _reg(reply.domain) else None


def aligned_bulk_sender(ctx: Context) -> list[Hit]:
    """MK089 (context, weight 0): declared bulk mail (``Mail.bulk`` or ``Mail.unsubscribe_note``) whose
    sending domain is consistent, and which the topmost Authentication-Results does not contradict
    (``_auth_agrees``); no sender-level structure finding (``_sender_level_fired``) and at most one weak one
    (``WEAK_FINDINGS``: link-level, or MK114's blind copy). Consistent means either a list server's redistribution
    whose bounces go to the List-Id's own domain (``_list_server``) or, for a list that writes no List-Id but
    answers to itself, to the domain of that list address (``_list_answering_itself``: its addressing declares it list mail), or an organisation's own domain (not a personal free-mail box)
    whose Return-Path is on the From domain (``_envelope_aligned``) or whose DKIM signature is aligned with it,
    and which links to its own site (``_own_links``). Its phrase findings then count at MK073's discount
    even beside that one link-level finding, which counts in full: a newsletter's ad shown as www.sponsor.com
    and sent through an ad server is such a finding, and it used to cancel MK073 and turn every "click here"
    and "winner" (or a list footer's job advert) into full-weight evidence (14.9 % of the dev hard ham called
    scam when MK065 misfired once: ``benchmarks/email.py --misfire``). MK083's −10 still needs MK073."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or sender is None or not sender.domain or sender.address_span is None:
        return []
    answering = _list_answering_itself(mail, ctx.kb)
    if not (mail.bulk or mail.unsubscribe_note or answering) or not _auth_agrees(mail):
        return []
    if sum(ctx.fired(slug) for slug in WEAK_FINDINGS) > 1 or _sender_level_fired(ctx):
        return []
    server = _list_server(ctx)
    if server is not None and server.address_span is not None:
        return [Hit("aligned-bulk-sender", (sender.line, server.address_span),
                    {"domain": _reg(server.domain), "method": "List-Id, Return-Path" if mail.list_domain else
                     "List-Unsubscribe, Return-Path"})]
    if answering is not None and answering.address_span is not None:
        return [Hit("aligned-bulk-sender", (sender.line, answering.address_span),
                    {"domain": _reg(answering.domain), "method": "Reply-To, Return-Path"})]
    if personal_mailbox(sender.domain, ctx.kb):
        return []
    path = _envelope_aligned(mail, sender)
    signed = _dkim_aligned(ctx, sender.domain)
    own = _own_links(ctx, _reg(sender.domain)) if path or signed else []
    if not own:
        return []
    proof = path.address_span if path is not None and path.address_span is not None else mail.auth.line
    return [Hit("aligned-bulk-sender", (sender.address_span, proof, own[0]),
                {"domain": _reg(sender.domain), "method": "DKIM" if signed else "Return-Path"})]


def undisclosed_recipients(ctx: Context) -> list[Hit]:
    """MK114: the To header is the empty group "undisclosed-recipients:;" (RFC 5322 3.4's group syntax, the
    name mail programs write when every recipient is in Bcc). A notice from a company or a bank is addressed
    to its customer; a blind-copied mail to strangers is the shape of bulk fraud (Rspamd R_UNDISC_RCPT,
    SpamAssassin UNDISC_RECIPS). Weak alone: a school or a club writes to parents in Bcc too."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if mail is None or not mail.undisclosed or sender is None:
        return []
    return [Hit("undisclosed-recipients", (sender.line,))]  # the To line is read, never shown: who sent it


# A notice's reference number in a sender name ("Protocolo: 57188720698041", "Cod. 3391350884491727"): one run of
# twelve digits or more, longer than a phone number as people write it (national numbers have ten or eleven
# digits), so that "Maria 11987654321" stays out.
_REFERENCE_NUMBER = re.compile(r"(?<!\d)\d{12,}(?!\d)")


def numbered_sender_name(ctx: Context) -> list[Hit]:
    """MK117: the From name carries a notice's reference number, twelve digits or more ("[BB] - Comunicado ao
    cliente - Cod. 3391350884491727", "Caixa Tem - Protocolo 186553793753752"), and the address is a personal
    free-mail box (``<sel553r@gmail.com>``). A case, contract or protocol number is what a company's notice
    carries, and a company writes from its own domain; a per-message number in the name of a personal box
    also makes every copy unlike the last, as a filter-evading mailer does (SpamAssassin FREEMAIL_FROM with
    the name it signs, as MK082 reads a name). A person's name with their own number as the mailbox stays
    out. Extra dev Phishing Pot mails (the repository beyond the sample): 31 with it, 29 of them clean before."""
    mail = ctx.mail
    sender = mail.header("from") if mail else None
    if sender is None or sender.display is None or sender.address_span is None or \
            not personal_mailbox(sender.domain, ctx.kb):
        return []
    number = _REFERENCE_NUMBER.search(sender.display.text)
    if number is None or number.group() in sender.address:
        return []
    return [Hit("numbered-sender-name", (_display_span(ctx, sender, number.start(), number.end()),
                                         sender.address_span),
                {"number": number.group(), "domain": sender.domain},
                ctx.kb.mail_sender_sources.get("organisation_names"))]
