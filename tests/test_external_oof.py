"""benchmarks/external.py --oof: every training-half message is checked once, by the fold model that did not
learn it, and a fold file without public folds is refused rather than read as if it had them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["Your parcel is held, pay the fee at the link", "see you at 6?", "URGENT: your account is locked",
         "ok thanks", "Congratulations, you have won a prize, call now", "running late, sorry", "call me back"]


def _external():  # noqa: ANN202 - a module loaded by path, as the benchmark folder is not a package
    return load_script("benchmarks/external.py", "mikiwame_external_bench")


def _model() -> dict:
    return json.loads((ROOT / "pysrc" / "mikiwame" / "data" / "wording_model.json").read_text(encoding="utf-8"))


def test_each_training_half_message_is_scored_once_by_its_own_fold(tmp_path: Path) -> None:
    ext = _external()
    folds = 3
    oof = tmp_path / "oof.json"
    oof.write_text(json.dumps({"folds": [{"sites": [], "public_fold": k, "folds": folds, "model": _model()}
                                         for k in range(folds)]}), encoding="utf-8")
    rows = [("uci (training half)", "ham", TEXTS), ("uci (held out)", "ham", TEXTS)]
    out = ext.out_of_fold(rows, oof)
    assert [(name, label) for name, label, _ in out] == [("uci (training half, out of fold)", "ham")]
    # Every fold model is the shipped one here, so out of fold must equal in sample, message for message.
    assert out[0][2] == ext.shares(TEXTS)
    assert sum(out[0][2].values()) == len(TEXTS)
    spread = Counter(ext.public_fold(ext.split_key(t), folds) for t in TEXTS)
    assert len(spread) > 1, "the hash should spread seven texts over more than one of three folds"


def test_a_fold_file_without_public_folds_is_refused(tmp_path: Path) -> None:
    ext = _external()
    oof = tmp_path / "old.json"
    oof.write_text(json.dumps({"folds": [{"sites": ["example.org"], "model": _model()}]}), encoding="utf-8")
    with pytest.raises(SystemExit, match="no public folds"):
        ext.out_of_fold([("uci (training half)", "ham", TEXTS)], oof)


def test_the_halves_are_keyed_without_the_letter_readings() -> None:
    """A later reading of look-alike letters changes a message's folded text ("ü" for "you" read as "u"); the
    held-out half must not change with it (scripts/train_wording_model.py ``split_key``)."""
    from mikiwame.normalise import fold

    t = load_script("scripts/train_wording_model.py", "mikiwame_train_wording_model")

    text = "Ü predict wat time ü'll finish buying?"
    assert fold(text).text != fold(text, letters=False).text  # the reading changes the text
    assert t.split_key(text) == fold(text, letters=False).text
    assert t.split_key("Y0ur acc0unt") == "y0ur acc0unt"
