#!/usr/bin/env python3
"""Render real corpus messages as phone-like SMS screenshots (the OCR fixtures and benchmark images).

    python scripts/make_screenshots.py [--out DIR] [--scale 3] [--limit N]

Why rendered and not committed: about fifty PNGs at a phone's resolution are several megabytes that would
change with every corpus edit; rendering them takes a few seconds with the Chromium the tests already use.
The texts are real messages from tests/corpus/*.jsonl (each with its public source), chosen by the engine
itself: every message of at most MAX_CHARS characters that holds a link or a phone number, plus a few
English ones without, so that both languages are well represented.

Each image is a 360 CSS px wide messaging screen (scale 3 = 1080 px, like an Android or iPhone
screenshot): the message in an incoming SMS bubble, in the light or dark theme (alternating), set in Noto
Sans CJK JP. Long links wrap inside the bubble as messaging apps wrap them, so the reader must join them.
Writes DIR/<id>-<theme>.png and DIR/index.json ([{id, lang, label, theme, text, png}]).
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pysrc"))

MAX_CHARS = 400
EXTRA_PLAIN_EN = 5  # English messages without a link or number, so both languages are covered
WIDTH = 360

THEMES = {
    "light": {"bg": "#ffffff", "bubble": "#e9e9eb", "fg": "#000000", "meta": "#8e8e93"},
    "dark": {"bg": "#000000", "bubble": "#262628", "fg": "#ffffff", "meta": "#8e8e93"},
}

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>
html, body {{ margin: 0; background: {bg}; }}
body {{ width: {width}px; font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; }}
.bar {{ color: {meta}; font-size: 12px; text-align: center; padding: 14px 0 6px; }}
.row {{ padding: 4px 12px 18px; }}
.bubble {{ display: inline-block; max-width: 78%; background: {bubble}; color: {fg}; font-size: 16px;
  line-height: 1.35; padding: 8px 12px; border-radius: 18px; white-space: pre-wrap; overflow-wrap: anywhere; }}
</style></head><body><div class="bar">{when}</div><div class="row"><div class="bubble">{text}</div></div></body></html>"""


def corpus() -> list[dict]:
    """Every corpus message with its label (scam / legit)."""
    items = []
    for label in ("scam", "legit"):
        path = ROOT / "tests" / "corpus" / f"{label}.jsonl"
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                items.append({**json.loads(line), "label": label})
    return items


def select_messages(items: list[dict]) -> list[dict]:
    """SMS-length messages with a link or phone number (by the engine's own entities), plus a few English."""
    import mikiwame

    chosen, plain_en = [], []
    for item in items:
        if len(item["text"]) > MAX_CHARS:
            continue
        ents = mikiwame.check(item["text"]).to_dict()["entities"]
        if ents["urls"] or ents["phones"]:
            chosen.append(item)
        elif item["lang"] == "en":
            plain_en.append(item)
    return chosen + plain_en[:EXTRA_PLAIN_EN]


def time_line(item: dict) -> str:
    """The time shown above the bubble, as messaging apps show it."""
    return "今日 12:34" if item["lang"] == "ja" else "Today 12:34"


def visible_text(item: dict) -> str:
    """Everything the screen shows, in reading order: the reference for the character error rate."""
    return f"{time_line(item)}\n{item['text']}"


def page_html(item: dict, theme: str) -> str:
    """The messaging screen for one message (the text is escaped: it is data, never markup)."""
    when = time_line(item)
    return PAGE.format(lang=item["lang"], width=WIDTH, when=when, text=html.escape(item["text"]),
                       **THEMES[theme])


def launch(playwright):
    """Debian's Chromium with the e2e tests' flags (tests/e2e/conftest.py)."""
    spec = importlib.util.spec_from_file_location("mikiwame_e2e_conftest", ROOT / "tests/e2e/conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.launch_chromium(playwright)


def render(out: Path, scale: float = 3, limit: int | None = None, only: tuple[str, ...] = (),
           browser=None) -> list[dict]:
    """Write the screenshots and index.json into `out`; return the index. `only`: these corpus ids;
    `browser`: a Playwright browser already running (the tests'), else Chromium is started here."""
    items = select_messages(corpus())[:limit]
    if only:
        items = [i for i in items if i["id"] in only]
    if browser is not None:
        return shoot(browser, items, out, scale)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            return shoot(browser, items, out, scale)
        finally:
            browser.close()


def shoot(browser, items: list[dict], out: Path, scale: float) -> list[dict]:
    """One screenshot per message, themes alternating (the theme follows the message's place in the
    whole selection, so a subset looks the same as in the benchmark)."""
    out.mkdir(parents=True, exist_ok=True)
    order = {item["id"]: n for n, item in enumerate(select_messages(corpus()))}
    index = []
    context = browser.new_context(viewport={"width": WIDTH, "height": 200}, device_scale_factor=scale)
    try:
        page = context.new_page()
        for item in items:
            theme = "light" if order[item["id"]] % 2 == 0 else "dark"
            page.set_content(page_html(item, theme))
            png = out / f"{item['id']}-{theme}.png"
            page.screenshot(path=str(png), full_page=True)
            index.append({"id": item["id"], "lang": item["lang"], "label": item["label"], "theme": theme,
                          "text": item["text"], "png": png.name})
    finally:
        context.close()
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / ".cache" / "ocr-fixtures")
    parser.add_argument("--scale", type=float, default=3, help="device pixel ratio (3: 1080 px wide)")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    index = render(args.out, args.scale, args.limit)
    langs = {lang: sum(1 for i in index if i["lang"] == lang) for lang in ("ja", "en")}
    print(f"{len(index)} screenshots in {args.out} ({langs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
