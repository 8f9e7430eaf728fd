"""The labelled dev corpus (tests/corpus/*.jsonl), loaded once for the tests that share it."""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"


def load(name: str) -> list[dict]:
    with open(CORPUS / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


SCAM = load("scam.jsonl")
LEGIT = load("legit.jsonl")
