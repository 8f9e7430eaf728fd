"""E-mail rule of issue 12's seventeenth round: what a "scam" call on a newsletter needs.

MK118 newsletter-link-tricks-only – a newsletter's or list's shape with a consistent sender (MK073's), which
                                    only an ad server's link tricks stand against (the weak link-level
                                    findings MK089 tolerates one of, and the MK077 they bring along), and
                                    nothing a scam mail needs and a bulk newsletter does not produce: no ask for
                                    a sign-in, code, payment or call, no threat to the reader's account, no
                                    brand claim its sender cannot carry, no forged, unreachable or
                                    unauthenticated sender, no link or word hidden from the reader
                                    (``SCAM_EVIDENCE``). weights.toml ``[caps]`` keeps such a mail below "scam":
                                    it can still be suspicious.

Why: one weak link finding cancels MK073, and a newsletter's "win a prize, click here" then counts in full;
with the finding itself and the MK077 it brings, a genuine newsletter reached "scam" on link tricks an ad
server makes (``benchmarks/email.py --misfire``: 1 of the 121 dev hard-ham mails and 7 of the 2,040 easy-ham
ones called scam). SpamAssassin's and Rspamd's list handling lower list mail's score in the same spirit;
the cap keeps the warning ("suspicious") without the accusation. It runs last of the e-mail rules (after
MK073 and MK083), and sees every pattern and builtin finding; meta rules run later, which is why
``SCAM_EVIDENCE`` names their parts, not them.
"""

from __future__ import annotations

from .base import Context, Hit
from .mail import _ASKS, newsletter_shape
from .mail_sender import _WEAK

# What a scam mail shows and a bulk newsletter does not (a fired one of these keeps MK118 from firing).
# Asks and threats: what a phishing mail is after (MK083's ``_ASKS``: a sign-in, a code, a payment, an app), a
# number to call or a chat to move to, money sent or a fee before a release, an attachment to open, and the
# threats that drive them (legal action, an authority's accusation, extortion, a charge to dispute).
ASKS_AND_THREATS = frozenset((*_ASKS, "callback-number", "call-this-number", "callback-request", "known-scam-number",
                              "move-to-chat", "fee-before-release", "advance-fee-offer", "attachment-lure",
                              "favour-request", "new-number-from-family", "legal-threat", "authority-accusation",
                              "extortion-claim", "charge-notice"))
# A brand or institution claimed by a sender who cannot carry it: in the sender name (MK060, MK081, MK082,
# MK117), the reply address (MK063), a link that shows the brand's site (MK064), a link off the named brand's
# domains or to a look-alike of them (MK003, MK004), a legal name (MK001), a brand's "we never do" (MK019), a
# disguised brand name (MK020).
BRAND_CLAIMS = frozenset(("display-name-brand", "mail-system-claim", "organisation-at-freemail", "numbered-sender-name",
                          "brand-reply-elsewhere", "link-text-brand-mismatch", "unofficial-domain", "lookalike-domain",
                          "legal-form-mismatch", "brand-never-does", "obfuscated-brand"))
# A sender who is forged, unreachable or unauthenticated: a genuine newsletter's sender is a real, consistent
# organisation, which today's receivers see pass SPF, DKIM or DMARC (Gmail's and Yahoo's bulk-sender rules).
FORGED_SENDERS = frozenset(("malformed-from", "sender-domain-invalid", "sender-auth-failed", "display-name-address",
                            "freemail-reply-to", "reply-to-other-freemail", "sender-on-free-hosting",
                            "sent-through-tenant-domain", "random-sender-mailbox", "unauthenticated-sender",
                            "bulk-sender-without-dmarc"))
# A link or word hidden from the reader: a destination that names no owner (a public shortener, a bare IP
# address, an escaped or look-alike international host) or a filter-evading disguise (mixed scripts, a hidden
# word salad). An ad server's redirect is on its owner's named domain; a newsletter hides nothing from filters.
HIDDEN = frozenset(("url-shortener", "ip-address-link", "escaped-link-host", "idn-domain", "disguised-letters",
                    "hidden-words"))
SCAM_EVIDENCE = ASKS_AND_THREATS | BRAND_CLAIMS | FORGED_SENDERS | HIDDEN

# The findings an ad server's links can make on a genuine newsletter, disregarded when MK118 asks for MK073's
# shape: MK089's weak ones (``_WEAK``: ad links shown as one host and sent through another, pictures, one
# landing page, a blind copy) and MK077, which fires only beside one of them or beside a finding that is
# itself in ``SCAM_EVIDENCE`` or cancels the shape. Hidden words are among MK089's weak ones but are
# ``HIDDEN`` here: MK088 is written never to fire on a newsletter's hidden preview line.
AD_TRICKS = _WEAK - HIDDEN | {"sender-name-unrelated"}


def newsletter_link_tricks_only(ctx: Context) -> list[Hit]:
    """MK118 (context, weight 0; weights.toml ``[caps]`` holds the score below "scam"): MK073 did not fire,
    but its shape is there once the ad-server findings (``AD_TRICKS``) are disregarded, and no finding in
    ``SCAM_EVIDENCE`` fired. Measured on the dev halves only (``benchmarks/email.py --misfire RULE``), dev mails
    called scam before → after: MK065 misfired, hard ham 1 → 0 of 121, easy ham 7 → 1 of 2,040 (a list post
    whose sender's address is on a dynamic-DNS host: MK004); MK076, MK075, MK079 or MK115 misfired, 1 → 0 and
    8 → 2; MK114 misfired, 1 → 0 and 4 → 0. No verdict of the 150 Phishing Pot dev mails or of the 7,469 extra
    dev ones changed."""
    mail = ctx.mail
    if mail is None or ctx.fired("bulk-mail-shape") or not any(ctx.fired(slug) for slug in AD_TRICKS):
        return []
    if any(ctx.fired(slug) for slug in SCAM_EVIDENCE):
        return []
    evidence = newsletter_shape(ctx, AD_TRICKS)
    if evidence is None:
        return []
    tricks = sorted(slug for slug in AD_TRICKS if ctx.fired(slug))
    return [Hit("newsletter-link-tricks-only", evidence,
                {"domain": mail.header("from").domain, "count": len(tricks)})]
