"""Intake for the command line: bytes from standard input → text, before normalise.

A message saved from a phone or a mail client is not always UTF-8: Japanese mail is still sent as
ISO-2022-JP, Windows tools write Shift_JIS (cp932) or UTF-16, old Unix tools EUC-JP. Checking such bytes as
if they were UTF-8 turns every Japanese character into U+FFFD, and a scam then reads as "clean". So the
bytes are decoded by a fixed order of strict attempts with the standard library's codecs (no detector
package: these few encodings almost never decode each other's bytes without an error, and the tests hold
each one apart), and input that is no text at all (an executable, random bytes) is refused, never checked.

Decision order, each step only when the earlier ones did not decide:
  1. a byte-order mark: UTF-8, UTF-32 or UTF-16 (UTF-32 first: its little-endian mark starts like UTF-16's);
  2. NUL bytes: UTF-16 without a mark if it decodes to plausible text, otherwise binary;
  3. escape sequences in 7-bit bytes: ISO-2022-JP;
  4. strict UTF-8;
  5. Shift_JIS (cp932, Windows' superset) and EUC-JP: whichever decodes strictly; when both do (short
     texts), the one that reads more like Japanese;
  6. UTF-16 without a mark and without NULs (all-Japanese text) if plausible;
  7. otherwise the input is not text we can read.
Any decoding that leaves many control or private-use characters is treated as binary.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

# Codec name → the name a person knows it by (shown in the notice).
LABELS = {
    "utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE",
    "utf-32-le": "UTF-32LE", "utf-32-be": "UTF-32BE", "cp932": "Shift_JIS", "euc_jp": "EUC-JP",
    "iso2022_jp": "ISO-2022-JP", "iso2022_jp_2": "ISO-2022-JP-2", "iso2022_jp_ext": "ISO-2022-JP-EXT",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Text may hold a few stray control characters (a form feed, an escape); binary holds many.
_MAX_BAD_SHARE = 0.02
# Random 16-bit units decode as UTF-16 to mostly ideographs and Hangul; real text always has some ASCII,
# kana or punctuation. Required share of such characters for UTF-16 and UTF-32.
_MIN_COMMON_SHARE = 0.2


class NotText(ValueError):
    """The input is binary or in no encoding we can read; the message says which and why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    codec: str  # a Python codec name; "utf-8" for plain UTF-8

    @property
    def label(self) -> str:
        """The encoding's common name, for the notice."""
        return LABELS.get(self.codec, self.codec)


def decode(data: bytes) -> Decoded:
    """Decode standard input by the order in the module docstring; raise NotText for binary input."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(data[len(bom):], codec, f"it starts with a {LABELS[codec].split()[0]} byte-order mark")
    if b"\0" in data:
        found = _utf16_without_bom(data)
        if found is None:
            raise NotText("the input holds NUL bytes: it looks like a binary file, not a message")
        return found
    if b"\x1b" in data and data.isascii():
        for codec in ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext"):
            text = _strict(data, codec)
            if text is not None and _plausible(text):
                return Decoded(text, codec)
    text = _strict(data, "utf-8")
    if text is not None:
        if not _plausible(text):
            raise NotText("the input is mostly control characters: it looks like a binary file, not a message")
        return Decoded(text, "utf-8")
    candidates = [Decoded(t, c) for c in ("cp932", "euc_jp") if (t := _strict(data, c)) is not None and _plausible(t)]
    if candidates:
        return max(candidates, key=lambda d: _japanese_score(d.text))
    found = _utf16_without_bom(data)
    if found is not None:
        return found
    raise NotText("the input is not text in UTF-8, UTF-16, Shift_JIS, EUC-JP or ISO-2022-JP "
                  "(a binary file, or another encoding)")


def _checked(data: bytes, codec: str, why: str) -> Decoded:
    """The bytes after a byte-order mark, decoded strictly and judged as text."""
    text = _strict(data, codec)
    if text is None:
        raise NotText(f"{why} but does not decode as {LABELS[codec]}")
    wide = codec.startswith(("utf-16", "utf-32"))
    if not _plausible(text) or (wide and _common_share(text) < _MIN_COMMON_SHARE):  # a mark on binary data is chance
        raise NotText("the input is mostly control characters: it looks like a binary file, not a message")
    return Decoded(text, codec)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 of either byte order, if the bytes decode to text with enough ASCII, kana or punctuation."""
    if len(data) % 2:
        return None
    found = [Decoded(t, c) for c in ("utf-16-le", "utf-16-be")
             if (t := _strict(data, c)) is not None and _plausible(t) and _common_share(t) >= _MIN_COMMON_SHARE]
    return max(found, key=lambda d: _japanese_score(d.text)) if found else None


def _bad(ch: str) -> bool:
    """Control (other than whitespace), private-use, unassigned or replacement characters."""
    if ch in "\t\n\r\f\v\x1b":
        return False
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Co", "Cn", "Cs") or ch == "\ufffd"


def _plausible(text: str) -> bool:
    if not text:
        return True
    bad = sum(1 for ch in text if _bad(ch))
    return bad <= _MAX_BAD_SHARE * len(text)


def _common(ch: str) -> bool:
    """ASCII, kana, CJK punctuation, full-width forms: characters every real text has some of."""
    o = ord(ch)
    return o < 0x80 or 0x3000 <= o <= 0x30FF or 0xFF00 <= o <= 0xFFEF


def _common_share(text: str) -> float:
    return sum(1 for ch in text if _common(ch)) / len(text) if text else 1.0


def _japanese_score(text: str) -> float:
    """How much the text reads like Japanese or English: hiragana, katakana and ASCII count for it;
    half-width katakana (what EUC-JP bytes look like when read as Shift_JIS) and rare symbols against."""
    score = 0.0
    for ch in text:
        o = ord(ch)
        if 0x3040 <= o <= 0x30FF or o < 0x80:
            score += 2
        elif 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E:
            score += 1
        elif 0xFF61 <= o <= 0xFF9F:
            score -= 1
        else:
            score -= 2
    return score / len(text) if text else 0.0
