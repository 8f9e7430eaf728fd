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


# Invisible characters or another script's marks between a word's letters: the forms of the extra dev Phishing
# Pot mails (round 15; names replaced), twice or more in the sender name or subject.
@pytest.mark.parametrize(("name", "subject", "shown"), [
    ("P\u200dr\u200di\u200dm\u200de Video", "Renew", "P\u200d"),  # zero-width joiners
    ("A\u073fm\u073fa\u073fz\u073fon Service", "Order", "A\u073f"),  # a Syriac mark on Latin letters
    ("Delivery", "E\u034fV\u034fR\u034fi\u034f parcel", "E\u034f"),  # the combining grapheme joiner
    ("M\U000e0139i\U000e0139c\U000e0139r\U000e0139osoft", "Billing", "M\U000e0139"),  # variation selectors
    ("Cloud", "\u00adR\u00ade\u00ada\u00adl weight loss", "R\u00ad"),  # soft hyphens
])
def test_invisible_characters_inside_a_word_are_a_disguise(name: str, subject: str, shown: str):
    assert shown in disguised(name, subject)


@pytest.mark.parametrize(("name", "subject"), [
    ("Jose\u0301 Garci\u0301a", "Cafe\u0301 in Paris"),  # Latin accents written decomposed (NFD)
    ("Family \U0001f468\u200d\U0001f469 news", "\u2764\ufe0f this week"),  # emoji sequences, not letters
    ("Anna", "Re\u00adsume"),  # one soft hyphen in a hyphenated word
])
def test_decomposed_accents_emoji_and_one_soft_hyphen_are_not(name: str, subject: str):
    assert disguised(name, subject) == []
