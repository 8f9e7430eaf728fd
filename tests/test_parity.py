"""Parity: the browser's engine (Pyodide, Python 3.14) gives byte-for-byte the same report as CPython.

Every corpus text and a few tricky strings go through `mikiwame.check_json` in both languages, once here
and once in Pyodide under Node, loaded exactly as the page loads it: the built dist/pyodide/ runtime, its
precompiled stdlib, our pyodide-lock.json and wheels (tests/parity_node.mjs, one process for all cases).

Needs node and a built dist/ (built once per session by tests/conftest.py's `built_dist` unless
MIKIWAME_SKIP_BUILD=1). A missing node fails the test: ./test.sh installs it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import mikiwame

ROOT = Path(__file__).resolve().parents[1]

TRICKY = [
    "",
    " \n\t\r\n ",
    "😀 Amazonで当選しました🎁 👨‍👩‍👧 https://amazon.co.jp.example.com/ 🇯🇵",  # astral, ZWJ, flags
    "ＡＭＡＺＯＮ　お客様 ｈｔｔｐｓ：／／ａｍａｚｏｎ．ｃｏ．ｊｐ／ ０３－１２３４－５６７８",  # full-width
    "ｱﾏｿﾞﾝﾌﾟﾗｲﾑ 会費のお支払いにご指定のカードが利用できません",  # half-width katakana
    "𠮷野家 𩸽 ｾﾞ゙ e\u0301 \u3099 a\u20dd",  # astral CJK, combining marks
    "https://аmazon.co.jp/login (Cyrillic а) https://xn--mazon-3ve.co.jp/",  # homoglyph, punycode
    "\u202eknil.evil\u202c \u200b\u200d\ufeff \ufe0f \U000e0001 \ufffd \uffff",  # bidi, zero-width, nonchars
    "NUL\x00 and DEL\x7f and \x1b[31m escape",
    "【重要】三井住友カード お客様の口座が凍結されました。http://bit.ly/3xYz 至急 0120-000-000 まで",
    "Your parcel could not be delivered. Pay £1.99 at https://royalmail-redelivery.top/ now.",
    "あ" * 10_050,  # over MAX_CHARS
]


def cases() -> list[tuple[str, str, str]]:
    """(case id, text, lang) for every corpus message and tricky string, in ja and en."""
    texts: list[tuple[str, str]] = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                item = json.loads(line)
                texts.append((item.get("id") or f"{path.stem}:{n}", item["text"]))
    texts += [(f"tricky-{i}", text) for i, text in enumerate(TRICKY)]
    # Whole e-mails pasted as source (all-ASCII files: ISO-2022-JP, base64, quoted-printable, HTML).
    for path in sorted((ROOT / "tests" / "fixtures" / "email").glob("*.eml")):
        data = path.read_bytes()
        if data.isascii():
            texts.append((f"email-{path.stem}", data.decode("ascii")))
    return [(f"{cid}/{lang}", text, lang) for cid, text in texts for lang in ("ja", "en")]


@pytest.fixture(scope="module")
def pyodide_dir(request) -> Path:
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the parity test needs it (./test.sh installs it)")
    directory = request.getfixturevalue("built_dist") / "pyodide"  # built after the check for node
    if not (directory / "pyodide-lock.json").exists():
        pytest.fail(f"{directory} is not built: run python3 build.py")
    return directory


@pytest.fixture(scope="module")
def cpython_reports() -> list[str]:
    """CPython's `check_json` of every case, made once for both ways of starting the engine."""
    return [mikiwame.check_json(text, lang) for _, text, lang in cases()]


@pytest.mark.parametrize("mode", ["wheels", "snapshot"])
def test_pyodide_reports_equal_cpython_reports(pyodide_dir, cpython_reports, tmp_path, mode):
    """Both ways the page can start the engine: restoring build.py's snapshot (the normal path) and
    booting Python with the wheels (the fallback)."""
    all_cases = cases()
    assert len(all_cases) > 2 * len(TRICKY), "the corpus (tests/corpus/*.jsonl) is missing"
    assert any("iso2022jp" in cid for cid, _, _ in all_cases), "the ISO-2022-JP e-mail fixture is missing"
    cases_file = tmp_path / "cases.json"
    out_file = tmp_path / "out.json"
    cases_file.write_text(json.dumps([[text, lang] for _, text, lang in all_cases]), encoding="utf-8")
    proc = subprocess.run(
        ["node", str(ROOT / "tests" / "parity_node.mjs"), str(pyodide_dir), str(cases_file), str(out_file), mode],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, f"Pyodide run failed:\n{proc.stdout}\n{proc.stderr}"
    browser = json.loads(out_file.read_text(encoding="utf-8"))

    mismatches = []
    for (cid, _, _), got, expected in zip(all_cases, browser["results"], cpython_reports, strict=True):
        if got.encode("utf-8") != expected.encode("utf-8"):
            mismatches.append(f"{cid}:\n  CPython: {expected[:400]}\n  Pyodide: {got[:400]}")
    assert not mismatches, f"{len(mismatches)} of {len(all_cases)} reports differ:\n" + "\n".join(mismatches[:5])
