"""The command line, run as a real subprocess (`python -m mikiwame` and the `mikiwame` console script)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

import mikiwame
from mikiwame import cli

ROOT = Path(__file__).resolve().parents[1]
SEED_1 = ("コンテンツの利用料金の精算確認が取れません。本日ご連絡なき場合には法的手続きに移行致します。"
          "アマゾンジャパン(株) (0343392745)")  # tests/corpus/scam.jsonl scam-seed-1
PERSONAL = "明日7時に駅で待ち合わせね"
EXIT_BY_VERDICT = {"clean": 0, "suspicious": 1, "scam": 2}


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


def run_bytes(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "mikiwame", *args], input=stdin, capture_output=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=60)


@pytest.mark.parametrize("codec, label", [
    ("utf-8", None), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-16", "UTF-16LE"), ("utf-16-le", "UTF-16LE"),
    ("utf-16-be", "UTF-16BE"), ("utf-32", "UTF-32LE"), ("cp932", "Shift_JIS"), ("shift_jis", "Shift_JIS"),
    ("euc_jp", "EUC-JP"), ("iso2022_jp", "ISO-2022-JP"),
])
def test_stdin_encoding_is_detected_and_named(codec: str, label: str | None) -> None:
    # Before: UTF-16 gave "clean 0" and Shift_JIS "suspicious 45" for this scam.
    proc = run_bytes("--json", stdin=SEED_1.encode(codec))
    assert proc.returncode == 2, proc.stderr.decode()
    d = json.loads(proc.stdout.decode("utf-8"))
    expected = mikiwame.check(SEED_1).to_dict()
    assert {k: v for k, v in d.items() if k != "notices"} == {k: v for k, v in expected.items() if k != "notices"}
    if label is None:
        assert d["notices"] == []
    else:
        assert d["notices"] == [f"入力は {label} の文字コードとして読みました。"]


def test_english_utf16_without_bom_and_the_notice_in_the_readable_report() -> None:
    text = "Your parcel is on hold. Pay the customs fee today: http://jp-post.delivery-check.top/pay"
    proc = run_bytes("--lang", "en", stdin=text.encode("utf-16-le"))
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == EXIT_BY_VERDICT[mikiwame.check(text, "en").verdict]
    assert "! The input was read as UTF-16LE." in out
    assert "delivery-check.top" in out


def test_short_shift_jis_and_euc_jp_are_told_apart() -> None:
    for codec, label in (("cp932", "Shift_JIS"), ("euc_jp", "EUC-JP")):
        proc = run_bytes("--json", stdin=PERSONAL.encode(codec))
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["notices"] == [f"入力は {label} の文字コードとして読みました。"]


@pytest.mark.parametrize("name", ["bin-ls", "random", "random-without-nul", "utf16-bom-then-junk"])
def test_binary_input_is_refused_with_its_own_exit_code(name: str) -> None:
    rnd = random.Random(13)
    data = {
        "bin-ls": Path("/bin/ls").read_bytes() if Path("/bin/ls").exists() else bytes(range(256)) * 64,
        "random": rnd.randbytes(20_000),
        "random-without-nul": bytes(b for b in rnd.randbytes(20_000) if b),
        "utf16-bom-then-junk": b"\xff\xfe abc \x80",  # a UTF-16 mark, then three code units of rare kanji
    }[name]
    for args in ((), ("--json",)):
        proc = run_bytes(*args, stdin=data)
        assert proc.returncode == 65, (name, proc.returncode, proc.stdout[:200])
        assert proc.stdout == b"", "no report (and so never 'clean') for input that is not text"
        err = proc.stderr.decode("utf-8")
        assert err.startswith("mikiwame: cannot check standard input:") and ("binary" in err or "encoding" in err)


@pytest.mark.parametrize("args, stdin", [(("",), None), ((), ""), (("--json",), ""), (("   \n",), None),
                                         (("--json",), " \n\t")])
def test_empty_input_is_a_usage_error_not_clean(args: tuple[str, ...], stdin: str | None) -> None:
    proc = run(*args, stdin=stdin)
    assert proc.returncode == 64
    assert proc.stdout == ""
    assert "nothing to check: the message is empty" in proc.stderr


def test_help_names_every_exit_code() -> None:
    out = run("--help").stdout
    for code in ("0 clean", "1 suspicious", "2 scam", "3 --jsonl", "64 usage error or empty message",
                 "65 input is not text", "141 the output pipe was closed"):
        assert code in " ".join(out.split()), code


def test_a_long_one_line_message_prints_a_window_around_each_piece_of_evidence() -> None:
    # 14.8 KB on one line printed 181 KB before: the whole line under every piece of evidence.
    filler = "お知らせ本文です。" * 280
    text = filler + SEED_1 + filler
    assert "\n" not in text and len(text.encode()) > 14_000
    proc = run(text)
    assert proc.returncode == 2
    alone = run(SEED_1).stdout  # the same report for the scam on its own: only the windows may add to it
    evidence_lines = proc.stdout.count("\n    | ") // 2
    assert len(proc.stdout) <= len(alone) + evidence_lines * 2 * 32, (len(proc.stdout), len(alone))
    out = proc.stdout.splitlines()
    i = next(n for n, line in enumerate(out) if line.startswith("MK001"))
    line, carets = out[i + 2], out[i + 3]
    assert line.startswith("    | …") and line.endswith("…")
    shown = line[len("    | "):]
    pad = carets[len("    | "):].index("^")
    width = 0
    for k, ch in enumerate(shown):  # the carets start under the evidence, counting wide characters twice
        if width == pad:
            assert shown[k:].startswith("(株)"), shown[k:k + 5]
            break
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    else:
        raise AssertionError("the caret column is not on a character boundary")
    assert carets.endswith("^^^^") and set(carets[len("    | ") + pad:]) == {"^"}


def test_jsonl_error_objects_keep_the_id_and_say_which_input_line() -> None:
    lines = [
        json.dumps({"id": "ok", "text": PERSONAL}, ensure_ascii=False),
        json.dumps({"id": "no-text", "body": "x"}),
        '{"id": "broken", "text": "unterminated}',
        json.dumps(["not", "an", "object"]),
    ]
    proc = run("--jsonl", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 3
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert out[0]["id"] == "ok" and "verdict" in out[0]
    assert out[1] == {"id": "no-text", "error": out[1]["error"], "line": 2}
    assert 'input line 2 must be a JSON object with a string "text"' in out[1]["error"]
    assert out[2] == {"error": out[2]["error"], "line": 3}, "the line did not parse: no id to keep"
    assert out[2]["error"].startswith("invalid JSON at column ") and " of input line 3: " in out[2]["error"]
    assert "line 1 column" not in out[2]["error"]
    assert out[3] == {"error": out[3]["error"], "line": 4}


def test_jsonl_unknown_lang_falls_back_with_a_notice() -> None:
    lines = [json.dumps({"id": 1, "text": SEED_1, "lang": "fr"}, ensure_ascii=False),
             json.dumps({"id": 2, "text": SEED_1, "lang": "en"}, ensure_ascii=False)]
    proc = run("--jsonl", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0
    fr, en = (json.loads(line) for line in proc.stdout.splitlines())
    assert fr["lang"] == "ja" and fr["notices"] == ["言語「fr」には対応していないため、ja で説明しています（対応: ja, en）。"]
    assert en["lang"] == "en" and en["notices"] == []
    proc = run("--jsonl", "--lang", "en", stdin=lines[0] + "\n")
    assert json.loads(proc.stdout)["notices"] == [
        'Language "fr" is not supported; the explanations are in en (supported: ja, en).']


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


def _env_buffered(unbuffered: bool) -> dict[str, str]:
    """The environment with or without PYTHONUNBUFFERED (which makes sys.stdout write through)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return {**env, "NO_COLOR": "1", **({"PYTHONUNBUFFERED": "1"} if unbuffered else {})}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("unbuffered", [False, True])
def test_jsonl_streams_each_answer_before_the_next_line_arrives(unbuffered: bool, jobs: str) -> None:
    """A producer that waits for each report before sending the next line must not deadlock: the CLI
    flushes whenever it is about to wait for input (its reports are gathered in ``cli.Batched`` while more
    input is at hand, whether or not the stream itself buffers), and checks a read of a few lines at once
    whatever ``--jobs`` says."""
    proc = subprocess.Popen([sys.executable, "-m", "mikiwame", "--jsonl", "--jobs", jobs], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, encoding="utf-8",
                            env=_env_buffered(unbuffered))
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


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    # `mikiwame "…" | head -1`: the pipe closes before the report is written.
    long_text = SEED_1 + " " + "http://a.top/x " * 200
    proc = subprocess.Popen([sys.executable, "-m", "mikiwame", "--colour", "never", long_text],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 141 == cli.EXIT_PIPE


def _corpus_lines(n: int) -> list[dict]:
    """``n`` corpus messages (both files, both languages, shuffled), as --jsonl input objects."""
    items = []
    for name in ("scam.jsonl", "legit.jsonl"):
        with open(ROOT / "tests" / "corpus" / name, encoding="utf-8") as f:
            items += [json.loads(line) for line in f if line.strip()]
    random.Random(13).shuffle(items)
    return [{"id": i, "text": item["text"], "lang": item.get("lang", "ja")} for i, item in enumerate(items[:n])]


def test_jsonl_report_lines_are_what_the_text_stream_wrote() -> None:
    """--jsonl writes bytes (``cli._jsonl_report`` → ``cli.Batched``): for every kind of line (plain
    messages in both languages, an e-mail, over-long and blank text, an unknown "lang", an "id" with a lone
    surrogate) the bytes that the UTF-8 text stream with errors="replace" wrote for the report as text."""
    import io

    from mikiwame.engine import check

    items = _corpus_lines(300) + [
        {"id": "mail", "text": "From: a@b.co\nSubject: x\n\nhttps://bit.ly/x 本日中に", "lang": "en"},
        {"id": 7, "text": "x" * 10_001}, {"text": "   "}, {"id": [1, "a"], "text": "Amazon: verify", "lang": "fr"},
        {"id": "\ud800", "text": "\udfff アマゾン 0343392745"}]
    binary = io.BytesIO()
    batched = cli.Batched(binary)
    text_bytes = io.BytesIO()
    stream = io.TextIOWrapper(text_bytes, encoding="utf-8", errors="replace", newline="\n", write_through=True)
    for item in items:
        batched.write(cli._jsonl_report(item, "ja") + b"\n")
        asked = item.get("lang", "ja")
        report = check(item["text"], asked if asked in ("ja", "en") else "ja")
        if asked not in ("ja", "en"):
            report = cli.with_notice(report, "lang", asked=str(asked), used="ja")
        as_dict = ({"id": item["id"]} if "id" in item else {}) | report.to_dict()
        stream.write(json.dumps(as_dict, ensure_ascii=False, separators=(",", ":")) + "\n")
    assert len(binary.getvalue()) > 0, "a full batch is written before the end"
    batched.flush()
    assert binary.getvalue() == text_bytes.getvalue()


def test_jsonl_batched_output_writes_a_batch_at_a_time() -> None:
    """The point of ``Batched``: hundreds of reports cost a few writes, not one each (under
    PYTHONUNBUFFERED every write to sys.stdout is a system call)."""
    writes: list[bytes] = []

    class Sink:
        def write(self, data: bytes) -> None:
            writes.append(data)

        def flush(self) -> None:
            pass

    batched = cli.Batched(Sink())  # type: ignore[arg-type]
    for n in range(600):
        batched.write(f'{{"id":{n}}}\n'.encode())
    batched.flush()
    assert len(writes) == 600 // cli.Batched.BATCH + 1
    assert b"".join(writes) == "".join(f'{{"id":{n}}}\n' for n in range(600)).encode()


def test_jsonl_output_is_the_same_with_and_without_pythonunbuffered() -> None:
    """The CLI's bytes do not depend on the stream's buffering: both equal the in-process reports."""
    items = _corpus_lines(400) + [{"id": "bad"}]
    stdin = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode("utf-8")
    outputs = [subprocess.run([sys.executable, "-m", "mikiwame", "--jsonl"], input=stdin, capture_output=True,
                              env=_env_buffered(unbuffered), timeout=120) for unbuffered in (False, True)]
    assert [p.returncode for p in outputs] == [3, 3]
    assert outputs[0].stdout == outputs[1].stdout
    lines = outputs[0].stdout.decode("utf-8").splitlines()
    assert len(lines) == len(items)
    for item, line in zip(items[:-1], lines):
        assert line.encode("utf-8") == cli._jsonl_report(item, "ja")
    assert json.loads(lines[-1])["id"] == "bad"


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("unbuffered", [False, True])
def test_jsonl_reader_that_stops_early_gets_no_traceback(unbuffered: bool, jobs: str) -> None:
    """`mikiwame --jsonl < many.jsonl | head -1`: the pipe closes while ``cli.Batched`` holds or writes a
    batch; the CLI stops quietly with 141, whether or not the stream itself buffers, and with ``--jobs 2``
    its worker ends too (or the pipe's reader would wait for it)."""
    stdin = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in _corpus_lines(600)).encode("utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "mikiwame", "--jsonl", "--jobs", jobs], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env_buffered(unbuffered))
    proc.stdout.close()
    _, err = proc.communicate(stdin, timeout=120)
    assert "Traceback" not in err.decode("utf-8") and b"BrokenPipeError" not in err, err
    assert proc.returncode == 141 == cli.EXIT_PIPE


def _loads_or_error(parse, line: str) -> tuple[str, object]:
    try:
        return "value", parse(line)
    except ValueError as exc:  # JSONDecodeError: its message, line and column
        return type(exc).__name__, str(exc)


def test_jsonl_line_parse_is_json_loads() -> None:
    """``cli._parsed`` (one C scanner call for a well-formed line) gives what ``json.loads`` gives, value
    or error, for lines a producer writes and for every way a line can differ from one."""
    lines = [json.dumps(item, ensure_ascii=ascii) + end for item in _corpus_lines(200)
             for ascii, end in ((False, "\n"), (True, "\r\n"), (False, ""))]
    lines += ['{"text": "a"}  \t\n', ' {"text": "a"}\n', '\ufeff{"text": "a"}\n', '{"text": "a"} {"text": "b"}\n',
              '{"text": "a"}\x0b\n', '{"text": "a"}\u3000\n', '{"text": "a"}x', "{not json\n", '{"text": "\\ud800"}\n',
              '[1, 2]\n', '"text"\n', "3\n", "nul\n", "null\n", "NaN\n", "-Infinity\n", "{}\n", '{"text": "a"\n',
              '{"a": {"b": [1, {"c": null}]}}\n', "", "\n", "  \n", '{"text": "a", "text": "b"}\n']
    for line in lines:
        assert _loads_or_error(cli._parsed, line) == _loads_or_error(json.loads, line), repr(line)
