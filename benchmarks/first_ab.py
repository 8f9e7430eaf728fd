#!/usr/bin/env python3
"""Interleaved A/B of first visits of two or more built sites in headless Debian Chromium (prints medians).

    .venv/bin/python benchmarks/first_ab.py --rounds 5 --network fast4g --cpu 2 DIST_A DIST_B [--phases]

For comparing builds (main's dist/ against a branch's) in the same minutes, as benchmarks/repeat_ab.py does
for repeat visits: each round makes one first visit of every site in turn, and of plain `loadPyodide`
(benchmarks/startup.py's baseline), each in a new browser context, throttled as startup.py throttles
(--network, --cpu). Prints, per site, the median time to ready and its ratio to plain `loadPyodide`, the
bytes until ready, and how long the first check took: a check pressed while the engine loads (a dev-split
Japanese scam message of the corpus with a link, typed into the page and the button pressed at once) is
posted by the page at "ready", and its time from that post to the result (the page's "mikiwame-check"
measure) is what a person who pressed the button at "ready" waits. Work moved from before "ready" to after
it would show there.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This folder holds email.py, which must not shadow the standard library's email package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT / "tests"))

from script_loader import load_script  # noqa: E402 - tests/ is put on the path just above

FIRST_CHECK_JS = """() => {
  const m = performance.getEntriesByName("mikiwame-check");
  return m.length ? m[0].duration : null;
}"""


def first_check_text() -> str:
    """The message of the first check: the dev-split Japanese scam message with a link that comes first by id
    (dev only: held-out texts are never read)."""
    import corpus_data

    rows = [r for r in corpus_data.load("scam.jsonl")
            if r["split"] == "dev" and r["lang"] == "ja" and "http" in r["text"]]
    return min(rows, key=lambda r: r["id"])["text"]


def first_visit(su, browser, url: str, counter, out: dict, args, text: str | None) -> None:
    """One first visit of `url` in a new context; with `text`, a check pressed while it loads."""
    context = browser.new_context()
    try:
        page = context.new_page()
        su.throttle(context, page, args.network, args.cpu)
        counter.reset()
        page.goto(url)
        if text is not None:
            page.fill("#message", text)
            page.click("#check-btn")
        out.setdefault("first", []).append(su.ready_ms(page))
        ready_at = su.ready_epoch(page)
        out.setdefault("bytes_ready", []).append(sum(n for at, n in counter.reset() if at <= ready_at))
        if text is not None:
            page.wait_for_function(FIRST_CHECK_JS, timeout=120_000)
            out.setdefault("check", []).append(page.evaluate(FIRST_CHECK_JS))
            detail = page.evaluate("(n) => performance.getEntriesByName(n)[0].detail || null", su.READY_MARK)
            out.setdefault("phases", []).append(su.page_phases(page, detail))
    finally:
        context.close()


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dists", type=Path, nargs="+", help="built sites (dist/ directories)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--network", choices=("fast4g", "none", "slow4g"), default="fast4g")
    parser.add_argument("--cpu", type=float, default=2.0)
    parser.add_argument("--phases", action="store_true", help="print each site's first-visit moments")
    args = parser.parse_args()
    # benchmarks/repeat_ab.py as a module: its check of the sites and its servers and browser
    ab = load_script("benchmarks/repeat_ab.py", "mikiwame_repeat_ab")
    ab.check_dists(parser, args.dists)
    su = ab.load_startup()
    text = first_check_text()

    results: dict[str, dict] = {str(d): {} for d in args.dists}
    baseline: dict = {}
    counter = su.ByteCounter()  # one for all: a visit reads it from its own reset
    with tempfile.TemporaryDirectory() as tmp:
        build = su.load_build()
        su.baseline_site(build, Path(tmp))
        with ab.serving(su, build, [*args.dists, Path(tmp)], lambda _: counter) as (urls, browser, loads):
            *site_urls, base_url = urls
            for _ in range(args.rounds):
                for d, url in zip(args.dists, site_urls):
                    first_visit(su, browser, url, counter, results[str(d)], args, text)
                first_visit(su, browser, base_url, counter, baseline, args, None)

    med = statistics.median
    print(f"\n{args.rounds} rounds, network {args.network}, CPU {args.cpu:g}x; load average "
          f"{loads[0][0]:.1f} before, {loads[1][0]:.1f} after")
    print(f"plain loadPyodide: ready {spread(baseline['first'])} ms, {med(baseline['bytes_ready']) / 1e6:.2f} MB")
    for d, out in results.items():
        print(f"{d}: ready {spread(out['first'])} ms = {med(out['first']) / med(baseline['first']):.2f}x plain, "
              f"{med(out['bytes_ready']) / 1e6:.2f} MB until ready; first check at ready {spread(out['check'])} ms")
        print(f"  ratios per round: {[round(a / b, 2) for a, b in zip(out['first'], baseline['first'])]}")
    if args.phases:
        for d, out in results.items():
            su.print_phases(f"{d}, first visit", out["phases"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
