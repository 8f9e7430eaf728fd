"""scripts/rule_qa.py's table by pretext: each message counted once, in its own split and pretext, with the
issue's four shares; a record collected before pretexts were labelled goes to "(not labelled)"."""

from __future__ import annotations

from script_loader import load_script


def _result(kind: str, split: str, pretext: str | None, verdict: str) -> dict:
    msg = {"kind": kind, "split": split, "source": "https://a.example/", "lang": "en"}
    if pretext:
        msg["pretext"] = pretext
    return {"msg": msg, "verdict": verdict}


def test_rows_count_each_pretext_within_its_split():
    qa = load_script("scripts/rule_qa.py", "mikiwame_rule_qa")
    results = {
        "scam": [_result("scam", "blind", "delivery", "scam"), _result("scam", "blind", "delivery", "clean"),
                 _result("scam", "blind", None, "suspicious"), _result("scam", "dev", "delivery", "clean")],
        "legit": [_result("legit", "blind", "delivery", "suspicious")],
    }
    lines = qa.pretext_table(results, ("blind",))
    assert lines[2:] == [
        "| blind | (not labelled) | 1 | 100.0% | 0.0% | 0 | - | - |",
        "| blind | delivery | 2 | 50.0% | 50.0% | 1 | 100.0% | 0.0% |",
    ]
