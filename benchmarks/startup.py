#!/usr/bin/env python3
"""Startup and check-latency benchmark of the built site in headless Debian Chromium (prints a table).

    .venv/bin/python benchmarks/startup.py [--network none|fast4g|slow4g] [--cpu N] [--runs 7]
                                           [--checks 200] [--no-build] [--dist DIR]

Measured against dist/ served on 127.0.0.1 by build.py's server (the .br/.gz copies by Accept-Encoding, as
a static host serves them), beside a baseline measured in the same run: a plain `loadPyodide()` of the
same Pyodide in a module worker, with the stock stdlib zip (.py only, compiled at every load) and no
packages, served from a temporary directory by the same server with copies made the same way.

--network throttles with the DevTools protocol (Network.emulateNetworkConditions): fast4g = 9 Mbps down,
1.5 Mbps up, 150 ms RTT; slow4g = 1.6 Mbps down, 0.75 Mbps up, 300 ms RTT. --cpu N slows the CPU N times
(Emulation.setCPUThrottlingRate). Both apply to every visit of a run.

* first visit   – new browser context for each run (empty HTTP cache, no service worker): time from
                  navigation start to performance.mark("mikiwame-engine-ready"), median over the runs.
* repeat visit  – the same context visited again once its service worker controls it (the baseline: its
                  HTTP cache), median; three ways, in this order:
                  - new tab: a tab opened beside the first visit's tab (left open on about:blank), in the
                    same window, as a person opens a new tab in a browser that is running;
                  - same tab: that tab navigated to about:blank and back;
                  - new tab in a new window: every tab closed first (so their window too), then a new tab,
                    which headless Chromium opens in a window of its own. This was the benchmark's "new
                    tab" until 2026-11-30. Chromium 156 preloads the omnibox suggestion popup of every new
                    window as a WebUI page (chrome://omnibox-popup.top-chrome/, features WebUIOmniboxPopup
                    and WebUIOmniboxAimPopup), in a renderer of its own (--top-chrome-webui) that costs
                    ~0.5 s of CPU during the load (browser process ~0.15 s more), which on this 2-core
                    machine slows whatever loads beside it. A new tab in an open window, or the same tab,
                    costs ~10 ms of it. (--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup removes
                    it from a new window too, but that is no longer the browser people run, so it is not
                    used here.)
                  For each, the CPU time of this benchmark's own Chromium processes (descendants of this
                  process, read from /proc) from just before the tab opened (or navigated) to ready, with the
                  part of the WebUI renderers: it shows that both pages are measured the same way.
* phases        – the moments of the engine's load (web/phases.js: service-worker cache reads, Wasm
                  compile, snapshot read and restore, Python's bootstrap, the first check), median ms since
                  navigation start, printed for the repeat visits (and the first, with --phases-first).
* bytes         – counted by the server: bodies of the responses to requests that arrived before the
                  engine was ready, and in total until the service worker took over (its precache and
                  the start-up snapshot included).
* check latency – p50/p95 of post → result in the page, over corpus messages sent one at a time to a
                  second engine worker started in the ready page (unthrottled).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
# This folder holds email.py, which must not shadow the standard library's email package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
READY_MARK = "mikiwame-engine-ready"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SETTLE_S = 4.0
# Network.emulateNetworkConditions: throughput in bytes per second, latency (RTT) in ms.
NETWORKS = {
    "none": None,
    "fast4g": {"downloadThroughput": 9e6 / 8, "uploadThroughput": 1.5e6 / 8, "latency": 150},
    "slow4g": {"downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8, "latency": 300},
}

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
    """Bytes of response bodies as the server writes them, with the (epoch) time each request arrived, so
    that a run can count only what the first visit asked for before the engine was ready."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent: list[list] = []  # [arrival time, bytes written so far]

    def start(self) -> list:
        record = [time.time(), 0]
        with self.lock:
            self.sent.append(record)
        return record

    def reset(self) -> list[list]:
        with self.lock:
            sent, self.sent = self.sent, []
            return sent


def counting_server(build, directory: Path, counter: ByteCounter):
    """build.Server on a free port serving like `build.py serve`, counting every body byte it writes."""

    class Handler(build.Handler):
        def send_head(self):
            self.record = counter.start()
            return super().send_head()

        def copyfile(self, source, outputfile):
            while chunk := source.read(64 * 1024):
                outputfile.write(chunk)
                self.record[1] += len(chunk)

    server = build.Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def throttle(context, page, network: str, cpu: float) -> None:
    """DevTools throttling of the page and its workers (network conditions apply to the page's target,
    whose dedicated workers' requests they cover; the CPU rate to its renderer)."""
    cdp = context.new_cdp_session(page)
    conditions = NETWORKS[network]
    if conditions:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **conditions})
    if cpu != 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})


def ready_epoch(page) -> float:
    """When the ready mark was set, in seconds since the epoch (the server's clock is the same machine's)."""
    return page.evaluate(
        "(name) => (performance.timeOrigin + performance.getEntriesByName(name)[0].startTime) / 1000",
        READY_MARK,
    )


def ready_ms(page, timeout_ms: float = 600_000) -> float:
    page.locator("html[data-engine=ready], html[data-engine=error]").wait_for(state="attached", timeout=timeout_ms)
    if page.locator("html[data-engine=error]").count():
        raise RuntimeError(f"engine failed to load: {page.locator('body').inner_text()[:300]}")
    return page.evaluate(
        "(name) => { const m = performance.getEntriesByName(name); return m.length ? m[0].startTime : null; }",
        READY_MARK,
    )


def measure_once(browser, url: str, counter: ByteCounter, out: dict, network: str, cpu: float,
                 app: bool) -> None:
    """A first visit in a new context, then a repeat visit in it; appends to the lists in `out`."""
    context = browser.new_context()
    page = context.new_page()
    throttle(context, page, network, cpu)
    counter.reset()
    page.goto(url)
    out.setdefault("first", []).append(ready_ms(page))
    ready_at = ready_epoch(page)
    if app:
        # The next visit is served by the service worker once it controls the page (its precache, the
        # start-up snapshot included, is complete by then).
        page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=600_000)
    else:
        time.sleep(SETTLE_S)
    sent = counter.reset()
    out.setdefault("bytes_ready", []).append(sum(n for at, n in sent if at <= ready_at))
    out.setdefault("bytes_total", []).append(sum(n for _, n in sent))
    detail = page.evaluate("(name) => performance.getEntriesByName(name)[0].detail || null", READY_MARK)
    out.setdefault("boot_first", []).append((detail or {}).get("boot", "-"))
    out.setdefault("phases_first", []).append(page_phases(page, detail))
    # The first visit's tab stays open (on about:blank, so that its engine is gone), as a person's browser
    # window does: the new tab opens beside it, in the same window.
    page.goto("about:blank")
    repeat_visit(out, "repeat", lambda: (context.new_page(), True), url, network, cpu)
    # That tab, navigated to about:blank and back.
    tab = context.pages[-1]
    tab.goto("about:blank")
    repeat_visit(out, "repeat_tab", lambda: (tab, False), url, network, cpu)
    # Every tab closed (so their window too), then a new tab: headless Chromium opens it in a new window
    # (the module docstring says what that costs; this was the benchmark's "new tab" until 2026-11-30).
    for open_page in context.pages:
        open_page.close()
    repeat_visit(out, "repeat_window", lambda: (context.new_page(), True), url, network, cpu)
    counter.reset()
    context.close()


def chromium_cpu() -> dict[int, tuple[str, float]]:
    """{pid: (kind, CPU ms)} of this benchmark's own Chromium processes (descendants of this process, so
    not another job's browser), read from /proc; {} where there is no /proc. The kind is the process's
    --type (a renderer of the browser's own WebUI, such as the omnibox popup, is "webui")."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS)
        except (OSError, ValueError, IndexError):
            continue
    mine, out = {os.getpid()}, {}
    for pid in sorted(stats):  # parents are older, so they come first in nearly every case
        if stats[pid][0] in mine:
            mine.add(pid)
    for pid in mine - {os.getpid()}:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "chrom" not in cmd.split(" ", 1)[0]:
            continue
        kind = next((a[7:] for a in cmd.split() if a.startswith("--type=")), "browser")
        if kind == "renderer" and "--top-chrome-webui" in cmd:
            kind = "webui"
        out[pid] = (kind, stats[pid][1])
    return out


def cpu_since(before: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU ms spent by each kind of this benchmark's Chromium processes since `before` (chromium_cpu()),
    with "all" their sum; processes started since then count whole."""
    spent: dict[str, float] = {"all": 0.0, "webui": 0.0}
    for pid, (kind, ms) in chromium_cpu().items():
        delta = ms - before.get(pid, (kind, 0.0))[1]
        spent[kind] = spent.get(kind, 0.0) + delta
        spent["all"] += delta
    return spent


def repeat_visit(out: dict, key: str, open_tab: Callable[[], tuple[Any, bool]], url: str, network: str,
                 cpu: float) -> None:
    """One repeat visit of `url` in the tab that open_tab() returns (a new tab of the context, throttled
    here, or the same tab navigated away, throttled already). Appends its ready time, boot path and moments
    to out[key], out["boot_" + key] and out["phases_" + key], and to out["cpu_" + key] the CPU time of this
    benchmark's Chromium processes from just before the tab opened (or navigated) to ready."""
    before = chromium_cpu()
    page, new = open_tab()
    if new:
        throttle(page.context, page, network, cpu)
    page.goto(url)
    out.setdefault(key, []).append(ready_ms(page))
    out.setdefault(f"cpu_{key}", []).append(cpu_since(before))
    detail = page.evaluate("(name) => performance.getEntriesByName(name)[0].detail || null", READY_MARK)
    out.setdefault(f"boot_{key}", []).append((detail or {}).get("boot", "-"))
    out.setdefault(f"phases_{key}", []).append(page_phases(page, detail))


# Moments of the page itself (ms since navigation start), before the worker's own (web/phases.js).
PAGE_MOMENTS_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const ready = performance.getEntriesByName("mikiwame-engine-ready")[0];
  return { "page:html": nav ? nav.responseEnd : null, "page:ready": ready ? ready.startTime : null };
}"""


def page_phases(page, detail: dict | None) -> dict[str, float]:
    """Every moment of one visit on the page's time line: the page's HTML, the worker's moments (the
    engine's ready mark carries them) and the page's ready mark."""
    moments = {k: v for k, v in page.evaluate(PAGE_MOMENTS_JS).items() if v is not None}
    moments.update((detail or {}).get("phases") or {})
    return moments


def phase_table(visits: list[dict[str, float]]) -> list[tuple[str, float, float]]:
    """(moment, median time since navigation start, median time since the moment before), in the order
    of their median times; a moment counts when at least half of the visits have it."""
    names = {name for visit in visits for name in visit}
    medians = {}
    for name in names:
        values = [visit[name] for visit in visits if name in visit]
        if len(values) * 2 >= len(visits):
            medians[name] = statistics.median(values)
    rows, before = [], 0.0
    for name, at in sorted(medians.items(), key=lambda item: item[1]):
        rows.append((name, at, at - before))
        before = at
    return rows


def print_phases(title: str, visits: list[dict[str, float]]) -> None:
    rows = phase_table([v for v in visits if v])
    if not rows:
        return
    print(f"\n{title}: median ms since navigation start (and since the moment before)")
    width = max(len(name) for name, _, _ in rows)
    for name, at, step in rows:
        print(f"  {name:<{width}}  {at:8.1f}  (+{step:6.1f})")


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


def baseline_site(build, base: Path) -> None:
    """Plain loadPyodide of the stock Pyodide files, with .br/.gz copies made as build.py makes them."""
    (base / "pyodide").mkdir()
    stock = build.pyodide_dir()
    files: dict = {}
    for name in (*build.PYODIDE_RUNTIME_FILES, build.PYODIDE_STDLIB, "pyodide-lock.json"):
        files[f"pyodide/{name}"] = stock / name
    files["index.html"] = BASELINE_HTML.encode()
    files["baseline.js"] = BASELINE_JS.encode()
    files["baseline-worker.js"] = BASELINE_WORKER.encode()
    build.add_compressed(files)
    build.sync_tree(files, base)


REPEAT_KINDS = {"repeat": "new tab", "repeat_tab": "same tab", "repeat_window": "new tab in a new window"}


def repeat_rows(title: str, key: str, site: dict, baseline: dict) -> list[tuple[str, str, str]]:
    """The table's rows for one kind of repeat visit: both medians, how many times faster, and the median
    CPU time of Chromium's processes to ready, all and the part of the browser's own WebUI renderers."""
    med = statistics.median
    rows = [(title, f"{med(site[key]):,.0f}", f"{med(baseline[key]):,.0f}"),
            ("  plain / mikiwame", f"{med(baseline[key]) / med(site[key]):.1f}x", "")]
    cpu_site, cpu_base = site.get(f"cpu_{key}") or [], baseline.get(f"cpu_{key}") or []
    if cpu_site and cpu_site[0]["all"] and cpu_base:
        for part, name in (("all", "  CPU of Chromium to ready (ms)"), ("webui", "    of it WebUI renderers")):
            rows.append((name, f"{med(c[part] for c in cpu_site):,.0f}", f"{med(c[part] for c in cpu_base):,.0f}"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--network", choices=sorted(NETWORKS), default="none")
    parser.add_argument("--cpu", type=float, default=1.0, help="CPU slowdown factor (DevTools), default 1")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--phases-first", action="store_true", help="also print the first visit's moments")
    args = parser.parse_args()

    build = load_build()
    if not args.no_build:
        build.build(args.dist)
    from playwright.sync_api import sync_playwright

    counter = ByteCounter()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        base = Path(tmp)
        baseline_site(build, base)
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
                measure_once(browser, site_url, counter, site, args.network, args.cpu, app=True)
                measure_once(browser, base_url, counter, baseline, args.network, args.cpu, app=False)
            latency = {"times": [], "errors": 0}
            if args.checks:
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
    ratio = med(site["first"]) / med(baseline["first"])
    rows = [
        ("first visit: ready (ms, median)", f"{med(site['first']):,.0f}", f"{med(baseline['first']):,.0f}"),
        ("  mikiwame / plain", f"{ratio:.2f}", ""),
        ("first visit: bytes until ready (MB)", f"{med(site['bytes_ready']) / 1e6:.2f}",
         f"{med(baseline['bytes_ready']) / 1e6:.2f}"),
        ("first visit: bytes in all (MB)", f"{med(site['bytes_total']) / 1e6:.2f}",
         f"{med(baseline['bytes_total']) / 1e6:.2f}"),
        *repeat_rows("repeat visit, new tab: ready (ms, median)", "repeat", site, baseline),
        *repeat_rows("repeat visit, same tab: ready (ms, median)", "repeat_tab", site, baseline),
        *repeat_rows("repeat visit, new tab in a new window (ms)", "repeat_window", site, baseline),
    ]
    if latency["times"]:
        rows += [
            ("check p50 (ms)", f"{percentile(latency['times'], 0.5):.1f}", "-"),
            ("check p95 (ms)", f"{percentile(latency['times'], 0.95):.1f}", "-"),
        ]
    print(f"\nmikiwame startup benchmark: {args.runs} runs, network {args.network}, CPU {args.cpu:g}x, "
          f"{len(latency['times'])} checks ({latency['errors']} errors), headless Chromium, 127.0.0.1")
    w0 = max(len(r[0]) for r in rows)
    print(f"{'':<{w0}}  {'mikiwame':>12}  {'plain loadPyodide':>18}")
    for name, a, b in rows:
        print(f"{name:<{w0}}  {a:>12}  {b:>18}")
    print("\nfirst visits (ms): mikiwame", [round(x) for x in site["first"]],
          "baseline", [round(x) for x in baseline["first"]])
    for key, name in REPEAT_KINDS.items():
        print(f"repeat visits, {name} (ms): mikiwame", [round(x) for x in site[key]],
              "baseline", [round(x) for x in baseline[key]])
    print("mikiwame boots: first", sorted(set(site["boot_first"])),
          "repeat", sorted({boot for key in REPEAT_KINDS for boot in site[f"boot_{key}"]}))
    for key, name in REPEAT_KINDS.items():
        print_phases(f"mikiwame repeat visit, {name}", site[f"phases_{key}"])
    if args.phases_first:
        print_phases("mikiwame first visit", site["phases_first"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
