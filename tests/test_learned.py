"""The wording model (mikiwame.learned): its fast scoring equals the plain definition, its evidence is
readable and maps to the original text, and links are not wording."""

from __future__ import annotations

import math

import pytest

import mikiwame
from corpus_data import LEGIT, SCAM
from mikiwame import learned
from mikiwame.normalise import fold


def _slow_logit(folded: str) -> float:
    """The definition: bias plus the weight of every distinct n-gram ``ngrams`` yields, over the square
    root of how many there are (n-grams of only spaces and digits count in that number too)."""
    m = learned.model()
    text = learned.prepare(folded)
    grams = learned.ngrams(text, m.sizes)
    size = learned.size_of(text, m.sizes)
    return m.bias + sum(m.weights.get(g, 0.0) for g in grams) / max(1, size) ** 0.5


@pytest.mark.parametrize("rows", [SCAM, LEGIT], ids=["scam", "legit"])
def test_fast_logit_equals_the_definition(rows: list[dict]) -> None:
    m = learned.model()
    for msg in rows:
        folded = fold(msg["text"]).text
        assert math.isclose(learned.logit(learned.prepare(folded), m), _slow_logit(folded), abs_tol=1e-9), msg["id"]


def test_prepare_keeps_length_and_blanks_links() -> None:
    text = "お荷物の確認はこちら https://bit.ly/3abc から 03-1234-5678"
    prepared = learned.prepare(text)
    assert len(prepared) == len(text)
    assert "bit.ly" not in prepared and "http" not in prepared
    assert "00-0000-0000" in prepared and "お荷物の確認はこちら" in prepared


@pytest.mark.parametrize("text, masks", [
    ("call 03-xxxx-xxxx today", ["xxxx", "xxxx"]),
    ("○○様 ××銀行からのお知らせ", ["○○", "××"]),
    ("dear [name], your account at {serviceaddress}", ["[name]", "{serviceaddress}"]),
    ("did you use card <account_last_4_digits> at <merchant_name>?", ["<account_last_4_digits>", "<merchant_name>"]),
    ("pay now (sic) redacted", ["(sic)", "redacted"]),
])
def test_a_quoting_pages_masks_are_not_wording(text: str, masks: list[str]) -> None:
    """A received message never holds "xxxx", "○○" or "[name]": the page that quoted it put them there, so
    they are blanked like links, and the words around them are kept."""
    prepared = learned.prepare(text)
    assert len(prepared) == len(text)
    pos = 0
    for mask in masks:
        start = text.index(mask, pos)
        assert prepared[start:start + len(mask)].strip() == "", mask
        pos = start + len(mask)
    kept = [w for w in text.split() if not any(m in w for m in masks)]
    assert all(w in prepared for w in kept if not any(c.isdigit() for c in w))


@pytest.mark.parametrize("text", ["taxxxi to the airport", "a (big) box", "see [section two]", "exxxtra"])
def test_words_that_hold_mask_characters_are_kept(text: str) -> None:
    assert learned.prepare(text) == text


def test_model_is_small_and_sane() -> None:
    m = learned.model()
    assert 1_000 < len(m.weights) < 40_000
    assert 0.5 < m.threshold < 1.0
    assert all(2 <= len(g) <= 4 for g in m.weights)


def test_evidence_is_phrases_of_the_original_text() -> None:
    fired = 0
    for msg in SCAM[:120]:
        report = mikiwame.check(msg["text"])
        finding = next((f for f in report.findings if f.slug == "scam-like-wording"), None)
        if finding is None:
            continue
        fired += 1
        assert 1 <= len(finding.evidence) <= 3, msg["id"]
        for ev in finding.evidence:
            assert msg["text"][ev.start:ev.end] == ev.text and len(ev.text.strip()) >= 2, (msg["id"], ev)
    assert fired >= 60, f"the wording model fired on only {fired} of 120 scams"


def test_ordinary_messages_are_not_scam_like() -> None:
    for text in ("明日の会議は10時からです。資料は共有フォルダに置きました。", "Running late, see you at 7 at the station.",
                 "お母さん、今日は夕飯いらないです。"):
        assert learned.score(fold(text).text).probability < learned.model().threshold, text


@pytest.mark.parametrize(("text", "probability", "slug"), [
    # Alone (no link, number, brand or other clue that counts), the upper band needs the model's ``alone``.
    ("Waiting for your call.", 0.95, "leans-scam-like-wording"),
    ("Waiting for your call.", 0.98, "scam-like-wording"),
    # The same probability beside a link or a number is the upper band, as before.
    ("Waiting for your call. https://example-parcel.top/x", 0.95, "scam-like-wording"),
    ("Waiting for your call on 020 7946 0000.", 0.95, "scam-like-wording"),
    # A brand merely named asks nothing: no clue ("NZ Post here. Your parcel … has been delivered.").
    ("Amazon: waiting for your call.", 0.95, "leans-scam-like-wording"),
    # A phrase rule that counts is another clue: "unpaid" (MK011).
    ("Your unpaid bill: waiting for your call.", 0.95, "scam-like-wording"),
])
def test_the_wording_alone_needs_the_alone_band(monkeypatch: pytest.MonkeyPatch, text: str, probability: float,
                                                 slug: str) -> None:
    shipped = learned.model()
    monkeypatch.setattr(learned, "model", lambda: shipped._replace(threshold=0.8, confident=0.9, alone=0.97))
    monkeypatch.setattr(learned, "score", lambda folded, top_n=3, looked_up=None: learned.Score(probability, ((0, 7),)))
    slugs = {f.slug for f in mikiwame.check(text, "en").findings}
    assert slug in slugs
    assert slugs.isdisjoint({"scam-like-wording", "leans-scam-like-wording"} - {slug})


def test_the_shipped_model_has_its_three_bands_in_order() -> None:
    m = learned.model()
    assert 0.5 < m.threshold < m.confident < m.alone < 1.0
