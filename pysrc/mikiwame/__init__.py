"""mikiwame (見極め): an explainable scam-message checker.

One way through: text → normalise → entities → rules → score → verdict → report.

    >>> import mikiwame
    >>> mikiwame.check("アマゾンジャパン(株) 未納料金 本日中にご連絡なき場合法的手続きに移行 0343392745").verdict
    'scam'

``check`` never raises for any ``str`` and does no I/O after the knowledge base is loaded.
"""

from __future__ import annotations

__version__ = "0.1.0"

MAX_CHARS = 10_000
LANGS = ("ja", "en")

from .engine import check, check_json, warm_up  # noqa: E402

__all__ = ["LANGS", "MAX_CHARS", "__version__", "check", "check_json", "warm_up"]
