"""MK123 link-cut-off: a message that ends by pointing at a link the quoting page removed keeps its ask, read
with the pretext before it; alone, or after a colon that introduces what follows, it counts nothing."""

from __future__ import annotations

import pytest

import mikiwame
from mikiwame.report import Report


def _slugs(report: Report) -> set[str]:
    return {f.slug for f in report.findings}


@pytest.mark.parametrize(("text", "lang", "combination"), [
    # Shapes of the link probe's dev scams (round 20), their link removed.
    ("【ABC銀行】お客様の口座は一時利用停止となりました。本人認証の設定 :", "ja", "claim-pretext-ask"),
    ("We are unable to ship your order because the address is invalid. Please fill in the address: ", "en",
     "link-with-pretext"),
    ("Hi, my name is Robert. I saw your post on your page. Is it still available:  Reply STOP to opt out", "en",
     "conversation-lure"),
])
def test_a_pretext_ending_on_a_cut_link_is_flagged(text: str, lang: str, combination: str) -> None:
    report = mikiwame.check(text, lang)
    assert {"link-cut-off", combination} <= _slugs(report), _slugs(report)
    assert report.verdict != "clean"


def test_the_same_pretext_ending_on_a_sentence_has_no_link_ask() -> None:
    report = mikiwame.check("【ABC銀行】お客様の口座は一時利用停止となりました。本人認証をお願いします。", "ja")
    assert "link-cut-off" not in _slugs(report)
    assert "claim-pretext-ask" not in _slugs(report)


def test_a_cut_link_alone_counts_nothing() -> None:
    # A genuine sale text whose link the quoting page cut ends the same way as a fake shop's.
    report = mikiwame.check("Shop: 2 more days to get 40% off our whole collection:", "en")
    assert "link-cut-off" in _slugs(report)
    assert report.verdict == "clean" and report.score == 0, [(f.slug, f.weight) for f in report.findings]


def test_a_warning_ending_on_a_colon_keeps_its_discount() -> None:
    report = mikiwame.check("Scam alert: criminals are sending texts pretending to be from your bank. Never click "
                            "a link in such a text. The attached document has examples of the scam. Attachments:",
                            "en")
    assert "warning-about-scams" in _slugs(report)
    assert report.verdict == "clean"


@pytest.mark.parametrize("text", [
    "Here are the details:\n\n1. Bring your ID\n2. Arrive by 10:30",
    "Your account has been suspended. Restore access here: https://acct-restore.example.com/a:",
    "The meeting is at 10:30",
])
def test_a_colon_that_introduces_something_is_no_cut(text: str) -> None:
    assert "link-cut-off" not in _slugs(mikiwame.check(text, "en"))


def test_the_evidence_maps_back_when_the_folded_text_is_shorter() -> None:
    # Found by tests/test_properties.py: "hxxps" and "[.]" repaired make the folded view shorter than the text.
    text = "hxxps://evil[.]topアマゾンジャパン(株):"
    hit = next(f for f in mikiwame.check(text, "ja").findings if f.slug == "link-cut-off")
    assert hit.to_dict()["evidence"][-1]["text"].endswith(":")


def test_a_buttons_label_alone_is_the_cut_links_place() -> None:
    # Shape of dev e-mail scams quoted as text, the button's link dropped (round 20 link probe).
    text = ("Dear Customer,\nIf you do not cancel this request, your account will be deactivated.\n\n"
            "Cancel Deactivation\n\nSincerely")
    report = mikiwame.check(text, "en")
    assert {"link-cut-off", "link-with-pretext", "claim-pretext-ask"} <= _slugs(report), _slugs(report)
    assert report.verdict != "clean"


def test_a_buttons_label_beside_a_shown_link_is_that_link() -> None:
    text = ("Dear Customer,\nIf you do not cancel this request, your account will be deactivated.\n\nCancel Deactivation\n"
            "https://www.google.com/settings")
    assert "link-cut-off" not in _slugs(mikiwame.check(text, "en"))
