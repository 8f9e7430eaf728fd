"""Brands added for the e-mail benchmark's dev-half Phishing Pot messages (Brazil's Correios, Banco do Brasil,
Livelo, Nubank, Caixa, Mercado Livre; Deutsche Bahn; Temu): the display-name rule checks a sender that names
one of them against the brand's own domains. Fixtures copy the structure of those messages (a brand in the
display name, an address at another domain); names and hosts are made up where they are not the point.
Each brand both ways: a claim from elsewhere is caught, the brand's own domain passes, and where the name is
an ordinary word ("Bahn", "caixa", "temu") the word inside another name or sentence claims nothing."""

from __future__ import annotations

import pytest

from mikiwame import engine


def slugs(text: str) -> set[str]:
    return {f.slug for f in engine.check(text, "en").findings if f.weight}


def mail(sender: str, body: str = '<p><a href="https://example-portal.net/x">Acesse</a></p>') -> str:
    return (f"From: {sender}\nSubject: Aviso\nContent-Type: text/html; charset=utf-8\n\n"
            f"<html><body>{body}</body></html>\n")


@pytest.mark.parametrize("sender", [
    "Correios <notifica@correios>",
    "Banco Do Brasil <notifica@bancodobrasil-example.com.br>",
    "Livelo <resgate@bonus-example.net>",
    "Nubank <alerta@nubank-example.top>",
    "CAIXA <comunicado@example-banco.net>",
    "Mercado Livre <nao-responder@mercadolivreeapp.com>",
    "Deutsche Bahn <service@bahn-deutschland.xyz>",
    "Temu <gift@example-survey.de>",
])
def test_a_new_brand_named_by_a_sender_elsewhere_is_a_claim(sender: str) -> None:
    assert "display-name-brand" in slugs(mail(sender))


@pytest.mark.parametrize("sender", [
    "Correios <nao-responda@correios.com.br>",
    "Banco do Brasil <comunicado@bb.com.br>",
    "Livelo <contato@livelo.com.br>",
    "Nubank <meajuda@nubank.com.br>",
    "CAIXA <comunicado@caixa.gov.br>",
    "Mercado Livre <no-responder@mercadolibre.com>",
    "Deutsche Bahn <buchungsbestaetigung@bahn.de>",
    "Temu <orders@temu.com>",
])
def test_a_new_brand_writing_from_its_own_domain_is_no_claim(sender: str) -> None:
    assert "display-name-brand" not in slugs(mail(sender))


@pytest.mark.parametrize("sender", [
    "S-Bahn Berlin Kundenservice <info@example-sbahn.de>",
    "Caixa de Entrada <notify@example-mail.com>",
    "Temu Ilmiah Nasional <panitia@example-kampus.ac.id>",
])
def test_an_ordinary_word_in_another_name_is_no_claim(sender: str) -> None:
    assert "display-name-brand" not in slugs(mail(sender))


@pytest.mark.parametrize("text", [
    "Verifique sua caixa de entrada: enviamos o código https://example-shop.com.br/conta",
    "Die Bahn fährt heute später ab. https://example-verkehr.de/fahrplan",
])
def test_an_ordinary_word_in_running_text_names_no_brand(text: str) -> None:
    assert not slugs(text) & {"unofficial-domain", "lookalike-domain", "brand-link-lure"}
