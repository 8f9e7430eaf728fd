"""scripts/same_reports.py shows a differing corpus message by its id only: the check runs mid-round, when a
blind message's text must not be read, and a splice of corpus text may be cut from a blind one."""

from __future__ import annotations

import json
from pathlib import Path

from script_loader import ROOT, load_script

same_reports = load_script("scripts/same_reports.py", "same_reports")


def test_every_corpus_text_and_splice_is_named_and_other_inputs_are_not(tmp_path: Path) -> None:
    named = same_reports._texts(tmp_path)  # no public sets under an empty folder
    records = [json.loads(line) for name in ("scam.jsonl", "legit.jsonl")
               for line in (ROOT / "tests" / "corpus" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = named[:len(records)]
    assert [text for text, _ in corpus] == [r["text"] for r in records]
    assert all(name and r["id"] in name and r.get("split", "dev") in name for (_, name), r in zip(corpus, records))
    assert all(name == "a splice of corpus text" for _, name in named[-4_000:])
    assert any(name is None for _, name in named), "fixtures and odd input are shown as text"
    assert [text for text, _ in named] == [value for kind, lang, value in same_reports.inputs(tmp_path)
                                           if kind == "text" and lang == "ja"]


def test_a_report_line_gives_its_verdict_or_its_error() -> None:
    assert same_reports._verdict('{"verdict": "scam", "score": 80}') == "scam"
    assert same_reports._verdict("ERROR ValueError: bad input") == "ERROR ValueError: bad input"
