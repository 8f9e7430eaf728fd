"""The e-mail intake (mail.py): recognising a source, decoding it, what is shown and what is never read.

Fixtures in tests/fixtures/email/ are our own messages built on real e-mails' structure (make_fixtures.py).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

import mikiwame
from mikiwame import engine, mail
from mikiwame.intake import NotText
from mikiwame.report import encode_json

FIXTURES = Path(__file__).parent / "fixtures" / "email"
CORPUS = Path(__file__).parent / "corpus"


def eml(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# Corpus records that are themselves an e-mail's source, quoted with its header lines first as the page printed
# them: they are e-mails, and the parser reads them (checked below, so the list cannot go stale).
E_MAIL_SOURCES = {"legit-en-google-secalert-1501", "scam-en-gdocs-share-faculty-agenda-r20-013"}


def corpus_records() -> list[dict]:
    """Every message of every corpus file (the corpus grows in parallel: load all *.jsonl)."""
    records = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return records


def corpus_texts() -> list[str]:
    """The corpus messages that are not e-mail sources."""
    return [r["text"] for r in corpus_records() if r["id"] not in E_MAIL_SOURCES]


# --- recognising an e-mail ---------------------------------------------------------------------------------

def test_corpus_e_mail_sources_are_read_as_e_mails():
    sources = [r for r in corpus_records() if r["id"] in E_MAIL_SOURCES]
    assert {r["id"] for r in sources} == E_MAIL_SOURCES
    for record in sources:
        assert mail.looks_like_email(record["text"])
        assert mikiwame.check(record["text"]).email is not None


def test_corpus_text_never_reaches_the_parser(monkeypatch):
    texts = corpus_texts()
    assert len(texts) > 150, "the corpus is missing"
    assert not [t for t in texts if mail.looks_like_email(t)]

    def refuse(*args, **kwargs):
        raise AssertionError("the e-mail parser was called on text that is not an e-mail")

    monkeypatch.setattr(mail, "parse_text", refuse)
    monkeypatch.setattr(mail, "parse_bytes", refuse)
    for text in texts:
        report = mikiwame.check(text)
        assert report.email is None and "headers" not in report.entities


@pytest.mark.parametrize("text", [
    "From: 09090097540\n123456 is your Amazon verification code",  # a sender line, then prose
    "差出人: Amazon.co.jp <account-update@amazon.co.jp>\nご注文ありがとうございます",
    "Subject: hello\n\nonly one header field",
    "Dear customer,\nFrom: support@example.com\nSubject: x\n\n",
    " From: a@b.example\nSubject: x\n\nbody",  # a continuation before any field
    "Note: remember\nTodo: milk\n\nshopping list",  # header-shaped, but no mail fields
])
def test_text_that_is_not_an_email(text):
    assert not mail.looks_like_email(text)
    assert mikiwame.check(text).email is None


@pytest.mark.parametrize("text", [
    "From: Shop <news@shop.co.jp>\nSubject: Sale\n\nbody",
    "From: Shop <news@shop.co.jp>\r\nSubject: Sale\r\n\r\nbody",  # CRLF
    "From sender@example.com Mon Nov 30 09:00:00 2026\nFrom: a@b.co.jp\nDate: Mon, 30 Nov 2026\n\nbody",  # mbox
    "\ufeffReceived: from x\n\tby y; Mon, 30 Nov 2026\nMessage-ID: <a@b>\nFrom: a@b.co.jp\n\nbody",  # BOM, folding
])
def test_text_that_is_an_email(text):
    assert mail.looks_like_email(text)
    report = mikiwame.check(text)
    assert report.email is not None and report.email["text"].startswith("From: ")


# --- decoding ------------------------------------------------------------------------------------------------

def test_iso_2022_jp_mail_decodes():
    report = engine.check_bytes(eml("iso2022jp_order.eml"))
    text = report.email["text"]
    assert text.startswith("From: 見極め書店 <order@bookshop.example.jp>\n")
    assert "Subject: 【ご注文確認】ご注文ありがとうございます\n" in text
    body = text[report.email["body_start"]:]
    assert body.startswith("山田 太郎 様\n\nこのたびは見極め書店をご利用いただき、誠にありがとうございます。\n")
    assert "注文番号：2026-1130\n『吾輩は猫である』 1冊\n" in body
    assert "\ufffd" not in text and "\x1b" not in text
    assert report.verdict == "clean", [f.slug for f in report.findings]


def test_iso_2022_jp_pasted_source_reads_like_the_file():
    """A 7bit ISO-2022-JP source pasted as text (escape sequences and all) gives the file's report."""
    data = eml("iso2022jp_order.eml")
    assert mikiwame.check_json(data.decode("ascii")) == engine.check_bytes_json(data)


def test_shift_jis_with_windows_extensions_decodes():
    report = engine.check_bytes(eml("shift_jis_bill.eml"))
    text = report.email["text"]
    assert "From: 見極め電力 <info@denryoku.example.co.jp>" in text and "Subject: ご請求金額のお知らせ" in text
    assert "㈱見極め電力より① 今月のご請求金額のお知らせです。" in text


@pytest.mark.parametrize(("label", "codec"), [("shift_jis", "cp932"), ("euc-jp", "euc_jis_2004"),
                                              ("iso-2022-jp", "iso2022_jp"), ("utf-8", "utf-8")])
def test_declared_charsets(label, codec):
    assert mail.decode_bytes("ご請求①".encode(codec) if codec != "iso2022_jp" else "ご請求".encode(codec),
                             label).startswith("ご請求")


def test_wrong_or_unknown_charset_falls_back():
    assert mail.decode_bytes("お知らせ".encode("utf-8"), "x-unknown-charset") == "お知らせ"
    assert mail.decode_bytes("お知らせ".encode("cp932"), "us-ascii") == "お知らせ"


# --- HTML, headers, trace headers ------------------------------------------------------------------------

def test_html_part_visible_text_and_links():
    report = engine.check_bytes(eml("html_card_lure.eml"))
    email = report.email
    text = email["text"]
    for hidden in ("TITLE-NOT-SHOWN", "STYLE-NOT-SHOWN", "SCRIPT-NOT-SHOWN"):
        assert hidden not in text
    assert "お客様のカードの利用を一時制限しました。" in text
    pairs = [(text[a["text_start"]:a["text_end"]], a["target"]) for a in email["links"]]
    assert pairs == [("www.aeon.co.jp", "https://aeon-card-check.example.top/login?id=1"),
                     ("こちら", "https://aeon-card-check.example.top/help")]
    finding = next(f for f in report.findings if f.slug == "link-text-brand-mismatch")
    assert [e.text for e in finding.evidence] == ["www.aeon.co.jp", "https://aeon-card-check.example.top/login?id=1"]
    for ev in finding.evidence:
        assert text[ev.start:ev.end] == ev.text


def test_trace_headers_are_never_read():
    report = engine.check_bytes(eml("html_card_lure.eml"))
    dumped = report.to_json()
    for trace in ("sender-trace", "receiver-trace", "msgid-trace", "dkim-trace", "198.51.100.7"):
        assert trace not in dumped
    for finding in report.findings:
        for ev in finding.evidence:
            line = report.email["text"][:ev.start].rsplit("\n", 1)[-1]
            assert ev.start >= report.email["body_start"] or line.startswith(
                ("From: ", "Reply-To: ", "Return-Path: ", "Authentication-Results: ", "Subject: "))


def test_header_facts_are_entities_and_only_the_topmost_auth_is_believed():
    report = engine.check_bytes(eml("html_card_lure.eml"))
    headers = {h["field"]: h for h in report.entities["headers"]}
    assert headers["from"]["address"] == "info@aeon-info.example" and headers["from"]["brand"] == "aeon_card"
    assert headers["from"]["official"] is False
    assert headers["reply-to"]["address"] == "aeon.support.desk@gmail.com"
    auth = headers["authentication"]
    assert (auth["dkim"], auth["spf"], auth["dmarc"]) == ("none", "softfail", "fail")  # not the forged lower one
    slugs = {f.slug for f in report.findings}
    assert {"display-name-brand", "freemail-reply-to", "brand-reply-elsewhere", "sender-auth-failed"} <= slugs
    assert "authenticated-official-sender" not in slugs
    text = report.email["text"]
    for h in report.entities["headers"]:
        assert text[h["start"]:h["end"]] == h["text"]
    assert report.verdict == "scam"


def test_official_authenticated_sender_counts_in_favour():
    report = engine.check_bytes(eml("official_amazon.eml"))
    finding = next(f for f in report.findings if f.slug == "authenticated-official-sender")
    assert finding.weight < 0
    assert [e.text for e in finding.evidence] == ["shipment-tracking@amazon.co.jp", "dkim=pass spf=pass dmarc=pass"]
    english = engine.check_bytes(eml("official_amazon.eml"), "en")
    said = next(f for f in english.findings if f.slug == "authenticated-official-sender").message
    assert "topmost Authentication-Results" in said  # the report says which header it believed
    assert any("topmost Authentication-Results" in n for n in english.notices)
    assert report.verdict == "clean"


def test_a_forged_lower_pass_is_not_believed():
    """The sender can write any Authentication-Results below the receiving server's: only the top one counts."""
    data = eml("official_amazon.eml").replace(
        b"Authentication-Results: mx.google.com; dkim=pass",
        b"Authentication-Results: mx.google.com; dkim=none; dmarc=fail header.from=amazon.co.jp\r\n"
        b"Authentication-Results: mx.google.com; dkim=pass", 1)
    report = engine.check_bytes(data)
    slugs = {f.slug for f in report.findings}
    assert "authenticated-official-sender" not in slugs and "sender-auth-failed" in slugs


def test_email_report_json_is_the_dict():
    for name in sorted(p.name for p in FIXTURES.glob("*.eml")):
        for lang in ("ja", "en"):
            report = engine.check_bytes(eml(name), lang)
            assert report.to_json() == encode_json(report.to_dict())
            assert json.loads(report.to_json())["email"]["text"] == report.email["text"]


# --- hostile input never crashes and is never silently clean --------------------------------------------

HOSTILE = [
    b"From: a@b.co.jp\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\n--\r\n",
    b"From: a@b.co.jp\r\nSubject: x\r\nContent-Type: text/html; charset=x-nonsense\r\n\r\n<a href='http://[::1'>x</a><<<",
    b"From: \"unclosed <a@b.co.jp\r\nSubject: =?utf-8?B?!!!?=\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not base64",
    b"From: =?iso-2022-jp?B?GyRCJCIbKEI?= <>\r\nDate: x\r\nContent-Type: message/rfc822\r\n\r\nnot a message",
    b"Received: x\r\nFrom: \xff\xfe\x80 <a@b.co.jp>\r\nSubject: \x93\xfa\x96{\r\n\r\n\x93\xfa\x96{\x8c\xea",
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_mail_never_crashes(data):
    for report in (engine.check_bytes(data), mikiwame.check(data.decode("latin-1"))):
        json.loads(report.to_json())


def test_random_mail_shaped_bytes_never_crash():
    rng = random.Random(12)
    base = eml("html_card_lure.eml")
    for _ in range(60):
        data = bytearray(base)
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            json.loads(engine.check_bytes(bytes(data)).to_json())
        except NotText as exc:  # a damaged header block with a NUL in it: refused with a reason, not a crash
            assert "binary" in str(exc) or "not text" in str(exc)


def test_non_mail_bytes_are_read_as_text():
    assert engine.check_bytes("アマゾン 未納料金".encode("cp932")).email is None
    assert engine.text_of_bytes("アマゾン".encode("cp932")) == "アマゾン"
    assert engine.text_of_bytes("\ufeffアマゾン".encode("utf-8")) == "アマゾン"
    assert engine.text_of_bytes("アマゾン".encode("utf-16")) == "アマゾン"


# --- command line ------------------------------------------------------------------------------------------

def _cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mikiwame", *args], input=stdin, capture_output=True, timeout=60)


def test_cli_file_and_stdin():
    path = str(FIXTURES / "html_card_lure.eml")
    by_path = _cli("--file", path, "--json")
    assert by_path.returncode == 2
    report = json.loads(by_path.stdout)
    assert report["email"]["text"].startswith("From: イオンカード")
    by_stdin = _cli("--file", "-", "--json", stdin=eml("html_card_lure.eml"))
    assert by_stdin.returncode == 2 and by_stdin.stdout == by_path.stdout
    readable = _cli("--file", path, "--lang", "en", "--colour", "never")
    assert b"| From: \xe3\x82\xa4" in readable.stdout  # the caret lines quote the shown header line


def test_cli_file_errors():
    assert _cli("--file", str(FIXTURES / "missing.eml")).returncode == 64
    assert _cli("--file", "-", "text too").returncode == 64


def test_cli_file_refuses_binary_and_reads_other_encodings(tmp_path):
    """A file that is not an e-mail is decoded like standard input: binary data is refused (exit 65, never
    a silent "clean"); Shift_JIS text is read and checked."""
    binary = tmp_path / "program.bin"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\0" + bytes(range(256)) * 40)
    refused = _cli("--file", str(binary))
    assert refused.returncode == 65 and refused.stdout == b"" and b"binary" in refused.stderr
    sjis = tmp_path / "sms.txt"
    sjis.write_bytes("アマゾンジャパン(株) 未納料金が発生しております。本日中にご連絡なき場合、法的手続きに移行します。"
                     "03-4339-2745".encode("cp932"))
    assert _cli("--file", str(sjis)).returncode == 2


def test_check_bytes_refuses_binary():
    with pytest.raises(NotText):
        engine.check_bytes(b"\0\x01\x02" * 100)
