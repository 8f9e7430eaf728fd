"""MK086 escaped-link-host (issue 12): an HTML link whose host is written with character references or
%-escapes (SpamAssassin HTTP_ESCAPED_HOST); the browser decodes them, a reader of the source does not.

Fixture: the structure of a Phishing Pot dev message (a Dutch energy-deal advert: multipart/alternative,
an 8-bit UTF-8 HTML part whose every link is ``href="   http://ð2hCf&#159;MW&#156;l8uH.<domain>/r045d.php?…"``,
a Return-Path local part that differs from the From one); names and domains replaced. The negative cases
are how genuine mail escapes: in a tracker's query (its destination) and in a path."""

from __future__ import annotations

from mikiwame import engine
from mikiwame.mail import escaped_host, parse_bytes

ADVERT = (
    "Subject: Gratis meter + Bespaar tot 500 per jaar!\t.NBPG\n"
    'From: "Exclusieve Energie Actie" <newsletters.uSPPJ@mail-serve.example.com>\n'
    "Return-Path: newsletters.nZQyi@mail-serve.example.com\n"
    "To: reader@example.org\n"
    "MIME-Version: 1.0\n"
    'Content-Type: multipart/alternative; boundary="b1"\n\n'
    "--b1\nContent-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: 8bit\n\n"
    '<html><body><a href="              {href}">'
    "<img src=\"https://img.example.net/a.png\" alt=\"Bekijk de actie\"></a>"
    "<p>Vraag nu uw gratis meter aan.</p></body></html>\n"
    "--b1--\n"
)


def check(href: str):  # noqa: ANN201
    return engine.check_bytes(ADVERT.format(href=href).encode("utf-8"), "en")


def test_character_references_in_the_host_are_found_with_the_decoded_target_as_evidence():
    report = check("http://ð2hCf&#159;MW&#156;l8uH.webrentals.example.net/r045d.php?32=1o16")
    finding = next(f for f in report.findings if f.slug == "escaped-link-host")
    shown = report.email["text"]
    # the evidence is the link's target as the reader's text shows it (decoded), in the body, not a header
    assert all(ev.start >= report.email["body_start"] for ev in finding.evidence)
    assert shown[finding.evidence[0].start:finding.evidence[0].end].startswith("http://ð2hCfŸMWœl8uH.webrentals")
    assert finding.weight > 0 and report.verdict != "clean"


def test_percent_escapes_in_the_host_are_found():
    report = check("http://impacts.%61%66%66%69%6c%69%61%74%65.example.net/c?id=4")
    assert "escaped-link-host" in {f.slug for f in report.findings}


def test_escapes_in_a_path_or_a_trackers_query_are_not():
    for href in ("https://t.example.com/r?u=https%3A%2F%2Fexample.com%2Fdeal&amp;id=4",
                 "https://example.com/actie%20nu/&#109;eter",
                 "https://example.com#&#109;eter",
                 "https://webrentals.example.net/r045d.php?32=1o16"):
        assert "escaped-link-host" not in {f.slug for f in check(href).findings}, href


def test_the_parser_marks_only_the_escaped_anchor():
    two = ADVERT.replace('<p>', '<p><a href="https://example.com/info">info</a> ').format(
        href="http://x&#120;.example.net/r")
    anchors = parse_bytes(two.encode("utf-8")).anchors
    assert [a.escaped_host for a in anchors] == [True, False]


def test_escaped_host_reads_the_raw_tag_only_up_to_the_host():
    assert escaped_host('<a href="HTTP://%77ww.example.net/">')
    assert escaped_host("<a href=http://a&#x2e;ex&#x61;mple.net>")
    assert not escaped_host('<a href="mailto:x&#64;example.com">')
    assert not escaped_host('<a title="http://%77" href="https://example.com/">')


def test_escaped_dots_hide_no_letter():
    # A 2002 shop newsletter (SpamAssassin hard ham dev half) wrote every dot of its links as "&#46;", its
    # own and a bank partner's alike: the host's letters are all there to read.
    for href in ("http://www&#46;buy4now&#46;example&#46;ie/giftstore/index&#46;asp?p=844",
                 "http://www&#46;bank&#46;example&#46;net/personal", "http://www%2ebank%2dgroup.example.net/"):
        assert "escaped-link-host" not in {f.slug for f in check(href).findings}, href
    assert escaped_host('<a href="http://www&#46;b&#97;nk&#46;example&#46;net/">')  # an escaped letter hides


def test_a_host_of_the_senders_own_site_written_with_escapes_hides_nothing():
    own = ADVERT.replace("mail-serve.example.com", "buy4now.example.ie")
    href = "http://www.%62uy4now.example.ie/giftstore/"
    slugs = {f.slug for f in engine.check_bytes(own.format(href=href).encode("utf-8"), "en").findings}
    assert "escaped-link-host" not in slugs
    # the same escapes leading to another site still hide it
    other = own.format(href="http://www.%6fther-shop.example.net/")
    assert "escaped-link-host" in {f.slug for f in engine.check_bytes(other.encode("utf-8"), "en").findings}
