"""scripts/rule_qa.py's site-resampled intervals: how far a corpus figure can move with the sites collected.
A corpus of a few big sites must give a wider interval than the same share spread over many small ones,
since one site's messages share a template and are not independent draws."""

from __future__ import annotations

from script_loader import load_script


def _rule_qa():  # noqa: ANN202 - a script loaded by path
    return load_script("scripts/rule_qa.py", "mikiwame_rule_qa")


def test_one_site_cannot_move():
    lo, hi = _rule_qa().site_interval([("a.example", True)] * 3 + [("a.example", False)] * 7)
    assert (lo, hi) == (0.3, 0.3)


def test_interval_holds_the_share_and_stays_within_0_and_1():
    outcomes = [(f"s{i}.example", i % 4 == 0) for i in range(80)]
    lo, hi = _rule_qa().site_interval(outcomes)
    assert 0.0 < lo < 0.25 < hi < 1.0


def test_clustered_sites_give_a_wider_interval_than_independent_messages():
    qa = _rule_qa()
    spread = [(f"s{i}.example", i % 2 == 0) for i in range(100)]  # 100 sites, one message each
    lumped = [(f"s{i // 10}.example", (i // 10) % 2 == 0) for i in range(100)]  # 10 sites, all-or-nothing
    lo_s, hi_s = qa.site_interval(spread)
    lo_l, hi_l = qa.site_interval(lumped)
    assert hi_l - lo_l > 2 * (hi_s - lo_s)


def test_seeded_so_the_docs_do_not_change_by_chance():
    outcomes = [(f"s{i % 30}.example", i % 3 == 0) for i in range(90)]
    qa = _rule_qa()
    assert qa.site_interval(outcomes) == qa.site_interval(outcomes)
