"""Stage 5: verdict from the score and the thresholds in weights.toml.

"clean" means only that no known scam signal was found; every text shown for it says so, never "safe".
"""

from __future__ import annotations

from typing import Literal

from .knowledge import Knowledge

Verdict = Literal["scam", "suspicious", "clean"]


def verdict(score: int, kb: Knowledge) -> Verdict:
    if score >= kb.thresholds["scam"]:
        return "scam"
    if score >= kb.thresholds["suspicious"]:
        return "suspicious"
    return "clean"
