"""The command line, run as a real subprocess (`python -m mikiwame` and the `mikiwame` console script)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import mikiwame

ROOT = Path(__file__).resolve().parents[1]
SEED_1 = ("コンテンツの利用料金の精算確認が取れません。本日ご連絡なき場合には法的手続きに移行致します。"
          "アマゾンジャパン(株) (0343392745)")  # tests/corpus/scam.jsonl scam-seed-1
PERSONAL = "明日7時に駅で待ち合わせね"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "mikiwame", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=60)


def test_text_argument_gives_readable_report_and_exit_2_for_a_seed() -> None:
    proc = run(SEED_1)
    assert proc.returncode == 2, proc.stderr
    out = proc.stdout
    assert "詐欺の可能性が高い" in out
    assert "MK001 legal-form-mismatch" in out
    assert "MK005 known-scam-number" in out
    assert "(株)" in out and "^^^" in out, "evidence is shown with a caret underline"
    assert "\033[" not in out, "no colour codes when not a terminal"


def test_caret_sits_under_the_evidence() -> None:
    out = run("アマゾンジャパン(株) 0343392745").stdout.splitlines()
    i = next(n for n, line in enumerate(out) if line.startswith("MK001"))
    line, carets = out[i + 2], out[i + 3]
    assert line.endswith("アマゾンジャパン(株) 0343392745")
    # アマゾンジャパン is 8 wide characters (16 columns); (株) is "(" + wide 株 + ")" = 4 columns.
    assert carets == "    | " + " " * 16 + "^^^^"


def test_stdin_input() -> None:
    proc = run(stdin=SEED_1)
    assert proc.returncode == 2
    assert "MK001 legal-form-mismatch" in proc.stdout


def test_json_matches_the_library() -> None:
    proc = run("--json", SEED_1)
    assert proc.returncode == 2
    assert json.loads(proc.stdout) == mikiwame.check(SEED_1).to_dict()


def test_json_from_stdin_lang_en() -> None:
    proc = run("--json", "--lang", "en", stdin=SEED_1)
    d = json.loads(proc.stdout)
    assert d == mikiwame.check(SEED_1, "en").to_dict()
    assert d["lang"] == "en" and d["headline"] == "Likely a scam"


def test_lang_en_text_report() -> None:
    proc = run("--lang", "en", SEED_1)
    assert proc.returncode == 2
    assert "Likely a scam" in proc.stdout
    assert "Wrong legal form for the company" in proc.stdout


def test_clean_message_exit_0() -> None:
    proc = run(PERSONAL)
    assert proc.returncode == 0
    assert "既知の詐欺の特徴は見つかりませんでした" in proc.stdout


def test_exit_code_follows_the_verdict() -> None:
    # One real corpus message per verdict the library gives; the CLI's exit code must agree (0/1/2).
    by_verdict: dict[str, str] = {}
    for name in ("scam.jsonl", "legit.jsonl"):
        for line in (ROOT / "tests" / "corpus" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                by_verdict.setdefault(mikiwame.check(item["text"]).verdict, item["text"])
    assert "suspicious" in by_verdict, "no suspicious message in the corpus to test exit code 1 with"
    for verdict, text in by_verdict.items():
        assert run(text).returncode == {"clean": 0, "suspicious": 1, "scam": 2}[verdict], verdict


def test_jsonl_batch() -> None:
    lines = [
        json.dumps({"id": "a", "text": SEED_1}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "c", "text": PERSONAL, "lang": "en"}, ensure_ascii=False),
        json.dumps({"id": "d", "body": "no text field"}),
        json.dumps({"id": 5, "text": "アマゾンジャパン合同会社 0120-999-373"}, ensure_ascii=False),
    ]
    proc = run("--jsonl", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 3, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["id"] == "a" and out[0]["verdict"] == "scam"
    assert {k: v for k, v in out[0].items() if k != "id"} == mikiwame.check(SEED_1).to_dict()
    assert out[1] == {"error": out[1]["error"], "line": 2} and out[1]["error"]
    assert out[2]["id"] == "c" and out[2]["lang"] == "en" and out[2]["verdict"] == "clean"
    assert out[3]["line"] == 4 and "error" in out[3] and "verdict" not in out[3]
    assert out[4]["id"] == 5 and "verdict" in out[4]


def test_jsonl_all_good_exit_0_and_blank_lines_skipped() -> None:
    stdin = json.dumps({"text": PERSONAL}, ensure_ascii=False) + "\n\n" + json.dumps({"text": SEED_1},
                                                                                  ensure_ascii=False) + "\n"
    proc = run("--jsonl", stdin=stdin)
    assert proc.returncode == 0
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["verdict"] for o in out] == ["clean", "scam"]


def test_jsonl_rejects_a_text_argument() -> None:
    assert run("--jsonl", "text").returncode == 64


def test_empty_input_is_clean_with_a_notice() -> None:
    proc = run("--json", stdin="")
    assert proc.returncode == 0
    d = json.loads(proc.stdout)
    assert d["verdict"] == "clean" and d["findings"] == [] and d["notices"]
    text_proc = run(stdin="")
    assert text_proc.returncode == 0
    assert "貼り付けて" in text_proc.stdout


def test_invalid_utf8_on_stdin_does_not_crash() -> None:
    proc = subprocess.run([sys.executable, "-m", "mikiwame", "--json"], input=b"\xff\xfe abc \x80",
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.decode("utf-8"))["verdict"] == "clean"


def test_usage_error_exit_64() -> None:
    assert run("--no-such-option").returncode == 64


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and mikiwame.__version__ in proc.stdout


def test_console_script_exists_in_the_venv() -> None:
    script = Path(sys.executable).parent / "mikiwame"
    assert script.exists(), f"{script} missing: pip install -e ."
    proc = subprocess.run([str(script), "--json", SEED_1], capture_output=True, text=True, encoding="utf-8",
                          timeout=60)
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["verdict"] == "scam"


def test_jsonl_with_invalid_utf8_and_lone_surrogates_stays_valid_json() -> None:
    stdin = (b'{"id": 1, "text": "\xff\xfe \xe3\x82\xa2\xe3\x83\x9e\xe3\x82\xbe\xe3\x83\xb3 0343392745"}\n'
             b'{"id": 2, "text": "\\ud800 0343392745 \\udfff"}\n')
    proc = subprocess.run([sys.executable, "-m", "mikiwame", "--jsonl"], input=stdin, capture_output=True,
                          timeout=60)
    lines = proc.stdout.decode("utf-8").splitlines()  # strict: every byte written is valid UTF-8
    out = [json.loads(line) for line in lines]
    assert [o.get("id") for o in out] == [1, 2]
    assert all("verdict" in o for o in out), out
    assert proc.returncode == 0


def test_jsonl_streams_each_answer_before_the_next_line_arrives() -> None:
    """A producer that waits for each report before sending the next line must not deadlock: the CLI
    flushes whenever it is about to wait for input."""
    proc = subprocess.Popen([sys.executable, "-m", "mikiwame", "--jsonl"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, encoding="utf-8",
                            env={**os.environ, "NO_COLOR": "1"})
    try:
        for n, text in enumerate(["こんにちは", "アマゾンジャパン(株) 本日中にご連絡なき場合法的手続きに移行 0343392745"]):
            proc.stdin.write(json.dumps({"id": n, "text": text}, ensure_ascii=False) + "\n")
            proc.stdin.flush()
            answer = json.loads(proc.stdout.readline())  # blocks until the CLI flushes this line
            assert answer["id"] == n
        assert answer["verdict"] == "scam"
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
