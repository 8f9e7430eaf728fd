"""web/ocr-text.js: lines read from a screenshot become the message text again (run under Node).

The boxes below are laid out like tesseract.js reports them for a 1080 px screenshot of a bubble whose text
runs from x = 80 to at most x = 834 (line boxes 44 px high, 66 px apart). Each wrapped-line case is also
checked the way it matters: the engine finds the link or number whole in the joined text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import mikiwame

ROOT = Path(__file__).resolve().parents[1]
RIGHT = 834  # the bubble's right edge in these layouts
WIDTH = 1080


def bubble(*lines: tuple[str, int], block: int = 0, top: int = 150) -> list[dict]:
    """OCR lines: (text, right edge x1) each, stacked from `top`."""
    return [{"text": text + "\n", "x0": 80, "y0": top + 66 * i, "x1": x1, "y1": top + 66 * i + 44, "block": block}
            for i, (text, x1) in enumerate(lines)]


def run_node(cases: list[dict]) -> list:
    """Call the module's functions under Node: [{fn, args}] -> their results."""
    if shutil.which("node") is None:
        pytest.fail("node is not installed: ./test.sh installs it")
    proc = subprocess.run(["node", str(ROOT / "tests" / "ocr_text_node.mjs")], input=json.dumps(cases),
                          capture_output=True, text=True, check=True)
    out = json.loads(proc.stdout)
    for case, result in zip(cases, out):
        assert "error" not in result, f"{case['fn']} raised: {result['error']}"
    return [r["ok"] for r in out]


def text_from(lines: list[dict]) -> str:
    return run_node([{"fn": "textFromLines", "args": [lines, WIDTH]}])[0]


def test_japanese_wrapped_lines_are_joined_without_spaces():
    # From the benchmark (scam-amazon-002): "す" moved down with the "。" that may not start a line, so
    # the first line ends a character short of the edge.
    lines = bubble(("登録料金の未納が発生しておりま", 782), ("す。本日ご連絡なき場合、法的手続", RIGHT),
                   ("きに移行します。アマゾンカスタマ", 832), ("ーセンター03-6903-1303", 609))
    assert text_from(lines) == "登録料金の未納が発生しております。本日ご連絡なき場合、法的手続きに移行します。アマゾンカスタマーセンター03-6903-1303"


def test_a_link_cut_by_the_bubble_is_one_link_again():
    lines = bubble(("Amazonアカウント確認 https://amazon-verify.exa", RIGHT), ("mple-login.top/a", 420),
                   ("ご確認ください", 500))
    text = text_from(lines)
    assert text == "Amazonアカウント確認 https://amazon-verify.example-login.top/a\nご確認ください"
    urls = [u["text"] for u in mikiwame.check(text).to_dict()["entities"]["urls"]]
    assert urls == ["https://amazon-verify.example-login.top/a"]


def test_a_phone_number_cut_by_the_bubble_is_one_number_again():
    lines = bubble(("至急お電話ください。窓口0120-12", RIGHT), ("3-456 まで（24時間受付）", 600), ("以上", 200))
    text = text_from(lines)
    assert text == "至急お電話ください。窓口0120-123-456 まで（24時間受付）\n以上"
    numbers = [p["number"] for p in mikiwame.check(text).to_dict()["entities"]["phones"]]
    assert numbers == ["0120123456"]


def test_a_link_wrapped_at_its_hyphen_is_joined_even_if_the_line_is_short():
    # Browsers may wrap a link after "-" before the line is full (from the benchmark: scam-hmrc-002).
    lines = bubble(("to claim your Tax refund at: https://gov-", 700), ("tax.refundpr.com/", 400))
    text = text_from(lines)
    assert text == "to claim your Tax refund at: https://gov-tax.refundpr.com/"
    assert [u["text"] for u in mikiwame.check(text).to_dict()["entities"]["urls"]] == [
        "https://gov-tax.refundpr.com/"]


def test_a_token_longer_than_a_line_is_joined_again():
    # From the benchmark (scam-bank-en-002, scam-bank-en-003): a defanged link and a random domain, each
    # longer than the bubble, are cut where the line ends.
    lines = bubble(("MSG:Wells Fargo Notice: Please go to", 790), ("hxxp://account.wellsfargo4387171", RIGHT - 10),
                   ("744ll3.com/", 330))
    text = text_from(lines)
    assert text == "MSG:Wells Fargo Notice: Please go to hxxp://account.wellsfargo4387171744ll3.com/"
    lines = bubble(("Verify at", 300), ("3482owur7g2793rh9qoweusfvbosz", RIGHT - 8), ("dufb9qw4.xyz today", 500))
    assert text_from(lines) == "Verify at\n3482owur7g2793rh9qoweusfvboszdufb9qw4.xyz today"


def test_english_wrapped_at_a_space_is_joined_with_a_space():
    lines = bubble(("Your parcel is on hold. Pay the", 800), ("small fee to release it now:", 790),
                   ("royalmail-redelivery.top", 500))
    assert text_from(lines) == "Your parcel is on hold. Pay the small fee to release it now: royalmail-redelivery.top"


def test_an_english_line_is_wrapped_only_if_the_next_word_did_not_fit():
    # From the benchmark (scam-usps-002): a line end read where the bubble wrapped changed the verdict.
    lines = bubble(("Dear customer,", 400), ("Please confirm your address in", 760), ("the link below", 420))
    assert text_from(lines) == "Dear customer,\nPlease confirm your address in the link below"


def test_line_ends_of_the_sender_are_kept():
    # No line reaches a common edge: nothing was wrapped.
    lines = bubble(("佐川急便", 280), ("配達日程のご確認", 520), ("通知日: 2025-06-13", 560))
    assert text_from(lines) == "佐川急便\n配達日程のご確認\n通知日: 2025-06-13"


def test_one_long_narrow_line_is_not_taken_for_a_wrap():
    # The longest line of a block always ends at "the edge"; alone and under half the width, it is not a wrap.
    lines = bubble(("こんにちは", 300), ("明日の件です", 420), ("よろしく", 330))
    assert text_from(lines) == "こんにちは\n明日の件です\nよろしく"


def test_a_link_that_would_run_on_into_japanese_keeps_its_line_end():
    assert run_node([{"fn": "joinSeparator", "args": ["詳細 https://x-login.top/abc", "をご確認"]}]) == ["\n"]
    lines = bubble(("ログインはこちら https://rakuten-card.example-login.top/", RIGHT), ("本日中に", 300))
    text = text_from(lines)
    assert [u["text"] for u in mikiwame.check(text).to_dict()["entities"]["urls"]] == [
        "https://rakuten-card.example-login.top/"]


@pytest.mark.parametrize(
    ("a", "b", "tight", "sep"),
    [
        ("Your parcel is on hold.", "Pay now", False, " "),  # a sentence's full stop is not a link
        ("release it now:", "royalmail-redelivery.top", False, " "),
        ("visit example.com", "today", False, " "),  # a whole domain, then a word
        ("https://t.co/abc", "DEF", True, ""),  # cut inside a link's path (no room for a space)
        ("https://amazon-verify.exa", "mple-login.top/a", False, ""),
        ("https:", "//bit.ly/x", False, ""),
        ("mail me at support@", "example.com", False, ""),
        ("call 0120-", "123-456", False, ""),
        ("お問い合わせは", "こちら", False, ""),
        ("www.example.top/a", "にアクセス", False, "\n"),
        # A compound wrapped after its hyphen keeps the hyphen and nothing else (scam-en-hsbc-002).
        ("please visit: secure key-device-", "protection.com.", False, ""),
        ("the COVID-", "19 app", False, ""),
        ("a life-", "threatening fire", False, ""),
        ("wait -", "then pay", False, " "),  # a dash set apart is not a compound's hyphen
        ("pay now -", "- or later", False, " "),
        # A link after Japanese text: a space keeps them apart; Japanese after Japanese: nothing between.
        ("ご確認ください。", "https://x-login.top/a", False, " "),
        ("詳細はこちら", "www.example.top", False, " "),
        # A bare host name too: glued to Japanese, the engine would not see it as a link (scam-ja-japanpost-r3-001).
        ("ご不便おかけしてすみません", "post.japanpost.jp", False, " "),
        ("詳細は", "example-login.top/a", False, " "),
        ("ご確認ください", "No.1の", False, ""),  # not a host name
        ("料金は", "3.5km", False, ""),
        ("ご確認ください。", "本日中に", False, ""),
        ("詳細:", "https://x.top", False, " "),  # no break between ":" and a letter: a space was there
        # A line that starts with a whole phone number is not the rest of the link (legit-ja-cedyna-sms-001).
        ("http://www.cedyna.co.jp/s/124/", "0120-440-620 15:18", False, "\n"),
        ("https://x.example/", "03-1234-5678", True, "\n"),
        ("https://x.example/s/", "0120/abc", False, ""),  # digits of a path, not a phone number
        ("https://x.example/", "0120-440-620abc", False, ""),
        # Close to the edge, but the line had a space to break at: the wrap was at a space (scam-en-sbi-002).
        ("blocked Now Click http://sbikvs.II", "Update by NetBanking.", True, " "),
        ("http://sbikvs.IIUpdateAndMoreLetter", "s", True, ""),  # the whole line one token: a cut word
    ],
)
def test_join_separator(a, b, tight, sep):
    assert run_node([{"fn": "joinSeparator", "args": [a, b, tight]}]) == [sep]


def test_a_bubble_that_tesseract_cut_into_blocks_is_still_one_bubble():
    # From the benchmark (scam-bank-en-002): Tesseract gave each of these lines a block of its own.
    lines = [
        {"text": "Today 12:34", "x0": 441, "y0": 52, "x1": 639, "y1": 90, "block": 0},
        {"text": "MSG:Wells Fargo Notice: Please go\n\n", "x0": 77, "y0": 159, "x1": 829, "y1": 210, "block": 1},
        {"text": "to", "x0": 73, "y0": 230, "x1": 116, "y1": 265, "block": 2},
        {"text": "hxxp://account.wellsfargo4387171", "x0": 76, "y0": 288, "x1": 834, "y1": 339, "block": 2},
        {"text": "744l(3.com/", "x0": 74, "y0": 354, "x1": 334, "y1": 402, "block": 3},  # as read
    ]
    assert text_from(lines) == "Today 12:34\nMSG:Wells Fargo Notice: Please go to hxxp://account.wellsfargo4387171744ll3.com/"


@pytest.mark.parametrize(
    ("read", "repaired"),
    [
        ("hxxp://account.wellsfargo4387171744l(3.com/", "hxxp://account.wellsfargo4387171744ll3.com/"),
        ("https://examp|e-login.top/a", "https://example-login.top/a"),
        ("Amazon Japan(株)", "Amazon Japan(株)"),  # not a host
        ("料金(6/1〜6/15)", "料金(6/1〜6/15)"),
        ("call(0120) now", "call(0120) now"),  # no ".tld" follows
        ("a|b c", "a|b c"),
        # "|" cannot be in a URL: in a link's path it is a thin "l" (scam-en-halifax-001), with a "!" too.
        ("halifaxfraudpreventionteam.com/!|ogin.", "halifaxfraudpreventionteam.com/login."),
        ("https://t.co/ab|c", "https://t.co/ablc"),
        ("see www.example.top/he|p now", "see www.example.top/help now"),
        ("https://example.com/#!/page", "https://example.com/#!/page"),  # "!" alone is a URL character
        ("Wow! | Great", "Wow! | Great"),  # not in a link
        ("https://example.com | 次へ", "https://example.com | 次へ"),  # after the link
        ("要確認|詳細は example.com", "要確認|詳細は example.com"),
    ],
)
def test_repair_hosts(read, repaired):
    assert run_node([{"fn": "repairHosts", "args": [read]}]) == [repaired]


@pytest.mark.parametrize(
    ("text", "piece"),
    [
        ("い:https://bit.ly/abc 本日", "い:https://bit.ly/abc"),  # no break before ":" nor inside the link
        ("い。次の行", "い。"),  # "。" may not start a line
        ("っている", "っ"),
        ("細:https://bit.ly/〇〇", "細:https://bit.ly/"),
        ("https://example.com/a b", "https://example.com/a"),
        ("key-device-protection.com.", "key-"),  # a line may break after a compound's hyphen
        ("0120-440-620 15:18", "0120-440-620"),  # not before a digit
        ("Update by NetBanking.", "Update"),
        ("本日中", "本"),
        ("x", "x"),
        ("", ""),
    ],
)
def test_first_piece(text, piece):
    assert run_node([{"fn": "firstPiece", "args": [text]}]) == [piece]


def test_a_bare_host_on_the_line_after_japanese_text_is_a_link_of_its_own():
    # From the benchmark (scam-ja-japanpost-r3-001): the host alone did not fit in the gap after the
    # Japanese line, so the line counts as wrapped; joined with nothing, the engine found no link.
    lines = bubble(("小包が到着しました。清算手続きを", 834), ("進めるには2500円を支払う必要があ", 846),
                   ("ご不便おかけしてすみません", 690), ("post.japanpost.jp", 465))
    text = text_from(lines)
    assert text.endswith("すみません post.japanpost.jp")
    assert [u["text"] for u in mikiwame.check(text).to_dict()["entities"]["urls"]] == ["post.japanpost.jp"]


def test_a_japanese_character_moved_down_with_a_link_is_a_wrap():
    # From the benchmark (scam-ja-jcb-001): "い:https://…" cannot be broken, so the bubble moved it down
    # whole, leaving a wide gap; the line before was still wrapped.
    lines = bubble(("【JCB】クレジットカードに異常が", 830), ("あり、使用が制限されています。ご", 830),
                   ("確認の上、再開してくださ", 639), ("い:https://bit.ly/3xYzAbc", 700))
    assert text_from(lines) == "【JCB】クレジットカードに異常があり、使用が制限されています。ご確認の上、再開してください:https://bit.ly/3xYzAbc"


def test_a_link_after_a_short_japanese_line_is_the_senders_next_line():
    # From the benchmark (legit-yahoo-001 and others): "https://" alone would have fit in the gap after
    # "ご確認ください。", so the sender ended the line there (the whole link is not one unbreakable piece).
    lines = bubble(("お客様のカードが一時停止されておりま", 831), ("す。本日中にご確認をお願いいたしま", 829),
                   ("す。ご確認ください。", 480), ("https://rakuten-card.example.top/", 700))
    assert text_from(lines) == ("お客様のカードが一時停止されております。本日中にご確認をお願いいたします。ご確認ください。\n"
                                "https://rakuten-card.example.top/")


def test_two_characters_that_travel_together_did_not_fit():
    # From the benchmark (legit-ja-mihara-birdflu-001): "い。" (the "。" may not start a line) was too wide
    # for the gap of 67 px, though the read box of the short line ("。" is inked at its left) is narrow.
    lines = bubble(("野鳥の糞が靴の裏などにつくとウイルスが", 849), ("近づきすぎないようにしてくださ", 782),
                   ("い。", 137))
    assert text_from(lines) == "野鳥の糞が靴の裏などにつくとウイルスが近づきすぎないようにしてください。"


def test_separate_bubbles_are_never_joined():
    lines = bubble(("今日 12:34", RIGHT), block=0, top=20) + bubble(("本文です", 400), block=1)
    assert text_from(lines) == "今日 12:34\n本文です"


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("本 日 ご 連 絡 な き 場 合", "本日ご連絡なき場合"),  # spaces Tesseract puts between kanji/kana
        ("確認 で す 。", "確認です。"),
        ("Amazon Japan (株) 受 付", "Amazon Japan (株) 受付"),  # Latin words keep their spaces
        ("https: / /t.co /abc", "https://t.co/abc"),  # from the benchmark (scam-mizuho-001)
        ("http : // bit.ly /3xYz", "http://bit.ly/3xYz"),
        ("see https://x.example/ now", "see https://x.example/ now"),  # a real space after a link stays
        ("通知日: 2025-06-13", "通知日: 2025-06-13"),
        ("Pay £1.99 now", "Pay £1.99 now"),
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),  # text stays text
        ("URL:https //www.cov19.mhlw.go.jp", "URL:https://www.cov19.mhlw.go.jp"),  # colon lost (legit-mhlw-001)
        ("【KDD|重要なお知らせ】", "【KDDI重要なお知らせ】"),  # "|" read for I (scam-au-005)
        ("a | b", "a | b"),
        ("   ", ""),
    ],
)
def test_tidy_line(raw, tidy):
    assert run_node([{"fn": "tidyLine", "args": [raw]}]) == [tidy]


def test_bad_input_gives_text_not_a_crash():
    cases = [
        {"fn": "textFromLines", "args": [[], WIDTH]},
        {"fn": "textFromLines", "args": [None, None]},
        {"fn": "textFromLines", "args": [[{"text": "abc"}, {"text": "def"}], None]},  # no boxes
        {"fn": "textFromLines", "args": [[{"text": ""}, {"text": " \n"}, {"text": "x", "block": 3}], 0]},
        {"fn": "tidyText", "args": ["本 日\n\n\nA  B\n"]},
        {"fn": "tidyText", "args": [None]},
    ]
    assert run_node(cases) == ["", "", "abc\ndef", "x", "本日\nA  B", ""]
