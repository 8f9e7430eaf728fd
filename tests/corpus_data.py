"""The labelled corpus (tests/corpus/*.jsonl) and its fixed dev/blind split, loaded once for the tests and
scripts that share it.

The split is by *site*: every message goes to ``dev`` or ``blind`` by a hash of its source's host name, so
that one site's template (a police force's alert format, a blog's series of quoted SMS) never sits on both
sides. About 70 % of sites are ``dev``. Rules, word lists and weights are tuned on ``dev`` only; ``blind``
is for measuring (scripts/rule_qa.py prints both side by side, docs/quality.md is generated from it).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

CORPUS = Path(__file__).parent / "corpus"
SPLITS = ("dev", "blind")
# A site goes to "dev" when the first 32 bits of sha256("mikiwame-split:" + site) mod 100 fall below this.
DEV_PERCENT = 70


def site_of(url: str) -> str:
    """The source's host name without a leading "www." (one site = one template family)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def split_of(url: str) -> str:
    """``dev`` or ``blind`` for a message quoted on ``url``: fixed, by a hash of its site."""
    digest = hashlib.sha256(f"mikiwame-split:{site_of(url)}".encode()).digest()
    return "dev" if int.from_bytes(digest[:4], "big") % 100 < DEV_PERCENT else "blind"


def load(name: str) -> list[dict]:
    """One corpus file, each message with its ``split`` added."""
    with open(CORPUS / name, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for row in rows:
        row["split"] = split_of(row["source"])
    return rows


SCAM = load("scam.jsonl")
LEGIT = load("legit.jsonl")


def of_split(rows: list[dict], split: str) -> list[dict]:
    return [r for r in rows if r["split"] == split]
