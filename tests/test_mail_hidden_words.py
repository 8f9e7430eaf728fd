"""MK088 hidden-words (issue 12, round 11): the HTML hides more words than it shows, at least 300 letters of
them, in elements styled not to be seen (Rspamd ZERO_FONT, MANY_INVISIBLE_PARTS). The flagged shape follows
Phishing Pot dev-half mails (an "ethereum.org" lure from a free-mail box whose few visible lines sit beside a
display:none block of an unrelated story; a Dutch subsidy advert padded with 0-px text); the genuine shapes are
a newsletter's hidden preview line and a responsive template's hidden copy of what it shows. Names, domains and
texts are made up."""

from __future__ import annotations

from mikiwame import engine
from mikiwame.mail import parse_text

STORY = ("The river ran quietly past the old mill where the miller kept his geese, his cart and his two grey "
         "horses, and every morning the baker's boy came down the lane with bread. ")
HEAD = "From: Wallet Team <wallet.team@example-mail.com>\nSubject: Confirm your transaction\n" \
       "Content-Type: text/html; charset=utf-8\n\n"
LURE = '<p>Your transfer is on hold. <a href="https://wallet-check.example.net/v">Confirm it here</a>.</p>'


def findings(html: str) -> dict:
    return {f.slug: f for f in engine.check(HEAD + html, "en").findings}


def test_a_hidden_story_beside_a_short_lure_is_found():
    found = findings(LURE + f'<div style="display:none; mso-hide:all">{STORY * 3}</div>')
    hit = found["hidden-words"]
    assert hit.weight == 15
    assert "river ran quietly" in hit.evidence[0].text  # the hidden words are shown as the evidence


def test_zero_pixel_and_transparent_text_count_as_hidden():
    for style in ("font-size:0px", "font-size: 1px; color:#fff", "opacity:0", "visibility:hidden"):
        assert "hidden-words" in findings(LURE + f'<span style="{style}">{STORY * 3}</span>'), style


def test_a_newsletters_preview_line_is_not_hidden_words():
    preview = '<div style="display:none;max-height:0;overflow:hidden">Coats, knitwear and boots this week</div>'
    body = "<p>" + STORY * 4 + '</p><p><a href="https://shop.example.com/new">See the catalogue</a></p>'
    assert "hidden-words" not in findings(preview + body)


def test_a_responsive_templates_hidden_copy_of_what_it_shows_is_not_hidden_words():
    # The mobile copy is hidden on desktops: as many words hidden as shown, never more.
    shown = f'<div class="desktop"><p>{STORY * 3}</p></div>'
    assert "hidden-words" not in findings(shown + f'<div style="display:none">{STORY * 3}</div>')


def test_small_but_readable_fonts_and_closed_hidden_elements_hide_nothing():
    assert "hidden-words" not in findings(LURE + f'<p style="font-size:10px">{STORY * 3}</p>')
    assert "hidden-words" not in findings(LURE + f'<p style="font-size:0.9em">{STORY * 3}</p>')
    # The hidden element ends where its end tag is: the story after it is visible.
    assert "hidden-words" not in findings(LURE + f'<div style="display:none">Preview</div><p>{STORY * 3}</p>')


def test_the_parser_counts_hidden_and_shown_letters():
    mail = parse_text(HEAD + '<p>Hello there</p><div style="display:none"><b>abc</b> def</div><p>xyz</p>')
    assert mail is not None and mail.html is not None
    assert (mail.html.letters, mail.html.hidden) == (19, 6)
