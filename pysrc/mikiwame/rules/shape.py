"""MK053 warning-about-scams and MK054 public-broadcast: messages that quote scam wording but ask nothing.

Police and city crime-alert mails, consumer-centre newsletters and a bank's "we will never ask" notice quote
the scams they warn about, so the phrase rules fire on the quotation. What tells them apart from a scam is
not their words but their *ask*: a warning sends you to the police, 188 or the authority's own site; a scam
(even one posing as a warning) sends you to a link or number of its own that cannot be verified.

So these rules fire when the message talks about scams (MK035: two or more marker phrases, repeats counted; a
line that announces the quoted message counts as one, ``_introduced``) or has the wording of a public broadcast
(MK036), **and** has no ask of its own outside quotation marks (nested 「…「…」…」 pairs included, and a block of
lines the warning announces and goes on under): no
link off every known brand's, public body's and accredited institution's (.edu) domains, no phone number
that is not labelled as a police or public office, written beside such an institution's address, or given
as where to find out more or as the issuer's help line (「詳しくは」, 「ご相談は」, "for more information",
"call us": the issuer's own contact line), no request to reply, pay or move to another app (an ask the
warning reports in the third person, 「…させる」 or "asks you to …", is the scam's, not its own), and (for a
short warning) no pretext written to the reader.
A long warning (four or more marker phrases) describes the scam's links and asks without quotation marks, so
only a number reported in scams cancels it. Their discount (weights.toml) then makes the quoted scam wording
count far less; the findings are still shown.
"""

from __future__ import annotations

import re

from ..entities import Span, _span, inside
from ..normalise import GENUINENESS_EN, GENUINENESS_JA, line_spans
from .base import Context, Hit

# Quotation marks people use around a quoted message: 「」『』 (which nest: a quoted scam has its own
# 「三菱UFJ銀行」 inside, so they are matched as pairs by depth, ``_bracketed``), “”, "" and ‘’ (folded text keeps
# all of them).
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]{4,800}\"|‘[^‘’]*’")  # a plain "…" may hold a quoted message's lines
_BRACKET = re.compile(r"[「」『』]")
_CLOSES = {"「": "」", "『": "』"}
# A warning that quotes the scam as a block of its own lines, without quotation marks, announces it on the line
# before: the line names a message or an example (「…メールが届いています」, "text message", "Sample") and says
# that it follows: it ends with a colon, is a heading of its own (【メールの例】, <実際に届いたメッセージ>), or points
# ahead (「次の」「以下の」「このような」, "the following", "below", "as follows", "shown here").
_ANNOUNCED = re.compile(r"sms|メール|メッセージ|ショートメール|文面|文章|本文|例|サンプル|"
                        r"\b(?:texts?|messages?|e-?mails?|sms|example|sample)\b")
_POINTS_AHEAD = re.compile(r"[:：]\s*$|次の|以下|下記|このような|こんな|こちらの|\b(?:following|below|as follows|shown here|"
                           r"like this|such as this)\b")
_HEADING = re.compile(r"\s*[【\[<〈《][^\n【】\[\]<>〈〉《》]{1,30}[】\]>〉》]\s*")  # a line that is a closed heading
# A line that opens by looking back at the quote is the warning's again: 「以上のようなメッセージは無視し」,
# 「※上記は詐欺です」, "The above message is fake" (a scam's own 「上記URLから」 stands inside its lines).
_POINTS_BACK = re.compile(r"[\s※*・]*(?:以上の|上記|前記|the above\b)")
_SEPARATOR = re.compile(r"\s*[-=_~*―ー─━‐]{3,}\s*$")
_INTRODUCER_MAX = 120  # an announcing sentence is short; a longer one is prose
# A line's announcing is read in its last sentence ("… from the council. An example is below:").
_LAST_SENTENCE = re.compile(r"(?:(?<=[.。!?！？])\s*|^)[^.。!?！？]*[.。!?！？:：]?$")
# After the quote a warning goes on in its own voice: it advises (「開かずに削除してください」, 「無視し」, 「ご相談ください」,
# "Do not click", "Delete it", "Report it") or says what the message is (a marker of MK035). A person who shows
# what they got goes on otherwise ("What should she do?", 「よろしくお願いします」): their block is the message itself.
_WARNING_VOICE = re.compile(
    r"(?:開か|押さ|タップせ|クリックせ|アクセスせ|返信せ|応じ|入力せ|教え)(?:ず|ないで)|ないで(?:ください|下さい)|"
    r"ないよう(?:に)?(?:ご?注意|してください|しましょう|お願い)|(?:ない|ず)(?:に)?[、,]?[^。\n]{0,12}?(?:削除|無視|破棄|相談)|"
    r"無視(?:して|しましょう)|削除(?:して|しましょう)|通報(?:して|しましょう|を)|ご?相談(?:ください|しましょう)|ご?注意(?:ください|しましょう)|"
    r"\b(?:(?:do not|don.t|never) (?:click|tap|open|reply|respond|call|share|give|enter|pay|follow|use)|"
    r"(?:delete|ignore|report|block) (?:it|this|them|the|these|such|any)|beware|be careful|be cautious|"
    r"not genuine|not from us|did not come from us)\b")
# The person who pastes a message asks about it on its first or last line, or in the line that shows it ("Is this
# a scam? I got this today:", 「以下のメッセージが届いたのですが、詐欺でしょうか。」, 「怪しいですか？」). A warning tells;
# a person asks whether it is real: such a text is the message they were sent, not a warning about it. The words
# are the ones normalise drops a question line by (``GENUINENESS_*``).
_PERSON_ASKS = re.compile(
    rf"(?:{GENUINENESS_JA})(?:メール)?(?:な|なの|なん)?(?:です|でしょう|だろう)?(?:か(?:ね|な)?(?:[?？。]|$)|[?？])"
    rf"|\b(?:is|are) (?:this|it|these|that|they) (?:text |message |e-?mail )?(?:a |an )?(?:{GENUINENESS_EN})\b"
    r"[^.\n]{0,30}\?")
# A number is a warning's own contact (not an ask to distrust) when a public office is named just before it.
_PUBLIC_OFFICE = re.compile(
    r"(?:警察署?|県警|府警|道警|警視庁|交番|市役所|区役所|町役場|村役場|役場|消費生活センター|消費者センター|"
    r"消費者ホットライン|police|council|trading standards|citizens advice)[^\n]{0,24}$")
_PRETEXT_RULES = ("account-locked", "unusual-login-alert", "credential-request", "unpaid-bill-claim",
                  "charge-notice", "redelivery-lure", "prize-or-refund-lure", "authority-accusation")
# Words that address the reader's own account, card or parcel.
_TO_READER = re.compile(r"お客様|お客さま|ご利用の|あなたの|貴方の|会員様|\byour\b|\bdear\b")
_ASK_RULES = ("reply-request", "money-transfer-request", "move-to-chat", "app-install-request", "link-reference",
              "code-share-request")
# A warning reports the scam's ask instead of making it: 「アプリをインストールさせる」, 「振り込むよう求める」,
# "they ask you to install an app". Such an ask phrase is the scam's, described in the third person.
# A case report narrates what the victim did or was told: 「アプリをインストールしてしまった」,
# 「…を教えて。」と言われ」 (the closing mark of a quotation whose opening mark the page lost).
_REPORTED_AFTER = re.compile(r"(?:さ|)せ(?:る|られ|て|た)|(?:する|させる|の)?よう(?:に)?(?:求め|促|誘導|指示|言|要求|仕向)|"
                             r"(?:を)?(?:求め|促|要求)(?:る|られ|て|た)|(?:へ|に)?誘導|"
                             r"(?:[^「」『』\n]{0,6}?[」』])?と(?:言わ|いわ|指示|聞か|頼ま)|"
                             r"(?:して|し)?(?:しまっ|しまいまし)た|(?:して|し)?しまい|(?:して|し)た|したところ|しました")
_REPORTED_BEFORE = re.compile(r"\b(?:asks?|asking|tells?|telling|urges?|urging|instructs?|instructing|directs?|"
                              r"tricks?|tricking|lures?|luring|gets?|getting|persuades?|pressur(?:e|es|ing))"
                              r" (?:you|victims|people|recipients|customers|them|users|the (?:recipient|victim)s?)"
                              r" (?:to|into)\b[^.\n]{0,30}$")
# Advice against the ask is not an ask: 「リンクをクリック・タップしない」, "do not click the link".
_ADVISED_AGAINST_AFTER = re.compile(r"[^。\n]{0,12}?(?:しない|せず|しては(?:いけ|なり)ません|ないで|ないよう|ないこと)")
_ADVISED_AGAINST_BEFORE = re.compile(r"\b(?:do not|don.t|never|avoid|not to)\b[^.\n]{0,20}$")
# Where a warning's issuer says to find out more (「詳しくは」, 「お問い合わせ先」, "for more information") or names
# its help line (「ご相談は」, 「相談窓口」, 「関連情報」, "call us", "report scam texts at"; after the line:
# 「…にご相談ください」, "… to find out more"): a number or link there is the issuer's own contact line, not the
# scam's ask, when nothing else marks it as risky (a number on a mobile or IP line, which no office gives as its
# contact; a link another rule finds risky: a look-alike, a shortener, an odd TLD, free hosting, a bare address;
# a number reported in scams). Dev warnings probed with such a line added (out-of-fold models): with
# the first pointers 13 of 118 Japanese and 3 to 19 of 85 English went from clean to flagged; with the help-line
# labels 0 to 2 Japanese and 4 to 7 English (those English warnings have too few markers to be recognised at
# all). Dev scams with a warning line put in front were discounted no more often for it (108 of 303 Japanese,
# 87 of 326 English, before and after the labels were added).
_INFO_POINTER = re.compile(
    r"(?:詳しくは|詳細は|お?問い?合わ?せ(?:先|窓口)?(?:は)?|【お?問い?合わ?せ】|ご?相談(?:は|先|窓口)|相談窓口|"
    r"関連(?:情報|リンク|サイト)|参考(?:情報|リンク|サイト)|通報(?:先|は)|"
    r"\b(?:for (?:more|further) (?:information|details|info)|more (?:information|info|details)|further "
    r"(?:information|details)|enquiries|inquiries|(?:call|contact|phone|ring) us|report (?:it|them|this|scams?|"
    r"(?:scam|suspicious|fraudulent) (?:texts?|messages?|emails?|calls?)))\b)[^\n。]{0,20}$")
# The same pointer after the link: "visit https://… to find out more", "https://… for advice".
_INFO_AFTER = re.compile(r"[^\S\n]{0,3}(?:(?:まで|に|へ)ご?相談|(?:to (?:find out|learn|read) more|for (?:more|further) "
                         r"(?:information|details|info)|for (?:help|advice|support))\b)")
_NOT_AN_OFFICE_LINE = ("mobile", "ip")
_RISKY_FINDINGS = ("lookalike-domain", "url-shortener", "suspicious-tld", "free-hosting", "ip-address-link",
                   "idn-domain", "known-scam-number")
_MIN_MARKERS = 2
_CONTACT_REACH = 80  # characters between a number and the institution's address on one contact line
_STRONG = 4


def quoted_spans(ctx: Context, introduced: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
                 ) -> list[tuple[int, int]]:
    """Spans of the folded text a warning quotes: inside quotation marks, or a block of lines a line announces
    (``_introduced``, passed in when the caller has it already)."""
    text = ctx.norm.folded.text
    blocks = _introduced(ctx) if introduced is None else introduced
    return [*(m.span() for m in _QUOTED.finditer(text)), *_bracketed(text), *(b for _, b in blocks)]


def _bracketed(text: str) -> list[tuple[int, int]]:
    """Each outermost 「…」 or 『…』 pair with whatever it holds, nested pairs included (a closing mark with no
    opening one before it, or an opening one never closed, makes no pair)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _BRACKET.finditer(text):
        mark = m.group()
        if mark in _CLOSES:
            stack.append((_CLOSES[mark], m.start()))
        elif stack and stack[-1][0] == mark:
            _, start = stack.pop()
            if not stack:
                spans.append((start, m.end()))
        else:
            stack.clear()  # a stray closing mark: what was open cannot be told apart any more
    return spans


def _introduced(ctx: Context) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """``(announcing line, quoted block)`` for each block of lines under a line that announces a quoted message
    (``_introduces``), up to a blank line, a separator or heading line, or a line in the warning's own voice (one
    with a marker of MK035 talks-about-scams). A block counts only where the warning goes on under it in its own
    voice (``_WARNING_VOICE`` or a marker): one that runs to the end of the text shows no end, and what comes last
    may be the sender's own ask (a scam posing as a warning that "shows" a message); one under which a person
    asks for help is the message they were sent."""
    text = ctx.norm.folded.text
    if _ANNOUNCED.search(text) is None:
        return []  # no line can announce a message: the loop below would find none
    hit = ctx.hits.get("talks-about-scams")
    markers = [_folded_start(ctx, s) for s in hit.evidence] if hit else []
    lines = line_spans(text)
    blocks = []
    for i, (a, b) in enumerate(lines[:-1]):
        if not _introduces(text[a:b]):
            continue
        j = i + 1
        while j < len(lines) and _set_off(text, *lines[j]):
            j += 1  # blank or separator lines between the announcement and the quote
        k = j + 1  # the quote's first line may be its own heading (【三菱UFJ銀行】)
        while k < len(lines) and not _ends_quote(text, *lines[k], markers):
            k += 1
        if j < k < len(lines) and _goes_on_warning(text, lines, k, markers):
            blocks.append(((a, b), (lines[j][0], lines[k - 1][1])))
    return blocks


def _goes_on_warning(text: str, lines: list[tuple[int, int]], k: int, markers: list[int]) -> bool:
    """Does the paragraph right under a quote (from line ``k`` to the next blank line) speak in the warning's own
    voice? Only that paragraph: further down, a pasted phishing mail's own later paragraphs carry notice-like
    advice (「心当たりのない場合は本メールを破棄」) that is the scam's, not a warning's."""
    while k < len(lines) and not text[lines[k][0]:lines[k][1]].strip():
        k += 1
    end = k
    while end < len(lines) and text[lines[end][0]:lines[end][1]].strip():
        end += 1
    if k == len(lines):
        return False
    start, stop = lines[k][0], lines[end - 1][1]
    return _WARNING_VOICE.search(text, start, stop) is not None or any(start <= p < stop for p in markers)


def _person_asks(ctx: Context, introduced: list[tuple[tuple[int, int], tuple[int, int]]]) -> bool:
    """Does the person who pasted the text ask whether it is real (``_PERSON_ASKS``) on its first or last line, or
    in a line that shows a message under it (``introduced``)? (The folded view has dropped a question alone on
    such a line, so the original's lines are read.)"""
    lines = [line for line in ctx.norm.original.lower().splitlines() if line.strip()]
    text = ctx.norm.folded.text
    shown = [text[a:b] for (a, b), _ in introduced]
    return any(_PERSON_ASKS.search(line) for line in (*lines[:1], *lines[-1:], *shown))


def _introduces(line: str) -> bool:
    """Does this line's last sentence announce a quoted message under it (``_ANNOUNCED`` and ``_POINTS_AHEAD``, or
    a heading)? ("We are aware of texts that appear to come from the council. An example is below:")"""
    last = _LAST_SENTENCE.search(line.rstrip())
    said = last.group() if last else line
    if len(said) > _INTRODUCER_MAX or not _ANNOUNCED.search(said):
        return False
    return bool(_POINTS_AHEAD.search(said) or _HEADING.fullmatch(said))


def _ends_quote(text: str, start: int, end: int, markers: list[int]) -> bool:
    """A blank, separator or heading line, or one in the warning's own voice (a marker, or a look back at the
    quote): the quote stops above it."""
    return (_set_off(text, start, end) or _HEADING.fullmatch(text, start, end) is not None
            or any(start <= p < end for p in markers) or _POINTS_BACK.match(text, start, end) is not None)


def _set_off(text: str, start: int, end: int) -> bool:
    """A blank or separator line: where a quoted block starts or stops."""
    return not text[start:end].strip() or _SEPARATOR.fullmatch(text, start, end) is not None


def _folded_start(ctx: Context, span: Span) -> int:
    """Where an entity's span starts in the folded view (entities keep original offsets)."""
    return ctx.norm.folded.position(span.start)


def own_asks(ctx: Context, numbers: bool = True, quotes: list[tuple[int, int]] | None = None) -> list[Span]:
    """The message's own unverifiable asks outside quotations (``quotes``: ``quoted_spans``, when the caller has
    them): links off known brands', public bodies' and accredited institutions' domains, numbers neither
    labelled as a public office nor beside such an institution's address, and requests to reply, pay or switch
    apps."""
    quotes = quoted_spans(ctx) if quotes is None else quotes
    text = ctx.norm.folded.text
    asks: list[Span] = []
    for url in ctx.entities.urls:
        start = _folded_start(ctx, url.span)
        if url.masked or inside(start, quotes) or _info_pointer(ctx, url.span, start):
            continue
        if ctx.kb.owner_of(url.host) is None and not ctx.kb.is_institution(url.host, url.registrable_domain):
            asks.append(url.span)
    for phone in ctx.entities.phones if numbers else ():
        start = _folded_start(ctx, phone.span)
        if phone.number in ctx.kb.official_numbers or inside(start, quotes):
            continue
        if phone.type not in _NOT_AN_OFFICE_LINE and _info_pointer(ctx, phone.span, start):
            continue
        if not _PUBLIC_OFFICE.search(text[max(0, start - 40):start]) and not _beside_own_address(ctx, start):
            asks.append(phone.span)
    for slug in _ASK_RULES:
        hit = ctx.hits.get(slug)
        if hit:
            asks += [s for s in hit.evidence if not inside(_folded_start(ctx, s), quotes)
                     and not _reported(ctx, s) and not (slug == "link-reference" and _labels_a_link(ctx, s))]
    if ctx.fired("known-scam-number"):
        asks += list(ctx.hits["known-scam-number"].evidence)
    return asks


def _info_pointer(ctx: Context, span: Span, start: int) -> bool:
    """Is the number or link at ``span`` (``start`` in the folded text) where the issuer says to find out more
    (``_INFO_POINTER`` just before it), with no risk rule's evidence on it?"""
    text = ctx.norm.folded.text
    end = ctx.norm.folded.position(span.end - 1) + 1
    if not (_INFO_POINTER.search(text, max(0, start - 40), start) or _INFO_AFTER.match(text, end)):
        return False
    return not any(e.start < span.end and span.start < e.end
                   for slug in _RISKY_FINDINGS if (hit := ctx.hits.get(slug)) for e in hit.evidence)


def _beside_own_address(ctx: Context, start: int) -> bool:
    """A number written next to an address at a domain only an institution can hold ("soc@utah.edu or
    801-587-1925", "helpdesk@….edu … or via phone …") is the institution's own contact line: a campus IT
    warning's help desk, not a number of its own to distrust."""
    return any(abs(_folded_start(ctx, e.span) - start) <= _CONTACT_REACH
               and ctx.kb.is_institution(e.domain, e.registrable_domain) for e in ctx.entities.emails)


def _labels_a_link(ctx: Context, span: Span) -> bool:
    """「アドレス(URL) https://…」, "link below: https://…": the words only point at a link that is there, and
    the link itself was judged above (a masked or quoted one is the scam's). So is a quoting page's
    placeholder (「（URL省略）」, "[link removed]"), which MK024 reads as well: it is the masked link itself."""
    return any(0 <= url.span.start - span.end <= 12 or 0 <= span.start - url.span.end <= 12
               or (url.masked and url.span.start < span.end and span.start < url.span.end)
               for url in ctx.entities.urls)


def _reported(ctx: Context, span: Span) -> bool:
    """Is this ask phrase the scam's ask as a warning reports it (「…させる」, "asks you to …") or advice
    against it (「クリックしない」, "do not click")?"""
    text = ctx.norm.folded.text
    start = _folded_start(ctx, span)
    end = ctx.norm.folded.position(span.end - 1) + 1 if span.end > span.start else start
    return bool(_REPORTED_AFTER.match(text, end, min(len(text), end + 12)) or
                _REPORTED_BEFORE.search(text[max(0, start - 60):start]) or
                _ADVISED_AGAINST_AFTER.match(text, end, min(len(text), end + 20)) or
                _ADVISED_AGAINST_BEFORE.search(text[max(0, start - 30):start]))


def own_pretexts(ctx: Context, quotes: list[tuple[int, int]] | None = None) -> list[Span]:
    """Pretext evidence outside quotation marks (``quotes`` as for ``own_asks``) written to the reader ("your
    card", お客様の…): a phishing e-mail that copies a bank's "beware of phishing" footer still states its own
    pretext, while a short warning quotes the scam's pretext or describes it in the third person."""
    quotes = quoted_spans(ctx) if quotes is None else quotes
    text = ctx.norm.folded.text
    found: list[Span] = []
    for slug in _PRETEXT_RULES:
        hit = ctx.hits.get(slug)
        for s in hit.evidence if hit else ():
            start = _folded_start(ctx, s)
            if not inside(start, quotes) and _TO_READER.search(text[max(0, start - 40):start + 40]):
                found.append(s)
    return found


def _markers(hit: Hit | None) -> int:
    """How many warning phrases the message uses (up to the rule's evidence limit; none inside a link or an
    address, rules/patterns.py). Repeats count: a warning says "scam" or 詐欺 again and again, a scam posing
    as a warning hardly ever does."""
    return len(hit.evidence) if hit else 0


def warning_about_scams(ctx: Context) -> list[Hit]:
    """A message that talks about scams at length (``_STRONG`` different markers or more) describes and
    quotes the scam's asks without quotation marks ("they get you to install an app", a scam's link), so
    only a number publicly reported in scams makes it a scam posing as a warning; a message with fewer
    markers must have no unverifiable ask of its own at all."""
    hit = ctx.hits.get("talks-about-scams")
    if hit is None:
        return []
    markers, evidence = _markers(hit), hit.evidence
    introduced = _introduced(ctx)
    if markers < _MIN_MARKERS:
        # A line that announces the quoted message ("An example is below:", 「次のようなSMSが届いています」) and
        # a quote that ends before the warning goes on are the other half of a short warning.
        if not introduced or markers + 1 < _MIN_MARKERS:
            return []
        evidence = (*evidence, _span(ctx.norm, ctx.norm.folded, *introduced[0][0]))
    if markers >= _STRONG:
        if ctx.fired("known-scam-number"):
            return []
    else:
        quotes = quoted_spans(ctx, introduced)
        if own_asks(ctx, quotes=quotes) or own_pretexts(ctx, quotes=quotes):
            return []
    if _person_asks(ctx, introduced):
        return []
    return [Hit("warning-about-scams", evidence)]


def public_broadcast(ctx: Context) -> list[Hit]:
    """A broadcast names its issuing office's number; only a link off public domains or a request to pay,
    reply or switch apps is an ask of its own."""
    hit = ctx.hits.get("broadcast-markers")
    if hit is None or own_asks(ctx, numbers=False):
        return []
    return [Hit("public-broadcast", hit.evidence)]
