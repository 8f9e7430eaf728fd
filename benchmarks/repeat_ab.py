#!/usr/bin/env python3
"""Interleaved A/B of repeat visits of two or more built sites in headless Debian Chromium (prints medians).

    .venv/bin/python benchmarks/repeat_ab.py --rounds 10 DIST_A DIST_B [DIST_C …] [--phases]

For comparing builds (main's dist/ against a branch's, say) in the same minutes, where the machine's load
changes faster than a whole benchmarks/startup.py run: each round visits every site once, in turn, as
benchmarks/startup.py does its repeat visits: a fresh context, a first visit, its service worker ready, then
the first return visit in a new tab beside the first one (the first visit's tab left on about:blank), then
that tab again (same tab). Each site is served by build.py's server as startup.py serves it. Prints, per
site, the median ready time of both and the median CPU time of Chromium's processes for the new tab (read
from /proc, which a busy machine disturbs less than wall time), and with --phases the moments of the new-tab
visits (web/phases.js).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This folder holds email.py, which must not shadow the standard library's email package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]


def load_startup():
    """benchmarks/startup.py as a module (its servers, visits and phase tables are reused)."""
    spec = importlib.util.spec_from_file_location("mikiwame_startup", ROOT / "benchmarks" / "startup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def serving(su, build, dirs: list[Path], counter_for):
    """Each of `dirs` served by `build`'s server as startup.py serves a site (its bytes counted by
    `counter_for(dir)`) and a Chromium launched: yields their URLs, the browser and the load averages (before;
    after is appended on the way out). Shared by this A/B and benchmarks/first_ab.py; the servers and the
    browser are closed however the rounds end."""
    from playwright.sync_api import sync_playwright

    servers = [su.counting_server(build, d, counter_for(d)) for d in dirs]
    loads = [os.getloadavg()]
    try:
        with sync_playwright() as p:
            browser = su.load_conftest().launch_chromium(p)
            try:
                yield [url for _, url in servers], browser, loads
            finally:
                loads.append(os.getloadavg())
                browser.close()
    finally:
        for server, _ in servers:
            server.shutdown()


def check_dists(parser: argparse.ArgumentParser, dists: list[Path]) -> None:
    """Stops with a usage error unless every one of `dists` is a built site."""
    missing = [d for d in dists if not (d / "index.html").is_file()]
    if missing:
        parser.error(f"not a built site: {missing}")


def visit_round(su, browser, url: str, out: dict) -> None:
    """One first visit and its two repeat visits (new tab, same tab) of `url`; appends to out's lists."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        su.ready_ms(page)
        page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=600_000)
        page.goto("about:blank")
        su.repeat_visit(out, "repeat", lambda: (context.new_page(), True), url, "none", 1.0)
        tab = context.pages[-1]
        tab.goto("about:blank")
        su.repeat_visit(out, "repeat_tab", lambda: (tab, False), url, "none", 1.0)
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dists", type=Path, nargs="+", help="built sites (dist/ directories)")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--phases", action="store_true", help="print the new-tab visits' moments")
    args = parser.parse_args()
    check_dists(parser, args.dists)

    su = load_startup()
    results: dict[Path, dict] = {d: {} for d in args.dists}
    with serving(su, su.load_build(), args.dists, lambda _: su.ByteCounter()) as (urls, browser, loads):
        for _ in range(args.rounds):
            for d, url in zip(args.dists, urls):
                visit_round(su, browser, url, results[d])

    med = statistics.median
    print(f"\n{args.rounds} rounds; load average {loads[0][0]:.1f} before, {loads[1][0]:.1f} after")
    for d, out in results.items():
        cpu = med(c["all"] for c in out["cpu_repeat"])
        print(f"{d}: new tab {med(out['repeat']):,.0f} ms (CPU {cpu:,.0f} ms), same tab "
              f"{med(out['repeat_tab']):,.0f} ms; new tab runs {[round(x) for x in out['repeat']]}")
    if args.phases:
        for d, out in results.items():
            su.print_phases(f"{d}, new tab", out["phases_repeat"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
