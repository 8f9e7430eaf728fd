"""English words typed with Cyrillic or Greek look-alike letters ("Yоur раckаge", the о, р, а Cyrillic), with
accents ("Yóur páckágé") or a zero for an "o" ("acc0unt") so that filters miss them: the folded view reads them as the Latin letters in words
of prose (normalise._latin_words, _zeros_read), one for one; links, addresses, domains and codes keep theirs,
and a text in Cyrillic or Greek is its own language."""

from __future__ import annotations

from pathlib import Path

import pytest

import mikiwame
from mikiwame.normalise import fold

FIXTURES = Path(__file__).parent / "fixtures" / "messages"
CYRILLIC = str.maketrans({"a": "а", "o": "о", "e": "е", "p": "р", "c": "с"})


@pytest.mark.parametrize(("typed", "read"), [
    ("Yоur раckаge is оn hоld", "your package is on hold"),
    ("Y0ur acc0unt has been l0cked", "your account has been locked"),
    ("TM0B: your bill", "tmob: your bill"),
    ("Vеrify yоur ΑΡΡlе ID", "verify your apple id"),
    ("Yóur páckágé is ön höld", "your package is on hold"),
])
def test_look_alikes_in_words_read_as_latin(typed: str, read: str) -> None:
    view = fold(typed)
    assert view.text == read
    assert view.span(0, len(view.text)) == (0, len(typed))


@pytest.mark.parametrize("text", [
    "visit https://аmazon.com/login",  # a look-alike domain is the link rules' to judge
    "mail support@аpple-id.com",
    "see amaz0n.com now",
    "ref q3n7f0g8q",  # a code
    "Привет, как дела? Это мой новый номер",  # Russian
    "Το πακέτο σας έφτασε",  # Greek
])
def test_links_codes_and_other_languages_keep_their_letters(text: str) -> None:
    assert fold(text).text == text.lower()


def test_a_brand_in_look_alikes_is_still_disguised() -> None:
    slugs = {f.slug for f in mikiwame.check("аmazon security alert: verify your account", "en").findings}
    assert "obfuscated-brand" in slugs
    assert "obfuscated-brand" not in {f.slug for f in mikiwame.check("amazon security alert", "en").findings}


@pytest.mark.parametrize("path", [p for p in sorted(FIXTURES.glob("*_scam_*.txt"))
                                  if p.read_text(encoding="utf-8").isascii()], ids=lambda p: p.stem)
def test_an_english_scam_in_look_alikes_is_still_a_scam(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    disguised = " ".join(w if "." in w or "/" in w or "@" in w else w.translate(CYRILLIC) for w in text.split(" "))
    assert disguised != text
    plain, read = mikiwame.check(text, "en"), mikiwame.check(disguised, "en")
    assert read.verdict == plain.verdict == "scam"
    lost = {f.slug for f in plain.findings} - {f.slug for f in read.findings}
    assert not lost


def test_a_brand_with_an_accent_in_its_name_is_found_written_either_way() -> None:
    from mikiwame.entities import extract
    from mikiwame.knowledge import load
    from mikiwame.normalise import normalise

    kb = load()
    assert "itau" in kb.alias_owners and "itaú" not in kb.alias_owners
    for text in ("Itaú: sua conta foi bloqueada", "Itau: sua conta foi bloqueada"):
        brands = extract(normalise(text), kb).brands
        assert [b.brand.id for b in brands] == [kb.alias_owners["itau"].id]
        assert not brands[0].obfuscated  # an accent is no disguise: the name may carry one


def test_an_accented_word_in_a_link_keeps_its_accent() -> None:
    assert fold("see https://exámple.com/páy now").text == "see https://exámple.com/páy now"
