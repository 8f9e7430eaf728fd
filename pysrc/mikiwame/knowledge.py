"""The knowledge base: brands, numbers, domains, rules and weights, loaded lazily from package data.

Everything here is data (``mikiwame/data/*.toml``) so that adding a brand or tuning a weight never touches
code. Files are read with ``importlib.resources``, which works the same in CPython and in Pyodide's
virtual file system, and only on first use (``load()`` is cached): importing mikiwame stays cheap.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable, Iterable, Iterator

from .normalise import View, skeletonise, unaccented


@functools.cache
def _compiled() -> dict[str, Any] | None:
    """The data files pre-parsed into one JSON file, present only in wheels made by build.py (see there)."""
    path = resources.files("mikiwame").joinpath("data", "compiled.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _read(name: str) -> dict[str, Any]:
    compiled = _compiled()
    if compiled is not None:
        return compiled[name]
    import tomllib  # only from a source tree: a wheel's compiled.json spares the page and the CLI the parser

    return tomllib.loads(resources.files("mikiwame").joinpath("data", name).read_text(encoding="utf-8"))


@dataclass(frozen=True, eq=False)
class Brand:
    """One impersonated brand and the public facts that tell its real messages from fakes."""

    id: str
    name_ja: str
    name_en: str
    sector: str
    aliases: tuple[str, ...]
    legal_name: str
    legal_stem: str
    legal_form: str
    official_domains: frozenset[str]
    official_link_domains: frozenset[str]
    official_phones: frozenset[str]
    official_sms_senders: frozenset[str]
    never_does: tuple[str, ...]
    never_does_text_ja: str
    warning_page: str
    report_to: str
    sources: dict[str, dict[str, str]]
    examples: dict[str, list[str]]
    # Names of the brand that are also ordinary words (Kraken, Ledger, Outlook): never read as a mention in
    # running text (they are not in ``aliases`` unless listed there too), and as a domain token only in the
    # shapes ``ordinary_word_in_host`` accepts; in an e-mail they still name the sender (``sender_name_brand``).
    ordinary_words: tuple[str, ...] = ()
    # The brand's own domains that serve other people's content or mail (amazonaws.com, googleusercontent.com,
    # onmicrosoft.com): not its voice (``owns`` is False), but never a look-alike of it either.
    infrastructure_domains: frozenset[str] = frozenset()

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def owns(self, host: str) -> bool:
        """Is ``host`` one of the brand's official domains or a subdomain of one?"""
        for domain in self.official_domains | self.official_link_domains:
            if host == domain or host.endswith("." + domain):
                return True
        return False

    def source(self, fact: str) -> str | None:
        entry = self.sources.get(fact)
        return entry.get("url") if isinstance(entry, dict) else None

    @classmethod
    def from_toml(cls, raw: dict[str, Any]) -> "Brand":
        lower = [unaccented(a.lower()) for a in raw.get("aliases", [])]  # as the folded view reads words
        return cls(
            id=raw["id"],
            name_ja=raw.get("name_ja", raw["id"]),
            name_en=raw.get("name_en", raw["id"]),
            sector=raw.get("sector", "other"),
            aliases=tuple(dict.fromkeys(lower)),
            legal_name=raw.get("legal_name", ""),
            legal_stem=raw.get("legal_stem", ""),
            legal_form=raw.get("legal_form", ""),
            official_domains=frozenset(d.lower() for d in raw.get("official_domains", [])),
            official_link_domains=frozenset(d.lower() for d in raw.get("official_link_domains", [])),
            official_phones=frozenset(f for p in raw.get("official_phones", []) for f in _phone_forms(p)),
            official_sms_senders=frozenset(_sender(s) for s in raw.get("official_sms_senders", [])),
            never_does=tuple(raw.get("never_does", [])),
            never_does_text_ja=raw.get("never_does_text_ja", ""),
            warning_page=raw.get("warning_page", ""),
            report_to=raw.get("report_to", ""),
            sources=raw.get("sources", {}),
            examples=raw.get("examples", {}),
            ordinary_words=tuple(dict.fromkeys(w.lower() for w in raw.get("ordinary_words", []))),
            infrastructure_domains=frozenset(d.lower() for d in raw.get("infrastructure_domains", [])),
        )


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# A North American number stored with its country code, "1" + NXX-NXX-XXXX (1-800-935-9935).
_NANP = re.compile(r"1[2-9][0-9]{2}[2-9][0-9]{6}")


def _phone_forms(text: str) -> tuple[str, ...]:
    """Every form in which entities reads an official number in a message. A Japanese or British number has
    one (its domestic digits); a North American one has three, since "1-800-935-9935" is read with its
    leading 1, "(800) 935-9935" and "800-935-9935" without, and "+1 800 935 9935" as an international number."""
    digits = _digits(text)
    return (digits, digits[1:], "+" + digits) if _NANP.fullmatch(digits) else (digits,)


def _sender(text: str) -> str:
    digits = _digits(text)
    return digits if len(digits) >= 5 else text.lower()


@dataclass(frozen=True)
class KnownNumber:
    number: str
    status: str  # "scam" | "official"
    brand: str
    note: str
    source: str


@dataclass(frozen=True)
class PhonePrefix:
    prefix: str
    type: str
    lengths: tuple[int, ...]
    label_ja: str
    label_en: str


@dataclass(frozen=True, eq=False)
class RuleSpec:
    """A rule's declaration from rules.toml plus its weight from weights.toml."""

    id: str
    slug: str
    kind: str
    category: str
    weight: int
    status: str
    text: dict[str, str]
    pattern_texts: tuple[str, ...] = ()
    all_of: tuple[tuple[str, ...], ...] = ()
    none_of: tuple[str, ...] = ()  # a meta rule does not fire when any of these fired
    # In an e-mail, a rule with this counts only evidence that starts within this many characters of the body
    # (a meta rule: its last group's; rules/base.py ``in_mail_opening``): the opening, not a story further down.
    mail_opening: int | None = None
    requires_no: tuple[str, ...] = ()
    unless_before: str | None = None  # a match is not this rule's when this regex finds its sentence's subject
    unless_after: str | None = None  # nor when this regex matches right after it: the ask is denied (「…ことはありません」)
    source: str | None = None
    examples: dict[str, list[str]] = field(default_factory=dict)
    shows_official: bool = False  # evidence may be an official name or domain, shown as what is imitated

    def t(self, key: str, lang: str) -> str:
        return self.text.get(f"{key}_{lang}") or self.text.get(f"{key}_en", "")

    @functools.cached_property
    def templates(self) -> dict[str, tuple[str, str, str]]:
        """lang → (title, message, advice) templates."""
        return {lang: (self.t("title", lang), self.t("message", lang), self.t("advice", lang)) for lang in ("ja", "en")}

    @functools.cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        """Each pattern compiled on its own (for the rule-set lint; matching uses ``combined``)."""
        return tuple(re.compile(p, _PATTERN_FLAGS) for p in self.pattern_texts)

    @functools.cached_property
    def matchers(self) -> tuple[tuple[re.Pattern[str], bool, frozenset[str] | None], ...]:
        """The patterns as used for matching: (regex, needs a word boundary on the left, gate words).

        Each pattern's top-level alternatives become separate regexes, a leading ``\\b`` is checked
        after the match, and each regex runs only when one of its gate words (prefilter.py) is in the
        text: Python's ``re`` skips ahead fast only in a regex that starts with a literal, and one long
        alternation, or a leading ``\\b``, tries every position of every message.

        The gate is the required clause that looks rarest (``_rarity``), not only the one with the longest
        shortest word: any required clause will do (the others are tested after it, rules/gates.py), so
        the choice changes no match, only how many regexes a message opens and then tests in vain. " "
        (every English message) gave way to ":" in sender-tag, "に"/"を" to "装"/"よそお" in talks-about-scams:
        17.5 matchers opened per benchmark message before, 14.7 after.
        """
        from .prefilter import compiled, required_clauses, required_literals

        out = []
        for text in self.pattern_texts:
            for part, boundary in split_alternatives(text):
                gate = required_literals(part)
                if gate:
                    gate = max((gate, *required_clauses(part)), key=_rarity)
                out.append((compiled(part, _PATTERN_FLAGS), boundary, frozenset(gate) if gate else None))
        return tuple(out)

    @functools.cached_property
    def subject_filter(self) -> re.Pattern[str] | None:
        """``unless_before`` compiled: searched in the words of a match's sentence that come before it."""
        return re.compile(self.unless_before, _PATTERN_FLAGS) if self.unless_before else None

    @functools.cached_property
    def denial_filter(self) -> re.Pattern[str] | None:
        """``unless_after`` compiled: matched where a match ends, within its sentence."""
        return re.compile(self.unless_after, _PATTERN_FLAGS) if self.unless_after else None

    @functools.cached_property
    def gate(self) -> tuple[str, ...] | None:
        """Strings of which one must be in the text for any pattern to match (None: no prefilter)."""
        needed: set[str] = set()
        for _, _, gate in self.matchers:
            if gate is None:
                return None
            needed |= gate
        return tuple(sorted(needed)) or None

    @property
    def effective_weight(self) -> int:
        return 0 if self.status == "preview" else self.weight


def char_rarity(ch: str) -> float:
    """How seldom a character turns up in messages, roughly: a space least rarely, then a Latin letter or a
    hiragana (the particles), then digits, signs and katakana, then a kanji. Used where a choice of words
    changes only how much work a message costs: a pattern's gate (``_rarity``) and the trigram a word is
    filed under (``onepass.keys``)."""
    if ch == " ":
        return 0.5
    if "a" <= ch <= "z" or "\u3040" <= ch <= "\u309f":
        return 1
    if "\u4e00" <= ch <= "\u9fff":
        return 3
    return 2


def _rarity(clause: Iterable[str]) -> tuple[float, int]:
    """A clause (words of which one must be in the text) is as common as its commonest word: the rarity of
    the word whose characters add up to least, then fewer words. The gate of a matcher is the required
    clause with the highest (``RuleSpec.matchers``)."""
    words = tuple(clause)
    return min(sum(map(char_rarity, word)) for word in words), -len(words)


@dataclass(frozen=True, eq=False)
class Knowledge:
    brands: tuple[Brand, ...]
    numbers: dict[str, KnownNumber]
    phone_plan: tuple[PhonePrefix, ...]
    suspicious_tlds: frozenset[str]
    shorteners: frozenset[str]
    free_hosting: frozenset[str]
    lure_words: frozenset[str]  # words phishing hosts join to a brand's name ("kraken-login")
    public_sector: frozenset[str]
    public_sector_prefixes: tuple[str, ...]
    public_sector_second_levels: frozenset[str]
    academic: frozenset[str]  # suffixes only accredited institutions can register (.edu)
    domain_sources: dict[str, str]
    rules: tuple[RuleSpec, ...]
    thresholds: dict[str, int]
    discounts: dict[str, float]
    advice: dict[str, Any]
    never_does: dict[str, Any]
    data_version: str
    freemail: frozenset[str] = frozenset()
    freemail_source: str = ""
    # domains.toml file_extensions: ccTLDs that are also file extensions (a bare "sendmail.cf" is a file)
    file_extensions: frozenset[str] = frozenset()
    # weights.toml [phrase_discounts]: like ``discounts``, but only for phrase rules (kind pattern or meta)
    phrase_discounts: dict[str, float] = field(default_factory=dict)
    # weights.toml [caps]: a fired rule → the highest score it allows (one below its verdict's threshold)
    caps: dict[str, int] = field(default_factory=dict)
    # mail_senders.toml: names a sender claims (the recipient's mail system; an institution), and their sources
    mail_system_names: tuple[str, ...] = ()
    organisation_names: tuple[str, ...] = ()
    tenant_domains: frozenset[str] = frozenset()
    mail_sender_sources: dict[str, str] = field(default_factory=dict)
    # mail_lures.toml: (language code, language name, phrase patterns) per language, and each one's source
    mail_lures: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    mail_lure_sources: dict[str, str] = field(default_factory=dict)

    def is_public_sector(self, host: str, registrable: str) -> bool:
        """Is ``host`` a domain only a public body can hold (go.jp, lg.jp, gov.uk, .gov, pref.*.jp …)?"""
        if ("." + host).endswith(self._public_sector_suffixes):
            return True
        labels = registrable.split(".")
        if len(labels) == 3 and len(labels[2]) == 2 and labels[1] in self.public_sector_second_levels:
            return True  # police.gov.sg, mha.gov.in: a government second-level domain under a ccTLD
        return registrable.endswith(".jp") and registrable.startswith(self.public_sector_prefixes)

    def is_institution(self, host: str, registrable: str) -> bool:
        """Is ``host`` a domain only a public body or an accredited institution can hold (.edu as well as
        the public-sector domains)?"""
        return ("." + host).endswith(self._academic_suffixes) or self.is_public_sector(host, registrable)

    @functools.cached_property
    def _public_sector_suffixes(self) -> tuple[str, ...]:
        """Each public-sector domain with a dot before it: a host is one of them or under one exactly when the
        host with a dot before it ends with one, one ``str.endswith`` of them all (in C), where a generator
        tested the domains in turn, each with a string made for it ("." + domain), for every link."""
        return _dotted(self.public_sector)

    @functools.cached_property
    def _academic_suffixes(self) -> tuple[str, ...]:
        """``academic`` as ``_public_sector_suffixes`` holds ``public_sector``."""
        return _dotted(self.academic)

    @functools.cached_property
    def brand_by_id(self) -> dict[str, Brand]:
        return {b.id: b for b in self.brands}

    @functools.cached_property
    def rule_by_slug(self) -> dict[str, RuleSpec]:
        return {r.slug: r for r in self.rules}

    @functools.cached_property
    def own_weights(self) -> dict[str, int]:
        """Each rule's weight as it counts undiscounted (``effective_weight``: 0 for a rule in preview)."""
        return {r.slug: r.effective_weight for r in self.rules}

    @functools.cached_property
    def legal_stem_pattern(self) -> tuple[re.Pattern[str], dict[str, Brand]]:
        """Names that a legal form may stand next to: each brand's legal stem and aliases of 3+ characters."""
        owners = self._first_owner(lambda b: [s for s in (b.legal_stem.lower(), *b.aliases) if len(s) >= 3])
        return re.compile(trie_regex(owners)), owners

    @functools.cached_property
    def gate_scanners(self) -> tuple[tuple[re.Pattern[str], bool], ...]:
        """Regexes that together find every pattern rule's gate word in a message (see prefilter.py), each
        with whether it can match text that is all ASCII.

        A scan restarts one character after each hit so that overlapping words are all seen (a look-ahead
        pattern would do that in one call but measured slower: it loses ``re``'s fast skip to a first
        character). It finds the longest word at a position, which ``matcher_index`` lets stand for the
        gate words that are its prefixes (``ご連絡`` → ``ご``).

        There is one regex per script of the words' first character: at each position where some word may
        start, ``re`` tries every top-level alternative of the regex in turn, so one regex over all the
        words (111 first characters) cost about twice as much as three smaller ones; and an all-ASCII text
        (an O(1) test) skips the regexes of the other scripts.

        Gate words of one character (" ", "に", "を") are left to ``gate_singles``: a text holds them many
        times over, and each hit cost a restart of the scan (a benchmark message had 26 hits, 12 of them these).
        """
        scripts: dict[str, list[str]] = {}
        for word in sorted(self.matcher_index):
            if len(word) > 1:
                scripts.setdefault(_script(word[0]), []).append(word)
        return tuple((re.compile(trie_regex(words)), script == "ascii") for script, words in scripts.items())

    @functools.cached_property
    def gate_singles(self) -> tuple[str, ...]:
        """The one-character gate words, which the gate scanners leave out: each is looked for with ``in``
        (a ``memchr`` in C), once per message instead of a scan restart at every occurrence."""
        return tuple(word for word in sorted(self.matcher_index) if len(word) == 1)

    @functools.cached_property
    def matcher_index(self) -> dict[str, frozenset[tuple[int, int]]]:
        """Gate word → the (pattern rule, matcher) pairs that it and the gate words that are its prefixes
        open, so that a message visits only the regexes whose words it contains (see ``rules.run``).

        A word's prefixes are looked up (a dozen dictionary lookups), not every gate word tested with
        ``startswith`` (1.4 million calls, about 220 ms of a ``warm_up()`` of 2.0 s in Pyodide under Node,
        which a first visit of the page pays before the engine is ready)."""
        index: dict[str, set[tuple[int, int]]] = {}
        for r, spec in enumerate(self.rules_by_kind["pattern"]):
            for m, (_, _, gate) in enumerate(spec.matchers):
                for word in gate or ():
                    index.setdefault(word, set()).add((r, m))
        empty: frozenset[tuple[int, int]] = frozenset()
        return {word: empty.union(*(index.get(word[:k], ()) for k in range(len(word) + 1))) for word in index}

    @functools.cached_property
    def rules_by_kind(self) -> dict[str, tuple[RuleSpec, ...]]:
        return {kind: tuple(r for r in self.rules if r.kind == kind) for kind in ("pattern", "builtin", "meta")}

    def _first_owner(self, keys: Callable[[Brand], Iterable[str]]) -> dict[str, Brand]:
        """key → the first brand (in file order) that lists it."""
        out: dict[str, Brand] = {}
        for brand in self.brands:
            for key in keys(brand):
                out.setdefault(key, brand)
        return out

    @functools.cached_property
    def official_numbers(self) -> dict[str, Brand]:
        """Every official phone number or SMS sender → the brand it belongs to."""
        return self._first_owner(lambda b: b.official_phones | b.official_sms_senders)

    @functools.cached_property
    def alias_owners(self) -> dict[str, Brand]:
        """Every brand alias → the first brand that lists it."""
        return self._first_owner(lambda b: b.aliases)

    @functools.cached_property
    def alias_pattern(self) -> tuple[re.Pattern[str], dict[str, Brand]]:
        """One regex over every brand alias, built as a trie so that a message is scanned once, not once
        per alias (a plain alternation of ~300 literals costs ~10x more). Longest alias wins.

        The definition that the engine's faster ways of finding aliases are tested against
        (``ascii_alias_pattern``, ``alias_patterns_by_first``, ``onepass``); the engine itself never scans
        with it, so it is compiled only when asked for (its trie of every alias is the largest regex of all:
        166 ms of a ``warm_up()`` of 2.0 s in Pyodide under Node, paid by a first visit before ready)."""
        owners = self.alias_owners
        return re.compile(trie_regex(owners)), owners

    @functools.cached_property
    def ascii_alias_pattern(self) -> re.Pattern[str]:
        """``alias_pattern`` without the aliases that are not all ASCII: on all-ASCII text (an O(1) test) it
        finds the very same matches, and it is scanned about twice as fast, since ``re`` tries each top-level
        alternative (one per first character) at each candidate position."""
        return re.compile(trie_regex([alias for alias in self.alias_owners if alias.isascii()]))

    @functools.cached_property
    def alias_patterns_by_first(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """``alias_pattern`` split in two: the aliases that start with an ASCII character, and the others.

        On Japanese text ``re`` tries the alternatives of ``alias_pattern`` (one per first character: over a
        hundred) at each character some alias starts with, and all of them where no alias is found there
        (most such places: the Latin letters of a link, kana such as い and し); in the halves, a letter of a
        link meets a few dozen alternatives and a kana the rest. ``entities.alias_matches`` merges their
        matches into what ``alias_pattern`` finds (30 % fewer instructions on the benchmark's Japanese messages)."""
        owners = self.alias_owners
        ascii_first = [alias for alias in owners if alias[0].isascii()]
        other_first = [alias for alias in owners if not alias[0].isascii()]
        return (re.compile(trie_regex(ascii_first) if ascii_first else "(?!)"),
                re.compile(trie_regex(other_first) if other_first else "(?!)"))

    def is_freemail(self, domain: str) -> bool:
        """Is ``domain`` (an address's domain) at a free-mail provider (freemail.toml)?"""
        return any(d in self.freemail for d in host_suffixes(domain)) or domain in self.freemail

    def on_free_hosting(self, host: str) -> bool:
        """Is ``host`` on a service where anyone can publish under a shared parent (domains.toml free_hosting:
        sites.google.com, blob.core.windows.net …)? A page there is its uploader's, not the parent brand's."""
        return any(d in self.free_hosting for d in host_suffixes(host))

    def owner_of(self, host: str) -> Brand | None:
        """The brand whose official domain ``host`` is or lies under (``www.tax.service.gov.uk`` → HMRC)."""
        owners = self.domain_owner
        for domain in host_suffixes(host):
            owner = owners.get(domain)
            if owner is not None:
                return owner
        return None

    def imitated_brand(self, host: str, registrable_domain: str, tld: str) -> Brand | None:
        """The brand whose name a host borrows without being one of its official domains (or None). Never on a
        domain only a public body or an accredited institution can hold: a university's ``citi.umich.edu``
        names its own lab, and no scammer can register under .edu."""
        if self.is_institution(host, registrable_domain):
            return None
        return _imitated_brand_of(host, registrable_domain, tld, self)

    def lookalike_part(self, host: str, registrable_domain: str, tld: str) -> str:
        """Where a look-alike host carries the brand's name: "domain" or only "subdomain"."""
        return _lookalike_part(host, registrable_domain, tld, self)

    def link_brand(self, host: str, named: list[Brand]) -> tuple[str | None, bool | None]:
        """(brand, official) for a link or address: official for a brand named in the message, or for any
        listed brand's domain; False if a brand is named and this is not its domain; None when no brand
        is named and the domain is no listed brand's."""
        for brand in named:
            if brand.owns(host):
                return brand.id, True
        owner = self.owner_of(host)
        if owner is not None:
            return owner.id, True
        if named:
            return named[0].id, False
        return None, None

    def infrastructure_of(self, host: str) -> Brand | None:
        """The brand whose infrastructure domain (``Brand.infrastructure_domains``) ``host`` lies under."""
        owners = self.infrastructure_owner
        return next((owners[d] for d in host_suffixes(host) if d in owners), None)

    @functools.cached_property
    def infrastructure_owner(self) -> dict[str, Brand]:
        return self._first_owner(lambda b: b.infrastructure_domains)

    @functools.cached_property
    def sender_name_pattern(self) -> tuple[re.Pattern[str], dict[str, Brand]]:
        """One regex over every brand's ordinary-word names (``Brand.ordinary_words``), for e-mail sender
        names only: in running text these words are just words."""
        owners = self._first_owner(lambda b: b.ordinary_words)
        return re.compile(trie_regex(owners)) if owners else re.compile(r"(?!)"), owners

    def sender_name_brand(self, name: str) -> tuple[Brand, int, int] | None:
        """(brand, start, end) for the first ordinary-word brand name that stands as a whole word in an
        e-mail sender's display name ("Kraken", "Ledger Support"), or None."""
        pattern, owners = self.sender_name_pattern
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in name)  # offsets stay those of ``name``
        for m in pattern.finditer(folded):
            start, end = m.span()
            if (start == 0 or not folded[start - 1].isalnum()) and (end == len(folded) or not folded[end].isalnum()):
                return owners[m.group()], start, end
        return None

    @functools.cached_property
    def domain_owner(self) -> dict[str, Brand]:
        """Official domain → brand that officially uses it (first listed wins where two brands share one)."""
        return self._first_owner(lambda b: b.official_domains | b.official_link_domains)


# Which brand a link's host imitates (the look-alike rule and the report's link cards both ask this
# one question, so it is answered here, beside the brands' official domains).
_MIN_TOKEN = 4
_SUBSTRING_TOKEN = 6


@functools.lru_cache(maxsize=4096)
def host_skeleton(host: str) -> str:
    """The host with look-alike characters undone (IDNs decoded first): what an imitation is judged on."""
    if host.startswith("xn--") or ".xn--" in host:
        try:
            host = ".".join(label.encode("ascii").decode("idna") for label in host.split("."))
        except UnicodeError:
            pass
    return skeletonise(View(host, host)).text


@functools.cache
def _brand_tokens(kb: "Knowledge") -> list[tuple[str, Brand, bool]]:
    """Distinctive Latin names of each brand: official domain stems, one-word aliases and its ordinary-word
    names (≥ 4 letters), each with whether it is an ordinary word (``Brand.ordinary_words``)."""
    tokens: dict[str, tuple[Brand, bool]] = {}
    for brand in kb.brands:
        stems = [d.split(".")[0] for d in brand.official_domains]
        words = [a for a in (*brand.aliases, *brand.ordinary_words) if re.fullmatch(r"[a-z0-9-]+", a)]
        for token in stems + words:
            if len(token) >= _MIN_TOKEN:
                tokens.setdefault(token, (brand, token in brand.ordinary_words))
    return sorted(((t, b, o) for t, (b, o) in tokens.items()), key=lambda kv: -len(kv[0]))


def _contains_token(host: str, token: str) -> bool:
    """Long names count anywhere in the host ("amazon" in "amazonsecure.top"); short ones (< 6 letters) only
    as a whole piece between dots, hyphens or digits, so "myna" is not found in "mynavi" nor "chase" in
    "purchase"."""
    if len(token) >= _SUBSTRING_TOKEN:
        return token in host
    start = host.find(token)
    while start != -1:
        end = start + len(token)
        before = host[start - 1] if start else "."
        after = host[end] if end < len(host) else "."
        if not before.isalpha() and not after.isalpha():
            return True
        start = host.find(token, start + 1)
    return False


def ordinary_word_in_host(host: str, registrable_domain: str, tld: str, word: str, brand: Brand,
                          kb: "Knowledge") -> bool:
    """Does a host use ``word`` (a brand name that is also an ordinary word) *as the brand's name*?

    An ordinary word inside a longer word names nothing ("gitkraken", "theledger", "outlooksecure"), and as
    a label of its own it is just the word ("outlook.example.biz", "discover.example.com"). It names the
    brand only as a piece joined by a hyphen or digits to a lure word or to nothing but digits
    ("kraken-login", "secure-ledger", "booking-103266"; not "visa-application", nor a handle "delta407"), or
    followed by the brand's own domain written out ("kraken.com.example.top", "kraken-com"), or as the
    whole name of a domain under an abused top-level domain ("kraken.top").
    """
    labels = host.split(".")
    for i, label in enumerate(labels):
        pieces = [p for p in re.split(r"[-0-9]+", label) if p]
        if word not in pieces:
            continue
        rest = ".".join(labels[i:])
        if any(rest.startswith(d + ".") or d.replace(".", "-") in label for d in brand.official_domains):
            return True
        others = [p for p in pieces if p != word]
        if label == word:
            if rest == registrable_domain and tld in kb.suspicious_tlds:
                return True
        elif any(p in kb.lure_words for p in others) or not others and _hyphen_joined(label, word):
            return True  # "booking-103266", "kraken-login", "ledger-live-update"
    return False


def _hyphen_joined(label: str, word: str) -> bool:
    """Is ``word`` set off from the rest of ``label`` by a hyphen ("booking-103266", the shape Booking.com's own
    warning shows)? Run together with digits it is a person's handle ("delta407", a list member's dynamic-DNS
    host in SpamAssassin easy ham dev), as user names are written, not a brand's name with a number."""
    return re.search(rf"(?:^|-){re.escape(word)}(?:-|$)", label) is not None


@functools.lru_cache(maxsize=4096)
def _imitated_brand_of(host: str, registrable_domain: str, tld: str, kb: "Knowledge") -> Brand | None:
    """The brand a host imitates (cached: the same hosts recur across a batch, and this walk over every
    brand's tokens costs more than the rest of the link rules).

    Both tests of a token need it inside the host's skeleton, so a token that is not is passed over with one
    ``in`` in the loop, not a call: a host that imitates no brand walked all 449 tokens through a call each
    (about 270k instructions, once per new host). Tested against the walk without it (tests/test_speed_paths.py)."""
    if kb.owner_of(host) is not None or kb.infrastructure_of(host) is not None:
        return None
    skeleton = host_skeleton(host)
    stem = registrable_domain.split(".")[0]
    for token, brand, ordinary in _brand_tokens(kb):
        if token not in skeleton:
            continue
        if ordinary:
            if not ordinary_word_in_host(skeleton, registrable_domain, tld, token, brand, kb):
                continue
        elif not _contains_token(skeleton, token):
            continue
        if brand.owns(host):
            continue
        if stem == token and tld not in kb.suspicious_tlds:
            continue  # the brand's own name under an ordinary TLD: a sister site (amazon.de, yahoo.com)
        return brand
    return None


def _lookalike_part(host: str, registrable_domain: str, tld: str, kb: "Knowledge") -> str:
    """Where a look-alike host carries the brand's name: "domain" (``amaz0n-co-jp.xyz``) or only
    "subdomain" (``amazon-co-jp.security-check.top``, whose real domain is ``security-check.top``)."""
    if host == registrable_domain or _imitated_brand_of(registrable_domain, registrable_domain, tld, kb):
        return "domain"
    return "subdomain"


# Patterns run on folded (already lower-cased) text, so they need no IGNORECASE (which makes re slower).
_PATTERN_FLAGS = 0


def _dotted(domains: frozenset[str]) -> tuple[str, ...]:
    """``domains`` each with a dot before it, for ``str.endswith`` (sorted: the same tuple in every process)."""
    return tuple(sorted("." + d for d in domains))


def _script(ch: str) -> str:
    """The group a gate word is scanned in by its first character: ascii, kana or other."""
    if ch.isascii():
        return "ascii"
    return "kana" if "\u3040" <= ch <= "\u30ff" else "other"


def host_suffixes(host: str) -> Iterator[str]:
    """``a.b.example.co.jp`` → itself, ``b.example.co.jp``, … down to ``co.jp`` (not the bare TLD)."""
    labels = host.split(".")
    return (".".join(labels[i:]) for i in range(len(labels) - 1))


def split_alternatives(pattern: str) -> list[tuple[str, bool]]:
    """``\\b(?:a|b(?:c|d))`` → ``[("a", True), ("b(?:c|d)", True)]``: top-level alternatives, with the
    leading word boundary lifted out. Any alternative of the result matches only what the whole did."""
    boundary = pattern.startswith("\\b")
    body = pattern[2:] if boundary else pattern
    if boundary and not (body.startswith("(?:") and _closing_paren(body, 0) == len(body) - 1):
        # ``\ba|b`` is ``(?:\ba)|(?:b)``: the boundary belongs to the first alternative only.
        boundary, body = False, pattern
    while body.startswith("(?:") and _closing_paren(body, 0) == len(body) - 1:
        body = body[3:-1]
    out = []
    for part in _top_level_split(body):
        own = part.startswith("\\b")
        out.append((part[2:] if own else part, boundary or own))
    return out


def _structure(text: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, bracket depth before it) for each character of a regex that is neither escaped
    nor inside a character class, the one walk both helpers below need."""
    depth, i, in_class = 0, 0, False
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            yield i, ch, depth
            depth += (ch == "(") - (ch == ")")
        i += 1


def _closing_paren(text: str, start: int) -> int:
    """Index of the ")" closing the "(" at ``start`` (-1 if none)."""
    for i, ch, depth in _structure(text):
        if i > start and ch == ")" and depth == 1:
            return i
    return -1


def _top_level_split(text: str) -> list[str]:
    cuts = [i for i, ch, depth in _structure(text) if ch == "|" and depth == 0]
    bounds = [-1, *cuts, len(text)]
    return [text[a + 1:b] for a, b in zip(bounds, bounds[1:])]


def trie_regex(words: list[str] | dict[str, object]) -> str:
    """A regex matching any of ``words``, factored by common prefixes; longer words are preferred."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = node.get("", False)
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return build(trie)


def _compile_rule(raw: dict[str, Any], weights: dict[str, int], denial: dict[str, str]) -> RuleSpec:
    text_keys = [k for k in raw if k.split("_")[0] in {"title", "message", "advice"}]
    unless_before, unless_after = raw.get("unless_before"), raw.get("unless_after")
    if raw.get("deniable"):  # rules.toml [denial]: a notice that says it never asks this
        unless_before = f"(?:{unless_before})|(?:{denial['before']})" if unless_before else denial["before"]
        unless_after = f"(?:{unless_after})|(?:{denial['after']})" if unless_after else denial["after"]
    return RuleSpec(
        id=raw["id"],
        slug=raw["slug"],
        kind=raw["kind"],
        category=raw["category"],
        weight=int(weights.get(raw["slug"], 0)),
        status=raw.get("status", "stable"),
        text={k: raw[k] for k in text_keys},
        pattern_texts=tuple(raw.get("patterns", [])),
        all_of=tuple(tuple(group.split("|")) for group in raw.get("all", [])),
        none_of=tuple(raw.get("none", [])),
        mail_opening=raw.get("mail_opening"),
        requires_no=tuple(raw.get("requires_no", [])),
        unless_before=unless_before,
        unless_after=unless_after,
        source=raw.get("source"),
        examples=raw.get("examples", {}),
        shows_official=bool(raw.get("shows_official", False)),
    )


@functools.cache
def load() -> Knowledge:
    """Read and validate every data file once."""
    weights_file = _read("weights.toml")
    weights = weights_file["weights"]
    domains = _read("domains.toml")
    rules_file = _read("rules.toml")
    plan = _read("phone_plan.toml")
    numbers = {
        _digits(n["number"]): KnownNumber(_digits(n["number"]), n["status"], n.get("brand", ""), n.get("note", ""),
                                          n.get("source", ""))
        for n in _read("phones.toml").get("number", [])
    }
    return Knowledge(
        brands=tuple(Brand.from_toml(b) for b in _read("brands.toml")["brand"]),
        numbers=numbers,
        phone_plan=tuple(
            PhonePrefix(p["prefix"], p["type"], tuple(p["lengths"]), p["label_ja"], p["label_en"])
            for p in sorted(plan["prefix"], key=lambda p: -len(p["prefix"]))
        ),
        suspicious_tlds=frozenset(t.lower().lstrip(".") for t in domains["suspicious_tlds"]["items"]),
        shorteners=frozenset(d.lower() for d in domains["shorteners"]["items"]),
        free_hosting=frozenset(d.lower() for d in domains["free_hosting"]["items"]),
        lure_words=frozenset(w.lower() for w in domains["lure_words"]["items"]),
        public_sector=frozenset(d.lower() for d in domains["public_sector"]["items"]),
        public_sector_prefixes=tuple(domains["public_sector"].get("prefixes", [])),
        public_sector_second_levels=frozenset(domains["public_sector"].get("second_levels", [])),
        academic=frozenset(d.lower() for d in domains["academic"]["items"]),
        file_extensions=frozenset(e.lower() for e in domains["file_extensions"]["items"]),
        domain_sources={k: v.get("source", "") for k, v in domains.items() if isinstance(v, dict)},
        rules=tuple(_compile_rule(r, weights, rules_file["denial"]) for r in rules_file["rule"]),
        thresholds={k: int(v) for k, v in weights_file["thresholds"].items()},
        discounts={k: float(v) for k, v in weights_file.get("discounts", {}).items()},
        advice=_read("advice.toml"),
        never_does=_read("never_does.toml"),
        data_version=_read("meta.toml")["data_version"],
        freemail=frozenset(d.lower() for d in _read("freemail.toml")["freemail"]["items"]),
        freemail_source=_read("freemail.toml")["freemail"]["source"],
        phrase_discounts={k: float(v) for k, v in weights_file.get("phrase_discounts", {}).items()},
        caps=_caps(weights_file),
        **_mail_senders(_read("mail_senders.toml")),
        **_mail_lures(_read("mail_lures.toml")),
    )


def _caps(weights_file: dict) -> dict[str, int]:
    """weights.toml [caps] as the highest score each capping rule allows: one below the named verdict's
    threshold (a name that is no threshold is an error here, not a cap that never holds)."""
    thresholds = weights_file["thresholds"]
    return {slug: int(thresholds[verdict]) - 1 for slug, verdict in weights_file.get("caps", {}).items()}


def _mail_lures(data: dict) -> dict[str, Any]:
    """mail_lures.toml's phrase patterns per language (lower case, unaccented) and the source of each."""
    lures = data["lures"]
    return {"mail_lures": tuple((code, v["language"], tuple(i.lower() for i in v["items"])) for code, v in lures.items()),
            "mail_lure_sources": {code: v["source"] for code, v in lures.items()}}


def _mail_senders(data: dict) -> dict[str, Any]:
    """mail_senders.toml's name lists (lower case) and the source of each."""
    return {"mail_system_names": tuple(n.lower() for n in data["mail_system_names"]["items"]),
            "organisation_names": tuple(n.lower() for n in data["organisation_names"]["items"]),
            "tenant_domains": frozenset(n.lower() for n in data["tenant_domains"]["items"]),
            "mail_sender_sources": {k: v["source"] for k, v in data.items()}}
