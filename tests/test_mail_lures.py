"""MK085 lure-in-other-language (issue 12): a phishing pretext in Portuguese, Spanish, French, German, Dutch
or Italian, in an e-mail that links out; its vocabulary is mail_lures.toml. Fixtures are short sources built
from the structure of real lures (Phishing Pot dev half: a subject and a body line with a button link;
names and domains replaced by reserved ones)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mikiwame import engine
from mikiwame.knowledge import load
from mikiwame.rules.mail import _lure_pattern

DATA = Path(__file__).resolve().parents[1] / "pysrc" / "mikiwame" / "data" / "mail_lures.toml"
MAIL = "From: {name} <aviso@{domain}>\nTo: <someone@example.com>\nSubject: {subject}\n\n{body}\n"


def findings(text: str) -> dict[str, object]:
    return {f.slug: f for f in engine.check(text, "en").findings}


@pytest.mark.parametrize(("subject", "body", "language"), [
    ("Sua conta foi bloqueada", "Prezado cliente, atualize seus dados cadastrais.", "Portuguese"),
    ("Pagamento não aprovado", "Confirme seus dados para não perder o acesso.", "Portuguese"),
    ("Su cuenta ha sido suspendida", "Verifique su identidad para reactivarla.", "Spanish"),
    ("Votre colis est en attente", "Frais de livraison : 1,99 €. Confirmez vos informations.", "French"),
    ("Ihr Paket konnte nicht zugestellt werden", "Bitte zahlen Sie die Zollgebühr.", "German"),
    ("SIE WURDEN ZUM GEWINNEN AUSGEWÄHLT!", "Herzlichen Glückwunsch! Fordern Sie Ihren Gewinn ein.", "German"),
    ("Betaling mislukt", "Werk uw betaalgegevens bij om uw abonnement te behouden.", "Dutch"),
    ("Il tuo account è stato sospeso", "Verifica la tua identità entro 24 ore.", "Italian"),
])
def test_a_pretext_in_another_language_with_a_link_is_flagged(subject: str, body: str, language: str):
    text = MAIL.format(name="Atendimento", domain="aviso-cliente.example.net", subject=subject,
                       body=body + " https://aviso-cliente.example.net/entrar")
    found = findings(text)
    assert "lure-in-other-language" in found
    hit = found["lure-in-other-language"]
    assert language in hit.message and hit.weight > 0
    # Evidence is the phrase as written (accents and capitals included), at its place in the shown text.
    report = engine.check(text, "en")
    assert all(ev.text and report.email["text"][ev.start:ev.end] == ev.text for ev in hit.evidence)


def test_evidence_keeps_the_accents_as_written():
    text = MAIL.format(name="Banco", domain="aviso-cliente.example.net", subject="Pagamento não aprovado",
                       body="https://aviso-cliente.example.net/entrar")
    assert [ev.text for ev in findings(text)["lure-in-other-language"].evidence] == ["Pagamento não aprovado"]


def test_accented_and_unaccented_spellings_both_match():
    pattern = _lure_pattern(("pagamento nao aprovado", "zollgebuhr", "bussgeld"))
    for said in ("pagamento não aprovado", "pagamento nao aprovado", "zollgebühr", "bußgeld", "bussgeld"):
        assert pattern.search(said), said
    # Whole words only: a phrase inside a longer word is no match.
    assert not pattern.search("zollgebuhren") and not pattern.search("xbussgeld")


@pytest.mark.parametrize(("subject", "body"), [
    # The same pretext with nothing to open: a notice to read.
    ("Sua conta foi bloqueada", "Procure sua agência com um documento."),
    # Ordinary mail in the same languages, with a link.
    ("Almoço amanhã", "Vamos almoçar? O restaurante: https://maps.example.com/r"),
    ("Neue Vorlagen im Shop", "Die Vorlagen sind endlich online: https://shop.example.de/neu"),
    ("Nieuwsbrief december", "Lees het hele verhaal op https://www.example.nl/nieuws"),
])
def test_ordinary_mail_or_a_pretext_without_a_link_is_not_flagged(subject: str, body: str):
    assert "lure-in-other-language" not in findings(
        MAIL.format(name="Ana", domain="example.com.br", subject=subject, body=body))


def test_plain_text_never_reaches_the_mail_rule():
    """The same words pasted as a message (no header block) are for the phrase rules, not this mail rule."""
    text = "Sua conta foi bloqueada. Atualize seus dados: https://aviso-cliente.example.net/entrar"
    assert "lure-in-other-language" not in findings(text)


def test_mail_lures_data_is_sourced_and_loaded():
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    kb = load()
    assert {code for code, _, _ in kb.mail_lures} == set(raw["lures"]) >= {"pt", "es", "fr", "de", "nl", "it"}
    for code, section in raw["lures"].items():
        assert section["source"].startswith("https://") and section["language"] and section["items"]
        assert kb.mail_lure_sources[code] == section["source"]
        for phrase in section["items"]:
            assert phrase == phrase.lower() and phrase.isascii(), phrase  # unaccented, as the rule expects
            assert not _lure_pattern((phrase,)).fullmatch(""), phrase
