"""E-mail rules of issue 12's seventeenth and eighteenth rounds: what a "scam" call on a genuine-looking mail needs.

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

MK119 lure-wording-only – an e-mail whose only findings are lure wording: a prize, a delivery, an offer or a
                          job, "click here", a deadline. Nothing in its headers, sender or links was found
                          wrong, it names no brand or institution, and it asks for nothing a scam is after
                          (``SCAM_EVIDENCE``, or a reply). weights.toml ``[caps]`` keeps it below "scam".

Why: the phrase weights were fitted on text messages, where the words are all there is. An e-mail read with its
headers has more to show, and a newsletter whose list shape MK073 and MK089 do not recognise counted its "you
could win… click here" in full: MK016 + MK043 are 60 on their own (``benchmarks/email.py --shape-off``: 1 of the
121 dev hard-ham mails and 3 of the 2,040 easy-ham ones called scam on exactly those two, one more on a missed
delivery with "click here"). A prize scam's harm comes after the lure, when it asks for a fee, bank details, a wire
transfer or gift cards (the FTC's "Winners are losers" alert): those asks, and any forged sender or hidden link,
lift the cap.
"""

from __future__ import annotations

from ..score import is_phrase
from .base import Context, Hit
from .mail import SIGN_IN_ASKS, newsletter_shape
from .mail_sender import WEAK_FINDINGS

# What a scam mail shows and a bulk newsletter does not (a fired one of these keeps MK118 from firing).
# Asks and threats: what a phishing mail is after (MK083's ``SIGN_IN_ASKS``: a sign-in, a code, a payment, an app), a
# number to call or a chat to move to, money sent or a fee before a release, an attachment to open, and the
# threats that drive them (legal action, an authority's accusation, extortion, a charge to dispute).
ASKS_AND_THREATS = frozenset((*SIGN_IN_ASKS, "callback-number", "call-this-number", "callback-request",
                              "known-scam-number",
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
# shape: MK089's weak ones (``WEAK_FINDINGS``: ad links shown as one host and sent through another, pictures, one
# landing page, a blind copy) and MK077, which fires only beside one of them or beside a finding that is
# itself in ``SCAM_EVIDENCE`` or cancels the shape. Hidden words are among MK089's weak ones but are
# ``HIDDEN`` here: MK088 is written never to fire on a newsletter's hidden preview line.
AD_TRICKS = WEAK_FINDINGS - HIDDEN | {"sender-name-unrelated"}


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


# A lure that asks for a reply is a lottery's or a stranger's first step ("reply with your details to claim"):
# not capped. (It is not in SCAM_EVIDENCE: a list post asks for replies as a matter of course, and MK118 lets it.)
LURE_ASKS = frozenset(("reply-request",))
# An institution or a sender tag claimed in the wording (MK046 claim-pretext-ask's first group): the lure is then
# someone's notice, not an advert. A brand named in the prose (``Context.named``) counts the same way.
WORDED_CLAIMS = frozenset(("organisation-claim", "sender-tag"))


def lure_wording_only(ctx: Context) -> list[Hit]:
    """MK119 (context, weight 0; weights.toml ``[caps]`` holds the score below "scam"): an e-mail that MK073 did
    not find shaped like a newsletter, whose every finding that counts is a phrase finding (``score.is_phrase``:
    no header, sender, link or brand finding counts), none of them an ask, threat or claim (``SCAM_EVIDENCE``,
    ``LURE_ASKS``, ``WORDED_CLAIMS``), which names no brand, and whose lure words reach "suspicious" on their
    own (below that the cap has nothing to hold). It runs last of the builtins, so it sees every finding but
    the meta rules', whose parts these are. Measured on the dev halves only, dev mails called scam
    before → after: ``benchmarks/email.py --shape-off`` hard ham 1 → 0 of 121, easy ham 4 → 0 of 2,040;
    ``--list-off`` (MK089 silenced too) 12 → 3 and 28 → 4. Without a margin it fires on no dev ham mail; 11 of
    the 5,419 extra dev phishing mails called scam are suspicious instead (prize lures with nothing else
    against them: still flagged), and none of the 150 Phishing Pot dev mails changed."""
    if ctx.mail is None or not ctx.mail.traced or ctx.named or ctx.fired("bulk-mail-shape"):
        return []  # a mail program's copy without its servers' headers cannot show that nothing is wrong there
    rules, weights = ctx.kb.rule_by_slug, ctx.kb.own_weights
    lures = []
    for slug, hit in ctx.hits.items():
        if weights[slug] <= 0:
            continue
        if not is_phrase(rules[slug]) or slug in SCAM_EVIDENCE or slug in LURE_ASKS or slug in WORDED_CLAIMS:
            return []
        lures.append(hit)
    # Only where the cap can matter: the lure's words reach "suspicious" before any combination adds to them (a
    # mail with one "click here" is clean, and a finding saying "suspicious at most" would only be noise there).
    if sum(weights[hit.slug] for hit in lures) < ctx.kb.thresholds["suspicious"]:
        return []
    evidence = tuple(sorted(hit.evidence[0] for hit in lures if hit.evidence))
    return [Hit("lure-wording-only", evidence, {"count": len(lures)})] if evidence else []
