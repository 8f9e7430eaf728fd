"""MK071 disguised-letters (issue 12), two more disguises of the same family: letters of scripts whose glyphs
pass for Latin ones (Canadian syllabics, Cherokee, Lisu: Unicode's confusables) mixed into a Latin token, and
words split by a dot after their first letter so that filters read other tokens. Fixtures are short sources
built from the structure of real messages (Phishing Pot dev half: a storage-full lure; names replaced)."""

from __future__ import annotations

import pytest

from mikiwame import engine

MAIL = "From: {name} <news@mailer-host.com>\nSubject: {subject}\n\nYour storage is almost full.\n"


def disguised(name: str, subject: str) -> list[str]:
    found = {f.slug: f for f in engine.check(MAIL.format(name=name, subject=subject), "en").findings}
    hit = found.get("disguised-letters")
    return [ev.text for ev in hit.evidence] if hit else []


@pytest.mark.parametrize(("name", "subject", "shown"), [
    ("~\u1455.lou-d.\u15e9-lert-386", "Storage", "~\u1455.lou-d.\u15e9-lert-386"),  # ᑕ.lou-d.ᗩ-lert
    ("Cloud \u13aaccount", "Storage", "\u13aaccount"),  # Cherokee Ꭺ for A
    ("Cloud", "URGENTE: S.eu e.spaço de a.rmazenamento em nuvem está quase cheio", "S.eu"),
])
def test_lookalike_scripts_and_split_words_are_disguises(name: str, subject: str, shown: str):
    assert shown in disguised(name, subject)


@pytest.mark.parametrize(("name", "subject"), [
    ("\u1403\u14c4\u1483\u144e\u1450\u1466", "Inuktitut newsletter"),  # a name written wholly in syllabics
    ("J.Crew", "J.Crew: new arrivals"),  # one initial is a name, not a split word
    ("Dr. A. Smith", "Notes, e.g. the U.S.A. trip, i.e. next week"),
])
def test_a_script_of_its_own_an_initial_or_abbreviations_are_not(name: str, subject: str):
    assert disguised(name, subject) == []


@pytest.mark.parametrize(("name", "subject", "shown"), [
    ("TrustwaIIetTeam", "Urgent: Account Verification Required", "TrustwaIIetTeam"),  # Phishing Pot dev half
    ("PaypaI", "Your account", "PaypaI"),
    ("Service", "Your waIIet is on hold", "waIIet"),
])
def test_a_capital_i_for_a_small_l_is_a_disguise(name: str, subject: str, shown: str):
    assert shown in disguised(name, subject)


@pytest.mark.parametrize(("name", "subject"), [
    ("CustomerInfo", "SmartInsurance: Part II of the guide"),  # CamelCase: the I starts a word
    ("MacBook Team", "Star Wars Episode III, WWII and Louis XIV"),  # roman numerals stand apart
    ("Ann", "I think I can"),
])
def test_camel_case_and_roman_numerals_are_not(name: str, subject: str):
    assert disguised(name, subject) == []
