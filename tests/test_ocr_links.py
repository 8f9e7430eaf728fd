"""web/ocr-links.js: the second reading of links in a screenshot (which words, where, which reading to keep).

Run under Node like ocr-text.js (tests/test_ocr_text.py's runner). The readings and confidences below are
Tesseract's, from the benchmark's screenshots (benchmarks/ocr.py --show-misses): the whole page's reading
of a word, then the word read again alone.
"""

from __future__ import annotations

import pytest

from test_ocr_text import run_node


def call(fn: str, *args):
    """One function of the module (or a constant's value, for a name that is not a function)."""
    return run_node([{"fn": fn, "args": list(args)}])[0]


@pytest.mark.parametrize(
    ("token", "ok"),
    [
        ("https://r10.to/hkt0Uq", True),
        ("<hxxps://robichakraborty.com/the", True),  # "<" around a link, a defanged scheme
        ("https://gov-tax.refundpr.com/.", True),  # a full stop after it
        ("https://www.city.soma.fukushima.", True),  # cut by the line end inside its host
        ("https://", True),  # the rest on the next line
        ("p/shinososhiki/norinsuisanka/126", True),  # the middle of a path
        ("http://192.168.10.1/login", True),
        ("recipient@berkeley.edu", True),
        ("https://www.city.soma.fukushima.]", False),  # "j" read as "]" (legit-ja-city-soma-001)
        ("https://goo.g/maps/TjFE8tqzEput", False),  # "gl" read as "g": no one-letter top-level domain
        ("goo.g/maps", False),
        ("https://examp|e-login.top/a", False),  # "|" is not a URL character
        ("https://t.co/abc」", False),
        ("https://www..example.com/", False),
        ("http://-", False),  # a host starts with a letter or digit (a masked link's "http://" read again)
        ("", False),
        (None, False),
    ],
)
def test_well_formed(token, ok):
    assert call("wellFormed", token) is ok


@pytest.mark.parametrize(
    ("text", "confidence", "wanted"),
    [
        ("https://r10.to/hktOUq", 65, True),  # unsure
        ("https://r10.to/huAJvD", 90, False),  # sure and well-formed: left alone
        ("https://goo.g/maps/TjFE8tqzEput", 87, True),  # sure, but cannot be right
        ("Jupdate/XXXXXXX@security.berkel", 64, True),  # a piece of a link cut by the bubble
        ("13.html", 60, True),
        ("UTC.", 20, False),  # prose, not a link
        ("Monica.", 20, False),
        ("5/12/2021", 20, False),  # a date: no letter
        ("p.m.", 20, False),
        ("A/c", 20, False),  # too short to be worth it
        ("https://t.co/abc", None, True),  # no confidence given: unsure
        # Left to ocr-text.js's repair of a thin "l" (scam-bank-en-002, scam-en-halifax-001): read alone, they
        # became "744l13.com/" and "team.com/!".
        ("744l(3.com/", 47, False),
        ("halifaxfraudpreventionteam.com/!|", 50, False),
    ],
)
def test_wants_second_look(text, confidence, wanted):
    assert call("wantsSecondLook", text, confidence) is wanted


@pytest.mark.parametrize(
    ("first", "second", "kept"),
    [
        # Tesseract is surer of the word alone: kept (legit-rakuten-mobile-002, legit-en-evac-004).
        (("https://r10.to/hktOUq", 65), ("https://r10.to/hkt0Uq", 68), "https://r10.to/hkt0Uq"),
        (("https://t.co/BTF6USEbYG", 75), ("https://t.co/BTF6UsEbYG", 90), "https://t.co/BTF6UsEbYG"),
        # Less sure: the first reading stays (the same image's "h8rhqx" read alone as "h8rhqgx").
        (("https://r10.to/h8rhqx", 88), ("https://r10.to/h8rhqgx", 58), "https://r10.to/h8rhqx"),
        # The first cannot be a link as read: a well-formed second is kept however unsure.
        (("https://www.city.soma.fukushima.]", 69), ("https://www.city.soma.fukushima.j", 38),
         "https://www.city.soma.fukushima.j"),
        (("https://goo.g/maps/TjFE8tqzEput", 87), ("https://goo.gl/maps/TjFE8tqzEput", 74),
         "https://goo.gl/maps/TjFE8tqzEput"),
        # Both malformed, or the second malformed: nothing gained.
        (("https://goo.g/x", 50), ("https://goo.q/x", 90), "https://goo.g/x"),
        (("https://t.co/abc", 60), ("https://t.co/a|c", 95), "https://t.co/abc"),
        # The crop held one word: spaces read inside it are dropped (scam-en-mailacct-003).
        (("Jupdate/XXXXXXX@security.berkel", 64), ("Ju pdate/XXXXXXX@secu rity.berkel", 91),
         "Jupdate/XXXXXXX@security.berkel"),
        (("https://t.co/abcdef", 60), ("https://t.co/ab cdef", 90), "https://t.co/abcdef"),
        (("https://t.co/abcdeF", 60), ("https://t.co/ab cdef", 90), "https://t.co/abcdef"),
        # Not a reading of the same pixels: far from the first.
        (("https://t.co/abcdef", 40), ("https://example.com/", 95), "https://t.co/abcdef"),
        (("https://t.co/abc", 40), ("", 0), "https://t.co/abc"),
    ],
)
def test_choose_reading(first, second, kept):
    got = call("chooseReading", {"text": first[0], "confidence": first[1]},
               {"text": second[0], "confidence": second[1]})
    assert got == kept


def box(x0: int, y0: int, x1: int, y1: int) -> dict:
    return {"x0": x0, "y0": y0, "x1": x1, "y1": y1}


def test_candidates_are_the_unsure_link_words_and_the_ascii_part_of_a_glued_word():
    glued = "詳細はhttps://t.co/abc"
    symbols = [{"text": c, "bbox": box(100 + 20 * i, 10 + (i % 2), 118 + 20 * i, 50)} for i, c in enumerate(glued)]
    lines = [
        {"text": "Visit https://t.co/BTF6USEbYG for", "y0": 0, "y1": 50, "words": [
            {"text": "Visit", "confidence": 96, "bbox": box(0, 0, 90, 40)},
            {"text": "https://t.co/BTF6USEbYG", "confidence": 75, "bbox": box(100, 0, 600, 50)},
            {"text": "for", "confidence": 96, "bbox": box(620, 0, 680, 40)}]},
        {"text": glued, "y0": 10, "y1": 50, "words": [{"text": glued, "confidence": 70, "bbox": box(100, 10, 500, 50),
                                                       "symbols": symbols}]},
        {"text": "https://r10.to/huAJvD", "y0": 0, "y1": 50, "words": [
            {"text": "https://r10.to/huAJvD", "confidence": 90, "bbox": box(0, 0, 400, 50)}]},
        {"text": "本日中", "y0": 0, "y1": 50, "words": [{"text": "本日中", "confidence": 10, "bbox": box(0, 0, 90, 40)}]},
    ]
    got = call("linkCandidates", lines)
    assert [(c["line"], c["word"], c["text"], c["start"], c["end"]) for c in got] == [
        (0, 1, "https://t.co/BTF6USEbYG", 0, 23), (1, 0, "https://t.co/abc", 3, 19)]
    assert got[1]["bbox"] == box(160, 10, 478, 50)  # the boxes of its ASCII characters only
    assert got[0]["lineHeight"] == 50
    # What is beside each, to keep out of its crop: the words before and after, the character before.
    assert (got[0]["left"], got[0]["right"]) == (90, 620)
    assert got[1]["left"] == 158 and got[1].get("right") is None


def test_a_screenshot_full_of_links_has_only_its_least_sure_words_read_again():
    words = [{"text": f"https://t.co/w{n:02d}", "confidence": 80 - n, "bbox": box(0, 0, 300, 50)} for n in range(20)]
    words[3]["text"] = "https://goo.g/x"  # cannot be a link as read: first in line, however sure
    words[3]["confidence"] = 89
    lines = [{"text": w["text"], "y0": 0, "y1": 50, "words": [w]} for w in words]
    limit = call("MAX_REREADS")
    got = [c["line"] for c in call("linkCandidates", lines)]
    assert len(got) == limit < len(words)
    assert got == sorted(got)  # in reading order
    assert got == [3] + list(range(20 - limit + 1, 20))
    assert [c["line"] for c in call("linkCandidates", lines, 2)] == [3, 19]


def test_a_word_whose_characters_do_not_spell_it_gives_no_candidate():
    word = {"text": "こちらhttps://t.co/abc", "confidence": 10, "bbox": box(0, 0, 9, 9),
            "symbols": [{"text": "x", "bbox": box(0, 0, 1, 1)}]}
    assert call("linkCandidates", [{"text": word["text"], "y0": 0, "y1": 9, "words": [word]}]) == []


def test_the_crop_has_a_margin_stays_in_the_image_and_brings_the_line_to_the_reading_height():
    height = call("READ_LINE_HEIGHT")
    assert 16 <= height <= 40
    crop = call("cropFor", {"bbox": box(76, 741, 547, 791), "lineHeight": 50}, 1080, 1600)
    assert crop == {"left": 59, "top": 724, "width": 505, "height": 84, "scale": pytest.approx(height / 50)}
    edge = call("cropFor", {"bbox": box(2, 3, 1079, 40), "lineHeight": 37}, 1080, 42)
    assert (edge["left"], edge["top"], edge["left"] + edge["width"], edge["top"] + edge["height"]) == (0, 0, 1080, 42)
    # Half-way to the neighbours at most (scam-au-005: a piece of the "…" after "cutt.ly/" was read as "-").
    near = call("cropFor", {"bbox": box(100, 100, 400, 150), "lineHeight": 50, "left": 90, "right": 410}, 1080, 900)
    assert (near["left"], near["left"] + near["width"]) == (95, 405)
    far = call("cropFor", {"bbox": box(100, 100, 400, 150), "lineHeight": 50, "left": 10, "right": 900}, 1080, 900)
    assert (far["left"], far["left"] + far["width"]) == (83, 417)
    assert call("cropFor", {"bbox": box(0, 0, 50, 5), "lineHeight": 5}, 100, 100)["scale"] == 2  # at most 2x
    assert call("cropFor", {"bbox": box(0, 0, 50, 500), "lineHeight": 500}, 100, 900)["scale"] == 0.4


def test_readings_replace_only_their_characters_in_the_line():
    lines = [
        {"text": "詳細はhttps://t.co/abc です\n", "words": [{"text": "詳細はhttps://t.co/abc"}, {"text": "です"}]},
        {"text": "x.co/a and x.co/a", "words": [{"text": "x.co/a"}, {"text": "and"}, {"text": "x.co/a"}]},
        {"text": "untouched", "words": [{"text": "untouched"}]},
    ]
    readings = [{"candidate": {"line": 0, "word": 0, "start": 3, "end": 19}, "text": "https://t.co/abd"},
                {"candidate": {"line": 1, "word": 2, "start": 0, "end": 6}, "text": "x.co/b"}]
    got = call("applyReadings", lines, readings)
    assert [line["text"] for line in got] == ["詳細はhttps://t.co/abd です\n", "x.co/a and x.co/b", "untouched"]


def test_bad_input_gives_no_candidate_and_no_crash():
    cases = [
        {"fn": "linkCandidates", "args": [None]},
        {"fn": "linkCandidates", "args": [[{"text": "x"}, None, {"words": [None, {"text": None}]}]]},
        {"fn": "applyReadings", "args": [None, None]},
        {"fn": "applyReadings", "args": [[{"text": "a"}], []]},
        {"fn": "chooseReading", "args": [None, None]},
        {"fn": "wantsSecondLook", "args": [None, None]},
        {"fn": "editDistance", "args": ["kitten", "sitting"]},
    ]
    assert run_node(cases) == [[], [], [], [{"text": "a"}], "", False, 3]
