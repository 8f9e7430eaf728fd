"""Lint of the rule set itself (SpamAssassin Conf/Parser.pm and Presidio pattern validation in spirit).

Checks the declarations in data/rules.toml, weights.toml and advice.toml, not the engine's behaviour:
unique ids and slugs, naming, examples present, texts present and short, weights for every rule, builtins
registered, meta rules referring to real rules, patterns that compile and cannot match nothing, sane
thresholds, and no text that calls a message "safe".
"""

from __future__ import annotations

import re
import string
import tomllib
from importlib import resources

import pytest

from mikiwame.rules.base import FACTS

import mikiwame
from mikiwame.engine import decide, intake
from mikiwame.entities import extract
from mikiwame.knowledge import load
from mikiwame.normalise import normalise
from mikiwame.rules import BUILTINS, Context, run


def _data(name: str) -> dict:
    return tomllib.loads(resources.files("mikiwame").joinpath("data", name).read_text(encoding="utf-8"))


RAW_RULES = _data("rules.toml")["rule"]
WEIGHTS = _data("weights.toml")
ADVICE = _data("advice.toml")
KB = load()
SLUGS = {r["slug"] for r in RAW_RULES}
# "@" tokens the meta engine implements (an unknown one would silently never match): read from its code.
META_TOKENS = set(FACTS)
KINDS = {"pattern", "builtin", "meta"}
TEXT_KEYS = ("title_ja", "title_en", "message_ja", "message_en", "advice_ja", "advice_en")


def _ids(rules):
    return [r["slug"] for r in rules]


def test_ids_and_slugs_are_unique() -> None:
    ids = [r["id"] for r in RAW_RULES]
    slugs = [r["slug"] for r in RAW_RULES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert len(slugs) == len(set(slugs)), sorted({s for s in slugs if slugs.count(s) > 1})


def test_loaded_rules_match_the_file() -> None:
    # knowledge.load() must not drop or invent rules.
    assert [r.slug for r in KB.rules] == [r["slug"] for r in RAW_RULES]


@pytest.mark.parametrize("rule", RAW_RULES, ids=_ids(RAW_RULES))
def test_rule_declaration(rule: dict) -> None:
    assert re.fullmatch(r"MK\d{3}", rule["id"]), rule["id"]
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule["slug"]), rule["slug"]
    assert rule["kind"] in KINDS
    assert rule.get("category"), "category missing"
    assert rule.get("status", "stable") in {"stable", "preview"}
    for key in TEXT_KEYS:
        assert isinstance(rule.get(key), str) and rule[key].strip(), f"{key} missing or empty"
    for key in ("title_ja", "title_en"):
        assert len(rule[key]) <= 60, f"{key} is {len(rule[key])} chars: {rule[key]!r}"
    examples = rule.get("examples", {})
    assert len(examples.get("flagged", [])) >= 1, "needs at least one flagged example"
    assert len(examples.get("not_flagged", [])) >= 1, "needs at least one not_flagged example"
    assert all(isinstance(t, str) and t.strip() for t in examples["flagged"] + examples["not_flagged"])
    if rule.get("source") is not None:
        assert rule["source"].startswith("https://"), rule["source"]


@pytest.mark.parametrize("rule", RAW_RULES, ids=_ids(RAW_RULES))
def test_rule_kind_has_what_it_needs(rule: dict) -> None:
    kind = rule["kind"]
    if kind == "pattern":
        assert rule.get("patterns"), "a pattern rule needs patterns"
        assert "all" not in rule
    elif kind == "meta":
        assert rule.get("all"), "a meta rule needs `all` groups"
        assert "patterns" not in rule
        for group in rule["all"]:
            for option in group.split("|"):
                assert option in SLUGS or option in META_TOKENS, f"unknown reference {option!r}"
                assert option != rule["slug"], "a meta rule cannot refer to itself"
                if option in SLUGS:
                    ref = next(r for r in RAW_RULES if r["slug"] == option)
                    assert ref["kind"] != "meta", f"{option}: meta rules are evaluated in one pass, not nested"
        for option in rule.get("none", []):
            assert (option in SLUGS or option in META_TOKENS) and option != rule["slug"], f"unknown reference {option!r}"
            if option in SLUGS:
                ref = next(r for r in RAW_RULES if r["slug"] == option)
                assert ref["kind"] != "meta", f"{option}: meta rules are evaluated in one pass, not nested"
    else:
        assert "patterns" not in rule and "all" not in rule and "none" not in rule


def test_meta_tokens_found() -> None:
    assert {"@brand", "@url"} <= META_TOKENS


def test_builtins_registry_matches_rules_toml() -> None:
    declared = {r["slug"] for r in RAW_RULES if r["kind"] == "builtin"}
    assert declared - set(BUILTINS) == set(), "builtin rules without a function in mikiwame.rules.BUILTINS"
    assert set(BUILTINS) - declared == set(), "functions in BUILTINS without a builtin rule in rules.toml"


def test_every_rule_has_a_weight_and_every_weight_a_rule() -> None:
    weights = WEIGHTS["weights"]
    assert SLUGS - set(weights) == set(), "rules without a weight in weights.toml"
    assert set(weights) - SLUGS == set(), "weights naming no rule"
    assert all(isinstance(w, int) and -100 <= w <= 100 for w in weights.values())


def test_favourable_rules_have_negative_weights_and_others_not() -> None:
    weights = WEIGHTS["weights"]
    for rule in RAW_RULES:
        w = weights[rule["slug"]]
        if rule["category"] == "favourable":
            assert w < 0, f"{rule['slug']} is a sign in favour but weighs {w}"
        else:
            assert w >= 0, f"{rule['slug']} weighs {w} but is not in the favourable category"


def test_preview_rules_count_zero() -> None:
    for spec in KB.rules:
        if spec.status == "preview":
            assert spec.effective_weight == 0, spec.slug


def test_thresholds() -> None:
    t = WEIGHTS["thresholds"]
    assert 0 < t["suspicious"] < t["scam"] <= 100
    assert KB.thresholds == {"suspicious": t["suspicious"], "scam": t["scam"]}


PATTERNS = [(r["slug"], n, p) for r in RAW_RULES for n, p in enumerate(r.get("patterns", []))]


@pytest.mark.parametrize(("slug", "n", "pattern"), PATTERNS, ids=[f"{s}-{n}" for s, n, _ in PATTERNS])
def test_pattern_compiles_and_cannot_match_nothing(slug: str, n: int, pattern: str) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    assert compiled.search("") is None, "matches the empty string"
    # An always-matching pattern would match ordinary words too; a pattern must not match a bare space or
    # a bare letter either.
    for probe in (" ", "a", "あ", "0", "\n"):
        m = compiled.search(probe)
        assert m is None or m.group(), f"zero-width match on {probe!r}"
    assert compiled.search(" ") is None and compiled.search("a") is None


def test_patterns_are_written_for_folded_text() -> None:
    # Patterns run on NFKC-folded text: a full-width letter/digit, a half-width katakana or a ㈱-style
    # compatibility character in a pattern could never match anything.
    for slug, n, pattern in PATTERNS:
        assert not re.search(r"[Ａ-Ｚａ-ｚ０-９\uff61-\uff9f\u3200-\u33ff]", pattern), (
            f"{slug}#{n} has characters that NFKC folding removes: {pattern!r}")


def test_advice_steps_refer_to_real_triggers() -> None:
    categories = {r["category"] for r in RAW_RULES}
    known = {"scam", "suspicious", "clean"} | categories | SLUGS
    for step in ADVICE["step"]:
        assert step.get("text_ja") and step.get("text_en"), step["id"]
        for trigger in step["when"]:
            assert trigger in known, f"advice step {step['id']}: unknown trigger {trigger!r}"
        if "source" in step:
            assert step["source"].startswith("https://")
    ids = [s["id"] for s in ADVICE["step"]]
    assert len(ids) == len(set(ids))


# --- never "safe" --------------------------------------------------------------------------------------

_SAFE_WORD = re.compile(r"\bsafe(?:ly|ty)?\b", re.IGNORECASE)
# 安全 may appear only inside an explicit "this is not a guarantee" phrase.
_ANZEN_NEGATED = re.compile(r"安全(?:だという保証ではありません|とは限りません|の保証ではありません)")


def _strings(obj, path=""):
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _strings(v, f"{path}[{i}]")


def _user_texts():
    """Every string a reader can see: rule texts (not patterns or examples) and all of advice.toml."""
    for rule in RAW_RULES:
        for key in TEXT_KEYS:
            yield f"rules.{rule['slug']}.{key}", rule[key]
    yield from _strings(ADVICE, "advice")


def test_verdict_texts_never_say_safe() -> None:
    for verdict, texts in ADVICE["verdict"].items():
        for key, text in texts.items():
            assert not _SAFE_WORD.search(text), f"verdict.{verdict}.{key}: {text!r}"
            assert "安全" not in text, f"verdict.{verdict}.{key}: {text!r}"
    clean = next(s for s in ADVICE["step"] if s["when"] == ["clean"] or "clean" in s["when"])
    assert not _SAFE_WORD.search(clean["text_en"]) and "安全です" not in clean["text_ja"]


def test_no_text_calls_a_message_safe() -> None:
    for where, text in _user_texts():
        assert not _SAFE_WORD.search(text), f"{where}: {text!r}"
        for m in re.finditer("安全", text):
            assert _ANZEN_NEGATED.match(text, m.start()), f"{where}: 安全 not in a negated phrase: {text!r}"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_clean_report_never_says_safe(lang: str) -> None:
    report = mikiwame.check("明日7時に駅で待ち合わせね", lang).to_dict()
    assert report["verdict"] == "clean"
    shown = " ".join([report["headline"], report["summary"], *(a["text"] for a in report["advice"])])
    assert not _SAFE_WORD.search(shown)
    assert "安全です" not in shown and "安全な" not in shown


# --- templates get their values --------------------------------------------------------------------------

def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


TEMPLATED = [r for r in KB.rules if any(_placeholders(v) for v in r.text.values())]


@pytest.mark.parametrize("spec", TEMPLATED, ids=[r.slug for r in TEMPLATED])
def test_message_templates_get_every_value(spec) -> None:
    """Every {placeholder} in a rule's texts is supplied by its hits (a missing one would render blank).

    Checked on the rule's own flagged examples; at least one of them must fire (test_rules.py reports
    each one that does not)."""
    needed = set().union(*(_placeholders(v) for v in spec.text.values()))
    fired = 0
    for text in spec.examples.get("flagged", []):
        hits = decide(*intake(text), KB).hits  # the rules' run and the engine's second look (MK120)
        hit = next((h for h in hits if h.slug == spec.slug), None)
        if hit is None:
            continue
        fired += 1
        assert needed - set(hit.params) == set(), f"{text!r}: no value for {needed - set(hit.params)}"
    assert fired, f"{spec.slug} fired on none of its flagged examples"
