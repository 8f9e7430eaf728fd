"""Stage 1: normalise the pasted text, keeping a map back to the original.

Scammers write ``Ａｍａｚｏｎ``, ``a m a z o n``, ``аmazon`` (Cyrillic а) or ``hxxps://evil[.]top`` so that
filters miss them. Rules therefore never look at the raw text: they match a *view* of it. Every view keeps,
for each of its characters, the span of the original text it came from, so a finding's evidence is always the
exact slice of what the person pasted.

Two views are made:

* ``folded`` – NFKC (full-width letters and digits, half-width kana, ㈱ → (株)), lower case, invisible
  characters (zero-width, bidi controls, soft hyphen) removed, defanged links repaired, the lines a screen
  wrapped joined and the spaces OCR puts between lone Japanese characters removed (``_join_wrapped``), a
  kanji or dash that stands for a look-alike katakana in a katakana word read as it (``_KANA_LOOKALIKE``),
  Cyrillic or Greek look-alikes and a zero for an "o" in English words of prose read as Latin (``_latin_words``,
  ``_zeros_read``), a messaging app's own lines and the person's question at the two ends dropped
  (``_drop_screen_chrome``), and a forward mark ("Fwd: ") before the first words dropped (``_drop_forward_mark``).
* ``skeleton`` – ``folded`` plus homoglyphs mapped to Latin (Cyrillic/Greek look-alikes, ``0`` for ``o`` and
  ``rn`` for ``m`` inside words) and letters spread with spaces or dots joined up. Only brand and domain
  matching use it: it is deliberately lossy.

Views are built by a few regex rewrites that copy untouched stretches in bulk, which keeps the per-message
cost small for the CLI's batch mode.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from typing import Callable, NamedTuple

# Zero-width characters, bidi controls, soft hyphen, word joiner, BOM, variation selectors, tag characters.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
_COMBINING_SOUND_MARKS = "\u3099\u309a"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Defanged links as written on warning pages: hxxps://, [.], (.), [dot], [:]
_DEFANG = re.compile(r"\bhxxp(s?)(?=(?:\[:\]|:)//)|\[:\](?=//)|\[\.\]|\(\.\)|\[dot\]|\{\.\}")

# Letters spread out with spaces, dots or middle dots: "a m a z o n", "a.m.a.z.o.n"
_SPREAD = re.compile(r"[a-z](?<![a-z0-9][a-z])(?:[ .・･_\-]{1,2}[a-z]){3,}(?![a-z0-9])")
_SPREAD_GAP = re.compile(r"[ .・･_\-]")
# A cheap first look for _SPREAD: any spread word has a lone letter between two gaps. Its scan stops only at
# gaps, where _SPREAD's stops at every letter of a message. Only text with a non-ASCII gap still takes it
# (``_may_be_spread`` looks at the other text's byte classes).
_MAY_BE_SPREAD = re.compile(r"[ .・･_\-][a-z][ .・･_\-]")

# Homoglyphs seen in brand names and domains (Cyrillic and Greek letters that render as Latin).
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ɡ": "g", "ı": "i", "ℓ": "l",
}
_HOMOGLYPH = re.compile("[" + "".join(_HOMOGLYPHS) + "]")
# Digits standing in for letters, only when touching a Latin letter ("amaz0n", "paypa1").
_DIGIT_FOR_LETTER = re.compile(r"[013](?<=[a-z][013])(?![0-9])|[013](?=[a-z])")
_DIGITS = {"0": "o", "1": "l", "3": "e"}
_RN = re.compile(r"rn(?<=[a-z]rn)|rn(?=[a-z])")



class View(NamedTuple):
    """A transformed copy of the original text with a per-character map back into it.

    ``starts[i]``/``ends[i]`` give the original span that produced character ``i``; ``None`` means the view
    is character-for-character identical in position to the original (the common, fast case).
    """

    original: str
    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` for the view slice ``[start:end]`` (end exclusive, non-empty)."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def position(self, original: int) -> int:
        """The view index of the first character produced at or after ``original`` (the reverse of ``span``;
        ``starts`` never decreases, so a binary search)."""
        if self.starts is None:
            return original
        return bisect.bisect_left(self.starts, original)

    def maps(self) -> tuple[list[int], list[int]]:
        if self.starts is None or self.ends is None:
            n = len(self.text)
            return list(range(n)), list(range(1, n + 1))
        return self.starts, self.ends


def _rewrite(view: View, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> View:
    """Apply ``pattern``→``replace`` to a view, carrying the offset map along (``_edit``)."""
    text = view.text
    if pattern.search(text) is None:  # the common case: nothing to rewrite, no copying
        return view
    return _edit(view, [(m.start(), m.end(), replace(m)) for m in pattern.finditer(text) if m.end() > m.start()])


def _edit(view: View, edits: list[tuple[int, int, str]]) -> View:
    """Replace each ``(start, end)`` stretch of the view (in order, not overlapping) by its text, carrying the
    offset map along.

    A replacement of the same length maps character by character; any other length maps every new
    character to the whole matched stretch, so evidence widens rather than drifts. When no replacement
    changes a length and the view has no map, the new view needs none either."""
    if not edits:
        return view
    text = view.text
    out: list[str] = []
    pos = 0
    if view.starts is None and all(len(rep) == b - a for a, b, rep in edits):
        for a, b, rep in edits:
            out += (text[pos:a], rep)
            pos = b
        return View(view.original, "".join(out) + text[pos:])
    starts, ends = view.maps()
    new_starts: list[int] = []
    new_ends: list[int] = []
    for a, b, rep in edits:
        out.append(text[pos:a])
        new_starts += starts[pos:a]
        new_ends += ends[pos:a]
        out.append(rep)
        if len(rep) == b - a:
            new_starts += starts[a:b]
            new_ends += ends[a:b]
        else:
            new_starts += [starts[a]] * len(rep)
            new_ends += [ends[b - 1]] * len(rep)
        pos = b
    out.append(text[pos:])
    new_starts += starts[pos:]
    new_ends += ends[pos:]
    return View(view.original, "".join(out), new_starts, new_ends)


class _FoldTable(dict):
    """``str.translate`` table: each character → its NFKC, lower-cased form when that is exactly one
    character. Filled lazily (``__missing__``), so translate runs in C for every character seen before.

    Characters whose fold is not one character (zero-width → "", ㈱ → "(株)", half-width ﾞ which must
    combine with the previous kana) map to themselves here and are remembered in ``complex`` for the
    slower, offset-tracking pass.
    """

    def __init__(self) -> None:
        super().__init__()
        self.complex: set[str] = set()
        self._patterns: tuple[re.Pattern[str], re.Pattern[str]] | None = None
        self._patterns_size = -1

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        folded = "" if _INVISIBLE.match(ch) else unicodedata.normalize("NFKC", ch).lower()
        if len(folded) == 1 and folded not in _COMBINING_SOUND_MARKS:
            result = ord(folded)
        else:
            self.complex.add(ch)
            result = code
        self[code] = result
        return result

    def complex_patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """Two regexes over the complex characters seen so far: one finding any of them or a sound mark (a
        one-class scan, the cheap test whether the offset-tracking pass is needed at all), and the one that
        pass rewrites with, which takes in the base character a sound mark joins."""
        if self._patterns is None or self._patterns_size != len(self.complex):
            chars = "".join(re.escape(c) for c in sorted(self.complex))
            rewrite = f".?[{_COMBINING_CLASS}]|[{chars}]" if chars else f".?[{_COMBINING_CLASS}]"
            self._patterns = re.compile(f"[{chars}{_COMBINING_CLASS}]"), re.compile(rewrite, re.DOTALL)
            self._patterns_size = len(self.complex)
        return self._patterns


_COMBINING_CLASS = "\u3099\u309a\uff9e\uff9f"
_FOLD = _FoldTable()


def _fold_complex(m: re.Match[str]) -> str:
    token = m.group()
    if _INVISIBLE.fullmatch(token):
        return ""
    if len(token) == 2 and token[1] in "\u3099\u309a\uff9e\uff9f":
        # ｶﾞ / か + U+3099 → ガ: compose the mark with the character before it.
        base = token[0].translate(_FOLD) if token[0] not in _FOLD.complex else token[0]
        return unicodedata.normalize("NFKC", base + token[1]).lower()
    return "".join("" if _INVISIBLE.match(c) else unicodedata.normalize("NFKC", c).lower() for c in token)


def _undefang(m: re.Match[str]) -> str:
    token = m.group()
    if token.startswith("hxxp"):
        return "http" + m.group(1)
    return ":" if token == "[:]" else "."


class Normalised(NamedTuple):
    """The original text and its two matching views."""

    original: str
    folded: View
    skeleton: View
    printable: str  # the original with lone surrogates replaced (same length): evidence text is sliced from it


def safe_text(text: str) -> str:
    """Replace lone surrogates (which cannot be encoded as UTF-8 or JSON text) with U+FFFD, same length."""
    if text.isascii():
        return text
    try:  # the strict UTF-8 codec refuses exactly the surrogates: in C, several times cheaper than a regex scan
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


# Japanese script: kana (the long-vowel mark included), kanji and 々.
_JA = "\u3041-\u3096\u30a1-\u30fa\u30fc\u3005\u4e00-\u9fff"
# A line a screen wrapped, not one the sender ended: a line break between two Japanese characters, or between a
# lower-case letter (or a comma) and a lower-case letter that does not start a label ("attachments:", "note:"),
# or inside a run of digits after a long line (``_WRAP_WIDTH``: a number the wrap cut, 「(03433\n92745)」);
# and the spaces OCR puts between Japanese characters: a space next to a character that stands alone
# between spaces (「未 納 料 金」), not one a writer put between words (「代表取締役 山田太郎」).
_WRAP_WIDTH = 12  # no phone screen wraps a line shorter than this
# A space after a Japanese character and before one (the literal first: ``re`` skips to each space in C).
_JA_SPACE = re.compile(f" (?<=[{_JA}] )(?=[{_JA}])")
_LABEL = re.compile(r"[a-z]+(?: [a-z]+)?:")


def fold(text: str, letters: bool = True) -> View:
    """The ``folded`` view (see module docstring). One C-speed ``translate`` does the common one-to-one
    folds without moving any offset; only characters that change length take the offset-tracking pass.

    Text already in NFKC with nothing invisible in it folds by ``str.lower`` alone (``lowered_fold``), so most
    messages skip the ``translate``. (``str.isascii`` is a flag the string keeps: the tests of characters no
    ASCII text holds are skipped for it at no cost.)

    ``letters=False`` leaves look-alike letters as they are (no katakana, Latin or zero reading): the key
    the public sets' held-out halves were cut by before those readings existed (scripts/train_wording_model.py
    ``split_key``), which must not move a message from one half to the other."""
    translated = lowered_fold(text)
    if translated is None:
        translated = text.translate(_FOLD)
    view = View(text, translated)
    any_complex, complex_tokens = _FOLD.complex_patterns()  # after translate: it may have found new ones
    # ASCII text has none of these: every ASCII character folds to one character, sound marks are kana.
    if not translated.isascii() and any_complex.search(translated):
        view = _rewrite(view, complex_tokens, _fold_complex)
    if may_be_defanged(translated):
        view = _rewrite(view, _DEFANG, _undefang)
    if letters:
        view = _letters_read(view, translated)
    return _join_wrapped(_drop_forward_mark(_drop_screen_chrome(view)))


def _letters_read(view: View, translated: str) -> View:
    """Look-alike letters read as the letters they imitate: katakana in katakana words, Latin in English ones."""
    if not translated.isascii() and _KANA_CANDIDATE.search(translated):
        view = _as_katakana_words(view)
    if not translated.isascii() and _LATIN_LOOKALIKE.search(translated):
        view = _latin_words(view)
    if "0" in translated and _ZERO_IN_WORD.search(translated):
        view = _zeros_read(view)
    return view


# Kanji and dashes that look like katakana, as Japanese OCR reads them and as scammers type them to slip past
# filters: 「メ一ル」 (一, "one", for ー), 「ア力ウント」 (力, "power", for カ), 「ク口ネコ」 (口 for ロ),
# 「プライバシ-ポリシ-」. One is read as the katakana where it stands in a katakana word: after a katakana
# character and not before a kanji (「カード一枚」, 「データ一覧」 and 「スマホ一つ」 keep their 一), unless that
# is another look-alike (「サポ一卜」, 「マネ一口ン」; 卜, rare as a kanji, also before one: 「アカウン卜制限」);
# or, for the letters, before a katakana word and not after a kanji (「力ード」, but 「加工」; 口 never there:
# 「口コミ」).
_KATAKANA = "\u30a1-\u30f4\u30f7-\u30fa\u30fc"  # not ヵ and ヶ, which count things after a numeral (「二ヶ月」)
_KANJI = "\u4e00-\u9fff\u3005"
_AS_KATAKANA = {"口": "ロ", "力": "カ", "工": "エ", "二": "ニ", "卜": "ト", "夕": "タ", "八": "ハ", "才": "オ",
                "一": "ー", "―": "ー", "—": "ー", "‐": "ー", "-": "ー"}
_LETTERS, _DASHES = "口力工二卜夕八才", "一―—‐\\-"
# after a katakana character, or after a dash that follows one (「サポ一卜」: both stand for katakana)
_AFTER_KATAKANA = f"(?:(?<=[{_KATAKANA}])|(?<=[{_KATAKANA}][{_DASHES}]))"
_KANA_LOOKALIKE = re.compile(
    f"{_AFTER_KATAKANA}(?:卜|[{_LETTERS}](?:(?![{_KANJI}])|(?=[{_LETTERS}{_DASHES}])))"
    f"|(?<![{_KANJI}])[{_LETTERS.replace('口', '')}](?=[{_KATAKANA}]|[{_DASHES}][{_KATAKANA}])"
    f"|(?<=[{_KATAKANA}])[{_DASHES}](?:(?![{_KANJI}つ])|(?=[{_LETTERS.replace('口', '')}]|口(?=[{_KATAKANA}])))"
)


# Where ``_KANA_LOOKALIKE`` can match: one scan in C finds each look-alike, and the pattern, which starts with
# look-behinds (tried at every position, it cost a Japanese message ~80k instructions), is tried only there.
_KANA_CANDIDATE = re.compile(f"[{_LETTERS}{_DASHES}]")


def _as_katakana_words(view: View) -> View:
    """``_KANA_LOOKALIKE`` read as katakana; twice when the first pass read any, since a look-alike read is the
    katakana context of the next (「その力一ド」: 力 before 一ド, then 一 after カ)."""
    once = _lookalikes_read(view)
    return once if once is view else _lookalikes_read(once)


def _lookalikes_read(view: View) -> View:
    """One pass of ``_KANA_LOOKALIKE`` over the view, tried at each ``_KANA_CANDIDATE``."""
    text = view.text
    edits = [(m.start(), m.end(), _as_katakana(m)) for c in _KANA_CANDIDATE.finditer(text)
             if (m := _KANA_LOOKALIKE.match(text, c.start())) is not None]
    return _edit(view, edits)


def _as_katakana(m: re.Match[str]) -> str:
    return _AS_KATAKANA[m.group()]


# Cyrillic and Greek letters typed into English words so that filters miss them ("Yоur раckаge is on hоld",
# every а, о, р, е a Cyrillic one: dev probe, fold models, 229 of 326 English scams lost their verdict written
# so). In a word of prose they are read as the Latin letters they imitate; a link, an address or a domain keeps
# them (the link rules judge a look-alike domain), and a text mostly in Cyrillic or Greek is its own language.
_NOT_PROSE = re.compile(r"://|@|\.[^\W\d_]|/")
_CYRILLIC_GREEK = re.compile("[\u0370-\u03ff\u0400-\u04ff]")
_TOKEN = re.compile(r"\S+")


def _unaccented_table() -> dict[int, str]:
    """Each Latin letter with accents (U+00C0–U+024F, in lower case) → the ASCII letter it decomposes to."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        parts = unicodedata.normalize("NFD", chr(code))
        if len(parts) > 1 and "a" <= parts[0] <= "z" and all(unicodedata.combining(c) for c in parts[1:]):
            table[code] = parts[0]
    return table


# Accents put on English words for the same reason ("Yóur páckágé": 225 of 326 dev English scams lost their
# verdict so) are read off too. A brand's name is read the same way (``unaccented``: 「Itaú」 is "itau"), and an
# accent is no disguise of it (a name may carry one), where a Cyrillic letter is (MK020).
_UNACCENTED = _unaccented_table()
_AS_LATIN = str.maketrans({**_HOMOGLYPHS, **{chr(code): letter for code, letter in _UNACCENTED.items()}})
_LATIN_LOOKALIKE = re.compile("[" + "".join(_HOMOGLYPHS) + "".join(map(chr, _UNACCENTED)) + "]")


_ASCII_LETTERS = bytes(range(ord("a"), ord("z") + 1))  # the folded text is in lower case


def unaccented(text: str) -> str:
    """``text`` with its accented Latin letters as plain ones (a brand alias, read as the folded view reads
    a word)."""
    return text.translate(_UNACCENTED)


def _latin_words(view: View) -> View:
    """The view with ``_HOMOGLYPHS`` and accented letters read as Latin in each word of prose that holds one
    (one for one)."""
    text = view.text
    if len(_CYRILLIC_GREEK.findall(text)) > ascii_count(text, _ASCII_LETTERS):
        return view
    edits = [(m.start(), m.end(), word.translate(_AS_LATIN)) for m in _TOKEN.finditer(text)
             if _LATIN_LOOKALIKE.search(word := m.group()) and not _NOT_PROSE.search(word)]
    return _edit(view, edits)


# A zero typed for an "o" inside a word ("Y0ur acc0unt has been l0cked": dev probe, 75 of 326 English scams lost
# their verdict so): a 0 between two Latin letters in a word of prose is read as "o". A link, an address or a
# domain keeps it (the link rules judge it), and so does a code with other digits in it.
_ZERO_IN_WORD = re.compile(r"0(?<=[a-z]0)(?=[a-z])")
_OTHER_DIGIT = re.compile("[1-9]")  # a word with other digits is a code or an ID ("q3n7f0g8q"), not a word


def _zeros_read(view: View) -> View:
    """The view with each ``_ZERO_IN_WORD`` in a word of prose read as "o" (one for one)."""
    text = view.text
    edits = [(m.start(), m.end(), _ZERO_IN_WORD.sub("o", word)) for m in _TOKEN.finditer(text)
             if "0" in (word := m.group()) and _ZERO_IN_WORD.search(word) and not _NOT_PROSE.search(word)
             and not _OTHER_DIGIT.search(word)]
    return _edit(view, edits)


# What a messaging app's screen shows around a message, as a screenshot's OCR (or a copy of the thread) gives
# it: the thread's kind and the time above the bubble (iOS Messages "Text Message" / 「SMS/MMS」 and
# "Today 10:15 AM" / 「今日 10:15」; Android's "SMS" or 「+メッセージ」), and a delivery or read mark and the
# time under it ("Delivered", 「既読」). A line of these words alone is the app's, not the sender's; the
# folded text is lower case and in NFKC (「１０：１５」 is "10:15" here).
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?"
_CHROME_LABEL = (
    r"sms/mms|sms|mms|imessage|text messages?|\+?メッセージ|テキストメッセージ|ショートメッセージ|rcs(?: message)?"
    r"|delivered|read|既読|未読|送信済み?|配信済み?|today|yesterday|今日|昨日|一昨日"
)
_CHROME_DATE = (
    f"{_WEEKDAY}|[月火水木金土日]曜日?|\\(\\s*[月火水木金土日]\\s*\\)|at"
    r"|(?:\d{4}[/.\-年])?\d{1,2}[/.\-月]\d{1,2}日?"
    f"|{_MONTH} \\d{{1,2}}(?:st|nd|rd|th)?(?:, \\d{{4}})?|\\d{{1,2}} {_MONTH}(?: \\d{{4}})?"
)
_CHROME_TIME = r"(?:午前|午後)?\s*\d{1,2}:\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
_SEP = "[ \\t,•·・|]*"
# The app's labels alone, or a time with its date and labels around it: a date with no time is the sender's
# (a letter's date line), not the app's.
_CHROME_LINE = re.compile(
    f"[ \\t]*(?:(?:(?:{_CHROME_LABEL}){_SEP})+"
    f"|(?:(?:{_CHROME_LABEL}|{_CHROME_DATE}){_SEP})*{_CHROME_TIME}{_SEP}(?:(?:{_CHROME_LABEL}){_SEP})*)"
)
_CHROME_MAX = 48  # no app's header or footer line is longer; a longer line is the sender's
# A number alone on a line: the sender's, heading a copied thread or a screenshot's text (the app shows it
# above its own lines, so the lines to drop may start under it).
NUMBER_START = frozenset("+(0123456789 \t")  # what a text must start with for NUMBER_LINE (not "")
NUMBER_LINE = r"[ \t]*\+?\(?[0-9][0-9 ()\-.]{8,18}[ \t]*"
_NUMBER_HEAD = re.compile(NUMBER_LINE + "\n")


# The person's own question about the message, written above or under it when they paste it from a chat or a
# post ("Is this a scam?", "Got this text today, is it legit?", 「これって詐欺ですか？」): a short line that
# asks whether it is real, not the sender's words.
# The words such a question turns on; rules/shape.py reads a person's question with them too.
GENUINENESS_EN = "scam|legit|legitimate|real|fake|genuine|spam|phishing|safe"
GENUINENESS_JA = "詐欺|本物|偽物|ニセモノ|にせもの|迷惑|怪しい|あやしい|大丈夫|安全|危険|フィッシング"
_OWN_QUESTION = re.compile(
    rf"[^\n]{{0,60}}(?:\b(?:{GENUINENESS_EN})\b|{GENUINENESS_JA})[^\n?]{{0,30}}[?？][^\w\n]{{0,4}}")


def _chrome(text: str, start: int, end: int) -> bool:
    """Is the line at ``start:end`` a messaging app's own (``_CHROME_LINE``), or the person's question about the
    message (``_OWN_QUESTION``)?"""
    return end - start <= _CHROME_MAX and (_CHROME_LINE.fullmatch(text, start, end) is not None
                                          or _OWN_QUESTION.fullmatch(text, start, end) is not None)


def _drop_screen_chrome(view: View) -> View:
    """The view without the app's lines above and below the message (``_CHROME_LINE``) and the person's question
    there (``_OWN_QUESTION``), so that the message's first words are its opening again ("Hi mum, …" under "Text Message / Today 10:15 AM") and the time and
    labels do not dilute its wording. Only whole lines at the two ends go (at the top, under the sender's
    number when one heads the text: that stays, ``entities._sender_phone``), blank lines beside them with
    them, and never the last line that is not the app's; a text without such a line is left as it is."""
    text = view.text
    if "\n" not in text:
        return view  # one line: the message's own
    head = number.end() if text[:1] in NUMBER_START and (number := _NUMBER_HEAD.match(text)) else 0
    start = head
    while (end := text.find("\n", start)) != -1 and (_chrome(text, start, end) or text[start:end].isspace()
                                                     or start == end):
        start = end + 1
    stop = len(text)
    while (at := text.rfind("\n", start, stop)) != -1 and (_chrome(text, at + 1, stop)
                                                            or text[at + 1:stop].isspace() or at + 1 == stop):
        stop = at
    if (start == head and stop == len(text)) or start >= stop or text[start:stop].isspace():
        return view  # nothing at the ends, or nothing but the app's lines: leave them to be read
    edits = [(a, b, "") for a, b in ((head, start), (stop, len(text)))
             if b > a and any(_chrome(text, x, y) for x, y in line_spans(text, a, b))]
    return _edit(view, edits)


# What a mail program or a person puts before a forwarded message's first words ("Fwd: Hi mum, …", "FW: ",
# 「転送：」; folded: lower case, "：" as ":"): not the sender's, so the message opens after it.
_FORWARD_MARK = re.compile(r"(?:[ \t]*(?:fwd?|転送)[ \t]*:[ \t]*)+")
_FORWARD_START = frozenset("f転 \t")  # what a folded text must start with for _FORWARD_MARK


def _drop_forward_mark(view: View) -> View:
    """The view without a forward mark at its very start (``_FORWARD_MARK``), so that "Fwd: Hi mum, …" still
    opens with the sender's words; a text that is nothing but the mark keeps it."""
    text = view.text
    mark = _FORWARD_MARK.match(text) if text[:1] in _FORWARD_START else None
    if mark is None or not text[mark.end():].strip():
        return view
    return _edit(view, [(0, mark.end(), "")])


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each line in ``text[start:end]`` (the whole text by default)."""
    end = len(text) if end is None else end
    out = []
    while (at := text.find("\n", start, end)) != -1:
        out.append((start, at))
        start = at + 1
    out.append((start, end))
    return out


def _cut_number(text: str, start: int, end: int) -> bool:
    """Did the wrap cut a phone number at ``start:end`` (a line break between digits)? The line before is one a
    screen filled (``_WRAP_WIDTH``) and the digits on both sides make a number's ten or eleven, as
    「(03433\n92745)」; a code on the line after a number ("From: 0909…\n123456 is your code") makes more."""
    if start - text.rfind("\n", 0, start) <= _WRAP_WIDTH:
        return False
    head, tail = text[max(0, start - 12):start], text[end:end + 12]  # a number has at most eleven digits
    before = len(head) - len(head.rstrip("0123456789"))
    after = len(tail) - len(tail.lstrip("0123456789"))
    return 10 <= before + after <= 11


def _join_wrapped(view: View) -> View:
    """Undo what a screen or OCR did to the text, so that a phrase the wrap cut is one phrase again: a text
    copied from a screenshot (Live Text, a phone's own OCR) keeps the bubble's line ends, 「ご確\n認ください」,
    "please\nverify your account", and OCR spaces Japanese characters out, 「ご 確 認 く だ さ い」. A wrapped
    Japanese line joins with nothing, an English one with a space; an English line is a wrapped one only where
    the sender's text goes on in lower case (a capital after the break, in the original, starts a line the
    sender began). Line breaks are found by ``str.find`` and spaces by a regex that starts at the space (both
    skip in C), and each of the few found is decided here."""
    text = view.text
    edits = [(a, b, join) for a, b in _line_breaks(text) if (join := _line_join(view, a, b)) is not None]
    if not text.isascii() and " " in text:
        edits += [(m.start(), m.end(), "") for m in _JA_SPACE.finditer(text) if _ocr_space(text, m.start())]
        edits.sort()
    return _edit(view, edits)


def _line_breaks(text: str) -> list[tuple[int, int]]:
    """Each line break with the spaces and tabs around it, as ``(start, end)`` (what ``[ \t]*\n[ \t]*`` finds,
    by ``str.find``: a regex that may start with a space tries every position)."""
    out: list[tuple[int, int]] = []
    end = 0
    at = text.find("\n")
    while at != -1:
        start = at
        while start > end and text[start - 1] in " \t":
            start -= 1
        end = at + 1
        while end < len(text) and text[end] in " \t":
            end += 1
        out.append((start, end))
        at = text.find("\n", end)
    return out


def _line_join(view: View, start: int, end: int) -> str | None:
    """What the line break at ``start:end`` becomes if a screen made it ("" or " "), or None (the sender's)."""
    text = view.text
    if start == 0 or end == len(text):
        return None
    before, after = text[start - 1], text[end]
    if _japanese(before) and _japanese(after):
        return ""
    if ("a" <= before <= "z" or before == ",") and "a" <= after <= "z":
        if _LABEL.match(text, end) or not view.original[view.span(end, end + 1)[0]].islower():
            return None
        return " "
    if "0" <= before <= "9" and "0" <= after <= "9" and end - start == 1 and _cut_number(text, start, end):
        return ""
    return None


def _japanese(char: str) -> bool:
    """Is ``char`` in ``_JA`` (by comparisons: cheaper than a regex call for one character)?"""
    return ("\u4e00" <= char <= "\u9fff" or "\u3041" <= char <= "\u3096" or "\u30a1" <= char <= "\u30fa"
            or char in "\u30fc\u3005")


def _ocr_space(text: str, at: int) -> bool:
    """Is the space at ``at`` (between two Japanese characters) one OCR put there: next to a character that
    stands alone between spaces (「未 納 料 金」), not one a writer put between words (「代表取締役 山田太郎」)?"""
    return at < 2 or text[at - 2] in " \n" or at + 2 >= len(text) or text[at + 2] in " \n"


def may_be_defanged(text: str) -> bool:
    """A cheap first look for ``_DEFANG`` (most messages have none of these): a few substring tests, cheaper
    than any regex scan, since ``re`` has no fast skip for a pattern starting with an alternation."""
    return "hxxp" in text or "[." in text or "[:" in text or "[d" in text or "(." in text or "{." in text


def lowered_fold(text: str) -> str | None:
    """``text.translate(_FOLD)`` by ``str.lower`` when the text is in NFKC with nothing invisible in it, or
    None (then only ``translate`` will do).

    ``translate`` looks each character of a Japanese text up in a dict (slow); ``lower`` runs in C. They
    agree on such text: a character whose NFKC differs from itself never occurs in NFKC text, so the table
    maps each character to its lower case; ``lower`` does the same except for final sigma (``Σ``, which it
    lowers by context) and characters whose lower case is longer (``İ``), both sent to ``translate``. Nor is
    any character left for the offset pass to learn (``_FoldTable.complex``): invisible ones are excluded
    here, and the combining sound marks are in its pattern from the start. Tested equal to ``translate``
    with a fresh table (tests/test_normalise.py)."""
    if text.isascii():  # in NFKC, nothing invisible, lower case as long: only ``lower`` is left to do
        return text.lower()
    if not unicodedata.is_normalized("NFKC", text) or _INVISIBLE.search(text):
        return None
    lowered = text.lower()
    if lowered == text:
        return text
    if len(lowered) != len(text) or "Σ" in text:
        return None
    return lowered



def skeletonise(view: View) -> View:
    """The ``skeleton`` view: homoglyphs → Latin, digit stand-ins → letters, spread letters joined.

    A joined word maps as a whole to its spread-out original, so evidence shows all of ``a m a z o n``.
    """
    if not view.text.isascii():  # the homoglyphs are Cyrillic and Greek letters
        view = _rewrite(view, _HOMOGLYPH, lambda m: _HOMOGLYPHS[m.group()])
    classes = char_classes(view.text)
    if b"a" not in classes:
        return view  # the rewrites below all need a letter a-z (a third of the benchmark messages lack one)
    rewritten = _rewrite(view, _RN, lambda m: "m")
    if rewritten is not view:  # (rarely) the classes of the new text
        view, classes = rewritten, char_classes(rewritten.text)
    if b"da" in classes or b"ad" in classes and _may_end_digit_for_letter(classes):
        rewritten = _rewrite(view, _DIGIT_FOR_LETTER, lambda m: _DIGITS[m.group()])
        if rewritten is not view:
            view, classes = rewritten, char_classes(rewritten.text)
    if not _may_be_spread(view.text, classes):
        return view
    return _rewrite(view, _SPREAD, lambda m: _SPREAD_GAP.sub("", m.group()))


# Each ASCII byte → its class for the skeleton's first looks: a letter a-z "a", a digit that stands for a letter
# ("0", "1", "3") "d", another digit "9", an ASCII gap of _SPREAD " ", anything else (every byte of a non-ASCII
# character included) "x".
_CLASS_TABLE = bytes(
    ord("a") if 0x61 <= b <= 0x7A else ord("d") if b in b"013" else ord("9") if 0x30 <= b <= 0x39
    else ord(" ") if b in b" ._-" else ord("x") for b in range(256))


def char_classes(text: str) -> bytes:
    """``text``'s UTF-8 bytes by class (``_CLASS_TABLE``): two passes in C that the skeleton's first looks then
    search with ``in``, where each regex first look tested a character class at every position of the text
    (about 55 instructions a character)."""
    return text.encode("utf-8", "surrogatepass").translate(_CLASS_TABLE)


def _may_end_digit_for_letter(classes: bytes) -> bool:
    """Does a stand-in digit follow a letter without another digit after it ("paypa1")? (``b"da"``, a digit
    before a letter, is the other way ``_DIGIT_FOR_LETTER`` matches.)"""
    return b"ad " in classes or b"adx" in classes or classes.endswith(b"ad")


def _may_be_spread(text: str, classes: bytes) -> bool:
    """A first look for ``_SPREAD``: its second and third letters each stand between gaps ("a m a z o n":
    " m a ", or with two-character gaps " m  a "), which ordinary prose rarely has (" a " alone is the English
    article, which the regex first look ``_MAY_BE_SPREAD`` let through to ``_SPREAD``). The non-ASCII gaps "・"
    and "･" are not classed: text with one is looked at by ``_MAY_BE_SPREAD`` as before."""
    if "・" in text or "･" in text:
        return _MAY_BE_SPREAD.search(text) is not None
    return b" a a " in classes or b" a  a " in classes


def ascii_count(text: str, chars: bytes) -> int:
    """How many of the ASCII characters ``chars`` ``text`` holds: its UTF-8 bytes less those deleted (every
    other character encodes to bytes of 0x80 and above), two passes in C where a regex would test a class at
    every position."""
    raw = text.encode("utf-8", "surrogatepass")
    return len(raw) - len(raw.translate(None, chars))


def normalise(text: str) -> Normalised:
    folded = fold(text)
    return Normalised(text, folded, skeletonise(folded), safe_text(text))
