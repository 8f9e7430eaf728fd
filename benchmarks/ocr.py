#!/usr/bin/env python3
"""Reading screenshots offline: how close is the text read from an image to the typed message?

    python benchmarks/ocr.py [--variants jpn+eng@1280/linkpass=0,jpn+eng@1280] [--limit N] [--only IDS]
                             [--scale 3] [--no-build] [--show-misses]

Renders the fixtures (scripts/make_screenshots.py: real corpus messages as 360 px SMS screenshots, light
and dark, at a phone's 3x scale), builds and serves dist/, and reads every image in headless Chromium
through the page's own module (web/ocr.js: tesseract.js in its worker, then ocr-text.js). For each variant
(languages @ largest width the image is scaled to) it prints:

* CER: character error rate (Levenshtein distance / reference length) against what the screen shows (the
  time line and the message), whitespace runs counted as one space;
* links / numbers: share of the typed message's links (exact text) and phone numbers (exact digits) that
  the engine finds in the read text;
* verdict: share of images whose read text gets the same verdict as the typed message;
* time per image, median and 90th percentile (the first image, which also loads the models, apart).

Beside each variant, the same figures for Tesseract's raw text without ocr-text.js (no wrapped lines
joined, no Japanese spacing tidied) measured in the same run: the baseline. Verdicts and entities come
from the CPython engine (the page's engine gives the same reports: tests/test_parity.py).

The default compares the reader without and with the second reading of links (ocr-links.js; `linkpass=0`
turns it off, `linkpass=H` reads links at H px line height): variants with the same languages take turns
image by image, so the machine's load falls on both alike, and a closing table puts them side by side.
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This folder holds email.py, which must not shadow the standard library's email package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT / "pysrc"))
sys.path.insert(0, str(ROOT / "scripts"))

import mikiwame  # noqa: E402
import make_screenshots  # noqa: E402

READ_JS = """async ({ b64, langs, maxWidth, params, simd, linkPass }) => {
  const ocr = await import("./ocr.js");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const r = await ocr.readImage(new Blob([bytes], { type: "image/png" }), { langs, maxWidth, params, simd, linkPass });
  return { text: r.text, raw: r.raw, ms: r.ms, reread: r.reread.map((x) => [x.first, x.text, x.candidate.confidence, x.second.text, x.second.confidence]) };
}"""


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions), two rows at a time."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def squash(text: str) -> str:
    """Whitespace runs as one space: a line end read as a space (or the reverse) is not an error."""
    return " ".join(text.split())


def entities(text: str) -> set[tuple[str, str]]:
    """The links (exact text) and phone numbers (digits) the engine finds. Links that the corpus itself
    masks ("https://t.co/*****", "http://○○.com", "paths●●●●.com", "bit.ly/〜〜") count apart: they have no
    destination to recover (● is the filled ○, 〜/～ the wide form of a trailing ~)."""
    ents = mikiwame.check(text).to_dict()["entities"]
    urls = {("masked" if u["masked"] or re.search(r"[○〇●*…]|\.{3}|/[~〜～]+$", u["text"]) else "url", u["text"])
            for u in ents["urls"]}
    return urls | {("phone", p["number"]) for p in ents["phones"]}


def verdict(text: str) -> str:
    return mikiwame.check(text).verdict


def score(items: list[dict], key: str) -> dict:
    """CER, entity recall per kind, verdict agreement for the texts under `key`."""
    edits = length = 0
    found = {"url": [0, 0], "phone": [0, 0], "masked": [0, 0]}
    same = 0
    for item in items:
        ref = squash(item["screen"])
        edits += levenshtein(ref, squash(item[key]))
        length += len(ref)
        got = entities(item[key])
        got |= {("masked", v) for k, v in got if k == "url"}  # a masked link read as an ordinary one
        for kind, value in entities(item["text"]):
            found[kind][1] += 1
            found[kind][0] += (kind, value) in got
        same += verdict(item[key]) == verdict(item["text"])
    return {
        "cer": edits / max(1, length),
        "url": found["url"],
        "phone": found["phone"],
        "masked": found["masked"],
        "verdict": (same, len(items)),
    }


def parse_variant(variant: str) -> tuple[str, int, dict]:
    """"jpn+eng@1280/param=value/..." -> (languages, largest width, parameters)."""
    spec, *pairs = variant.split("/")
    langs, _, width = spec.partition("@")
    return langs, int(width or 1280), dict(pair.split("=", 1) for pair in pairs)


def read_one(page, b64: str, variant: str) -> dict:
    """Read one image with one variant (the worker restarts when the languages change)."""
    langs, max_width, params = parse_variant(variant)
    tess = {k: v for k, v in params.items() if k not in ("simd", "linkpass")}
    args = {"b64": b64, "langs": langs, "maxWidth": max_width, "params": tess, "simd": params.get("simd", "1") != "0"}
    if "linkpass" in params:
        args["linkPass"] = int(params["linkpass"])
    return page.evaluate(READ_JS, args)


def read_all(page, items: list[dict], folder: Path, variants: list[str]) -> dict[str, list[dict]]:
    """Read every image with every variant: variants of the same languages take turns image by image, so
    that the machine's changing load falls on each of them alike; other languages run apart (their worker
    would restart at every turn)."""
    out: dict[str, list[dict]] = {v: [] for v in variants}
    by_langs: dict[str, list[str]] = {}
    for v in variants:
        by_langs.setdefault(parse_variant(v)[0], []).append(v)
    for group in by_langs.values():
        for item in items:
            b64 = base64.b64encode((folder / item["png"]).read_bytes()).decode()
            for variant in group:
                got = read_one(page, b64, variant)
                out[variant].append({**item, "read": got["text"], "raw": got["raw"], "ms": got["ms"],
                                     "reread": got["reread"]})
    return out


def fmt_share(pair) -> str:
    hit, total = pair
    return f"{hit}/{total} ({100 * hit / max(1, total):.0f} %)"


def report(name: str, results: list[dict]) -> dict:
    """Print one variant's figures beside Tesseract's raw text; return them for the closing comparison."""
    times = [r["ms"] for r in results[1:]] or [results[0]["ms"]]
    ours, raw = score(results, "read"), score(results, "raw")
    q = statistics.quantiles(times, n=10)[-1] if len(times) >= 2 else times[0]
    second = [x for r in results for x in r.get("reread", [])]
    changed = [x[:2] for x in second if x[0] != x[1]]
    print(f"\n== {name}: {len(results)} images; first (with model load) {results[0]['ms']:.0f} ms; "
          f"then median {statistics.median(times):.0f} ms, p90 {q:.0f} ms")
    print(f"{'':24}{'ocr-text.js':>22}{'raw Tesseract text':>22}")
    print(f"{'CER':24}{100 * ours['cer']:>21.2f}%{100 * raw['cer']:>21.2f}%")
    for label, key in (("links exact", "url"), ("phone numbers exact", "phone"),
                       ("masked links exact", "masked"), ("verdict equal", "verdict")):
        print(f"{label:24}{fmt_share(ours[key]):>22}{fmt_share(raw[key]):>22}")
    ents = [sum(x) for x in zip(ours["url"], ours["phone"])]
    print(f"{'links + numbers exact':24}{fmt_share(ents):>22}")
    print(f"{'words read again':24}{len(second):>22}")
    print(f"{'... and changed':24}{len(changed):>22}  " + ", ".join(f"{a} -> {b}" for a, b in changed[:12]))
    return {"name": name, **ours, "ents": ents, "median": statistics.median(times), "p90": q,
            "first": results[0]["ms"], "changed": len(changed)}


def compare(rows: list[dict]) -> None:
    """All variants of this run side by side (the first is the baseline when it is the current approach)."""
    print("\n== variants measured in this run")
    print(f"{'variant':40}{'CER':>8}{'links':>9}{'numbers':>9}{'links+numbers':>16}{'verdict':>10}{'median':>9}{'p90':>9}")
    for r in rows:
        print(f"{r['name'][:40]:40}{100 * r['cer']:>7.2f}%{'%d/%d' % tuple(r['url']):>9}"
              f"{'%d/%d' % tuple(r['phone']):>9}{fmt_share(r['ents']):>16}{'%d/%d' % tuple(r['verdict']):>10}"
              f"{r['median']:>7.0f}ms{r['p90']:>7.0f}ms")


def misses(results: list[dict], limit: int = 8) -> None:
    """The images read worst and those whose verdict changed, to see what went wrong."""
    worst = sorted(results, key=lambda r: -levenshtein(squash(r["screen"]), squash(r["read"])))[:limit]
    worst += [r for r in results if r not in worst and verdict(r["text"]) != verdict(r["read"])]
    for r in results:
        for first, kept, c1, second, c2 in r.get("reread", []):
            print(f"   2nd read {r['id']}: {first} ({c1:.0f}) / {second} ({c2:.0f}) -> {kept}")
    for r in results:
        lost = {e for e in entities(r["text"]) if e[0] != "masked"} - entities(r["read"])
        if lost:
            print(f"-- {r['id']}: not recovered {sorted(lost)}; read {sorted(entities(r['read']))}")
    for r in worst:
        print(f"-- {r['id']} ({r['theme']}, {r['ms']:.0f} ms) "
              f"{levenshtein(squash(r['screen']), squash(r['read']))} edits, verdict "
              f"{verdict(r['text'])} -> {verdict(r['read'])}\n"
              f"   typed: {squash(r['text'])[:160]}\n   read:  {squash(r['read'])[:160]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", default="jpn+eng@1280/linkpass=0,jpn+eng@1280",
                        help="comma-separated LANGS@MAXWIDTH[/tesseract_param=value...][/simd=0][/linkpass=0|H] "
                             "(linkpass=0: no second reading of links, as before; H: read them at H px line "
                             "height; default: web/ocr-links.js READ_LINE_HEIGHT)")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--scale", type=float, default=3)
    parser.add_argument("--only", default="", help="comma-separated corpus ids (a quick look at a few)")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)

    build = load("mikiwame_build", ROOT / "build.py")
    conftest = load("mikiwame_e2e_conftest", ROOT / "tests/e2e/conftest.py")
    dist = ROOT / "dist"
    if not args.no_build:
        build.build(dist)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        items = make_screenshots.render(folder, args.scale, args.limit, tuple(args.only.split(",")) if args.only else ())
        for item in items:
            item["screen"] = make_screenshots.visible_text(item)
        server, url = build.serve(dist, 0)
        try:
            with sync_playwright() as p:
                browser = conftest.launch_chromium(p)
                page = browser.new_page()
                page.goto(url)
                page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=120_000)
                langs_count = {lang: sum(1 for i in items if i["lang"] == lang) for lang in ("ja", "en")}
                print(f"{len(items)} screenshots ({langs_count}), 360 px at {args.scale:g}x; Chromium "
                      f"headless on this machine")
                rows = []
                for variant, results in read_all(page, items, folder, args.variants.split(",")).items():
                    rows.append(report(variant, results))
                    if args.show_misses:
                        misses(results)
                compare(rows)
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
