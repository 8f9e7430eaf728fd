"""Findings and entity cards tell one story: the page shows both, and a reader must never see a finding
call a link a look-alike while the link's own card says nobody knows whether it is official."""

from __future__ import annotations

import pytest

import mikiwame
from corpus_data import LEGIT, SCAM

LINK_FINDINGS = {"lookalike-domain", "unofficial-domain"}


def _urls(report: dict) -> dict[tuple[int, int], dict]:
    return {(u["start"], u["end"]): u for u in report["entities"]["urls"]}


def test_a_lookalike_link_card_says_not_official_even_when_no_brand_is_named() -> None:
    d = mikiwame.check("アカウントが制限されました。https://paypa1-secure.top/login で確認してください。").to_dict()
    assert "lookalike-domain" in {f["slug"] for f in d["findings"]}
    (url,) = d["entities"]["urls"]
    assert (url["official"], url["brand"], url["lookalike"]) == (False, "paypal", "domain")


@pytest.mark.parametrize("lang, says", [
    ("ja", "サブドメイン「amazon-co-jp.」の部分だけで、本当のドメインは「security-check.top」"),
    ("en", 'Only the subdomain "amazon-co-jp." uses the name; the real domain is "security-check.top"'),
])
def test_a_lookalike_in_the_subdomain_is_described_as_such(lang: str, says: str) -> None:
    d = mikiwame.check("【Amazon】お支払い方法に問題があります。https://amazon-co-jp.security-check.top/verify "
                       "から更新してください。", lang).to_dict()
    (f,) = [f for f in d["findings"] if f["slug"] == "lookalike-domain"]
    assert says in f["message"] and "amazon-co-jp.security-check.top" in f["message"]
    url = next(u for u in d["entities"]["urls"] if u["host"] == "amazon-co-jp.security-check.top")
    assert (url["official"], url["brand"], url["lookalike"]) == (False, "amazon", "subdomain")


def test_a_lookalike_registrable_domain_has_no_subdomain_note() -> None:
    d = mikiwame.check("https://amaz0n-co-jp.xyz/login").to_dict()
    (f,) = [f for f in d["findings"] if f["slug"] == "lookalike-domain"]
    assert "サブドメイン" not in f["message"]
    assert d["entities"]["urls"][0]["lookalike"] == "domain"


def test_a_genuine_official_signature_is_not_evidence_against_the_message() -> None:
    text = "お支払い方法に問題があります。アカウントが制限されました。\nAmazon.co.jp"
    d = mikiwame.check(text).to_dict()
    sig = next(u for u in d["entities"]["urls"] if u["text"] == "Amazon.co.jp")
    assert sig["official"] is True
    for f in d["findings"]:
        if f["weight"] > 0:
            assert (sig["start"], sig["end"]) not in {(e["start"], e["end"]) for e in f["evidence"]}, f["slug"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_corpus_report_keeps_findings_and_entities_consistent(lang: str) -> None:
    checked = 0
    for item in SCAM + LEGIT:
        d = mikiwame.check(item["text"], lang).to_dict()
        urls = _urls(d)
        official = {k for k, u in urls.items() if u["official"] is True}
        official |= {(e["start"], e["end"]) for e in d["entities"]["emails"] if e["official"] is True}
        for f in d["findings"]:
            spans = {(e["start"], e["end"]) for e in f["evidence"]}
            if f["weight"] > 0:
                assert not spans & official, (item["id"], f["slug"])
            if f["slug"] in LINK_FINDINGS:
                for span in spans & urls.keys():
                    assert urls[span]["official"] is False, (item["id"], f["slug"], urls[span])
                    checked += 1
            if f["slug"] == "lookalike-domain":
                for span in spans & urls.keys():
                    assert urls[span]["lookalike"] in ("domain", "subdomain"), (item["id"], urls[span])
    assert checked > 10, "the corpus has links flagged by the link rules to hold to this"
