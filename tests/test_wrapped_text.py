"""A message copied from a screenshot (Live Text, a phone's OCR) keeps the bubble's line ends, and OCR spaces
Japanese characters out: the seed SMS read that way come out as they do typed in one piece, with the same
findings (normalise._join_wrapped)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import mikiwame

SEEDS = sorted((Path(__file__).parent / "fixtures" / "messages").glob("00[123]_scam_seed_*.txt"))
_BETWEEN_JAPANESE = re.compile(r"(?<=[\u3041-\u30fc\u4e00-\u9fff])(?=[\u3041-\u30fc\u4e00-\u9fff])")


def _wrapped(text: str, width: int) -> str:
    """Each line cut every ``width`` characters, as a phone screen wraps Japanese."""
    return "\n".join(line[i:i + width] for line in text.split("\n") for i in range(0, max(len(line), 1), width))


def _ocr_spaced(text: str) -> str:
    return _BETWEEN_JAPANESE.sub(" ", text)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("form", [lambda t: _wrapped(t, 16), lambda t: _wrapped(t, 20), _ocr_spaced],
                         ids=["wrapped-16", "wrapped-20", "ocr-spaced"])
def test_a_seed_read_off_a_screenshot_is_still_the_same_scam(path: Path, form) -> None:  # noqa: ANN001
    text = path.read_text(encoding="utf-8")
    assert len(SEEDS) == 3
    changed = form(text)
    assert changed != text
    typed, read = mikiwame.check(text, "ja"), mikiwame.check(changed, "ja")
    assert read.verdict == typed.verdict == "scam"
    assert {f.slug for f in read.findings} == {f.slug for f in typed.findings}
