#!/usr/bin/env python3
"""Startup and check-latency benchmark of the built site in headless Debian Chromium (prints a table).

    .venv/bin/python benchmarks/startup.py [--runs 7] [--checks 200] [--no-build] [--dist DIR]

Measured against dist/ served on 127.0.0.1, beside a baseline measured in the same run: a plain
`loadPyodide()` of the same Pyodide in a module worker, with the stock stdlib zip (.py only, compiled at
every load) and no packages, served from a temporary directory.

* ready, cold   – new browser context for each run (empty HTTP cache, no service worker): time from
                  navigation start to performance.mark("mikiwame-engine-ready"), median over the runs.
* ready, warm   – the same context reloaded (HTTP cache, and for the app its service worker), median.
* bytes         – response bodies the server started sending for the first visit before the engine was
                  ready, and in total a few seconds later (the service worker's precache included).
* check latency – p50/p95 of post → result in the page, over corpus messages sent one at a time to a
                  second engine worker started in the ready page.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READY_MARK = "mikiwame-engine-ready"
SETTLE_S = 4.0

BASELINE_HTML = """<!doctype html>
<html data-engine="loading"><head><meta charset="utf-8"><title>baseline</title>
<script type="module" src="./baseline.js"></script></head><body>plain loadPyodide</body></html>
"""
BASELINE_JS = """const w = new Worker("./baseline-worker.js", { type: "module" });
w.onmessage = (e) => {
  if (e.data === "ready") {
    performance.mark("mikiwame-engine-ready");
    document.documentElement.dataset.engine = "ready";
  }
};
"""
BASELINE_WORKER = """import { loadPyodide } from "./pyodide/pyodide.mjs";
const py = await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });
py.runPython("import json");
postMessage("ready");
"""

# Runs in the page: a second engine worker, checks posted one at a time, post → result in ms.
CHECK_LATENCY_JS = """async (cases) => {
  const w = new Worker("./engine-worker.js", { type: "module" });
  const waitFor = (pred) => new Promise((resolve, reject) => {
    w.addEventListener("message", function on(e) {
      if (e.data.type === "fatal") reject(new Error(e.data.message));
      if (pred(e.data)) { w.removeEventListener("message", on); resolve(e.data); }
    });
  });
  await waitFor((m) => m.type === "ready");
  const times = [];
  let errors = 0;
  for (let i = 0; i < cases.length; i++) {
    const t0 = performance.now();
    const done = waitFor((m) => m.id === i && (m.type === "result" || m.type === "error"));
    w.postMessage({ type: "check", id: i, text: cases[i][0], lang: cases[i][1] });
    const m = await done;
    times.push(performance.now() - t0);
    if (m.type === "error") errors++;
  }
  w.terminate();
  return { times, errors };
}"""


def load_build():
    spec = importlib.util.spec_from_file_location("mikiwame_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_conftest():
    spec = importlib.util.spec_from_file_location("mikiwame_e2e_conftest", ROOT / "tests/e2e/conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ByteCounter:
    """Response body sizes with the (epoch) time each response started, so that a run can count only what
    was sent before the engine was ready (the service worker's precache starts right after)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent: list[tuple[float, int]] = []

    def add(self, n: int) -> None:
        with self.lock:
            self.sent.append((time.time(), n))

    def reset(self) -> list[tuple[float, int]]:
        with self.lock:
            sent, self.sent = self.sent, []
            return sent


def counting_server(build, directory: Path, counter: ByteCounter):
    """build.Server on a free port that adds every response body's Content-Length to `counter`."""

    class Handler(build.Handler):
        def send_header(self, keyword, value):
            if keyword.lower() == "content-length":
                counter.add(int(value))
            super().send_header(keyword, value)

    server = build.Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def ready_epoch(page) -> float:
    """When the ready mark was set, in seconds since the epoch (the server's clock is the same machine's)."""
    return page.evaluate(
        "(name) => (performance.timeOrigin + performance.getEntriesByName(name)[0].startTime) / 1000",
        READY_MARK,
    )


def ready_ms(page) -> float:
    page.locator("html[data-engine=ready], html[data-engine=error]").wait_for(state="attached", timeout=120_000)
    if page.locator("html[data-engine=error]").count():
        raise RuntimeError(f"engine failed to load: {page.locator('body').inner_text()[:300]}")
    return page.evaluate(
        "(name) => { const m = performance.getEntriesByName(name); return m.length ? m[0].startTime : null; }",
        READY_MARK,
    )


def measure_once(browser, url: str, counter: ByteCounter, out: dict) -> None:
    """One cold load in a new context, then one warm reload of it; appends to the lists in `out`."""
    context = browser.new_context()
    page = context.new_page()
    counter.reset()
    page.goto(url)
    out.setdefault("cold", []).append(ready_ms(page))
    ready_at = ready_epoch(page)
    time.sleep(SETTLE_S)
    sent = counter.reset()
    out.setdefault("bytes_ready", []).append(sum(n for at, n in sent if at <= ready_at))
    out.setdefault("bytes_total", []).append(sum(n for _, n in sent))
    page.reload()
    out.setdefault("warm", []).append(ready_ms(page))
    context.close()


def check_cases(n: int) -> list[list[str]]:
    texts = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    if not texts:
        texts = ["x"]
    cases = []
    while len(cases) < n:
        for text in texts:
            for lang in ("ja", "en"):
                cases.append([text, lang])
    return cases[:n]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    build = load_build()
    if not args.no_build:
        build.build(args.dist)
    from playwright.sync_api import sync_playwright

    counter = ByteCounter()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        base = Path(tmp)
        (base / "pyodide").mkdir()
        stock = build.pyodide_dir()
        for name in (*build.PYODIDE_RUNTIME_FILES, build.PYODIDE_STDLIB, "pyodide-lock.json"):
            shutil.copyfile(stock / name, base / "pyodide" / name)
        (base / "index.html").write_text(BASELINE_HTML)
        (base / "baseline.js").write_text(BASELINE_JS)
        (base / "baseline-worker.js").write_text(BASELINE_WORKER)

        site_server, site_url = counting_server(build, args.dist, counter)
        base_server, base_url = counting_server(build, base, counter)
        browser = load_conftest().launch_chromium(p)
        try:
            # One throwaway load each, so that disk caches of the OS do not favour the second one.
            for url in (base_url, site_url):
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(url)
                ready_ms(page)
                ctx.close()
            # Interleaved, so that a busy machine slows both alike.
            site, baseline = {}, {}
            for _ in range(args.runs):
                measure_once(browser, site_url, counter, site)
                measure_once(browser, base_url, counter, baseline)
            ctx = browser.new_context()
            page = ctx.new_page()
            page.goto(site_url)
            ready_ms(page)
            latency = page.evaluate(CHECK_LATENCY_JS, check_cases(args.checks))
            ctx.close()
        finally:
            browser.close()
            site_server.shutdown()
            base_server.shutdown()

    med = statistics.median
    rows = [
        ("engine ready, cold (ms, median)", f"{med(site['cold']):.0f}", f"{med(baseline['cold']):.0f}"),
        ("engine ready, warm (ms, median)", f"{med(site['warm']):.0f}", f"{med(baseline['warm']):.0f}"),
        ("bytes until ready, first visit", f"{med(site['bytes_ready']):,.0f}",
         f"{med(baseline['bytes_ready']):,.0f}"),
        (f"bytes after {SETTLE_S:.0f} s, first visit", f"{med(site['bytes_total']):,.0f}",
         f"{med(baseline['bytes_total']):,.0f}"),
        ("check p50 (ms)", f"{percentile(latency['times'], 0.5):.1f}", "-"),
        ("check p95 (ms)", f"{percentile(latency['times'], 0.95):.1f}", "-"),
        ("check max (ms)", f"{max(latency['times']):.1f}", "-"),
    ]
    print(f"\nmikiwame startup benchmark: {args.runs} runs, {len(latency['times'])} checks "
          f"({latency['errors']} errors), headless Chromium, 127.0.0.1")
    w0 = max(len(r[0]) for r in rows)
    print(f"{'':<{w0}}  {'mikiwame':>12}  {'plain loadPyodide':>18}")
    for name, a, b in rows:
        print(f"{name:<{w0}}  {a:>12}  {b:>18}")
    print("\ncold runs (ms): mikiwame", [round(x) for x in site["cold"]],
          "baseline", [round(x) for x in baseline["cold"]])
    print("warm runs (ms): mikiwame", [round(x) for x in site["warm"]],
          "baseline", [round(x) for x in baseline["warm"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
