"""The first return visit finds Pyodide's JavaScript already compiled (web/code-cache.js): once the
service worker first takes control, a module worker imports pyodide/pyodide.asm.mjs from its cache, so that
Chromium keeps the code cache beside the cached file. Without it the next visit compiled all 1.25 MB again
(~200 ms of the engine worker's thread here) and only the visits after it read the code cache.

Read from a Chromium trace (the "v8" category): how the engine worker's v8.compileModule of
pyodide.asm.mjs went, in the first visit after the one that installed the service worker."""

from __future__ import annotations

import json
from pathlib import Path


def compiles_of(trace: Path, name: str) -> list[dict]:
    """The data of every v8.compileModule of a script whose URL ends with `name` in a trace file."""
    events = json.loads(trace.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    return [
        (e.get("args") or {}).get("data") or {}
        for e in events
        if e.get("name") == "v8.compileModule" and str(((e.get("args") or {}).get("data") or {}).get("url", "")).endswith(name)
    ]


def test_the_first_return_visit_reads_pyodide_s_code_cache(browser, server_url, tmp_path):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server_url)
        page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=70_000)
        assert page.evaluate("document.documentElement.dataset.codeCache") == "done"
        page.goto("about:blank")
        trace = tmp_path / "repeat.json"
        browser.start_tracing(categories=["v8", "devtools.timeline"], path=str(trace))
        try:
            tab = context.new_page()  # a new tab, as a person comes back
            tab.goto(server_url)
            tab.locator("html[data-engine=ready]").wait_for(state="attached", timeout=70_000)
        finally:
            browser.stop_tracing()
        compiles = compiles_of(trace, "/pyodide/pyodide.asm.mjs")
        assert compiles, "the trace saw no compile of pyodide.asm.mjs"
        assert compiles[0].get("consumedCacheSize", 0) > 1_000_000, compiles[0]
        assert compiles[0].get("cacheRejected") is False, compiles[0]
    finally:
        context.close()


def test_code_cache_worker_posts_done_and_a_missing_script_fails(browser, server_url):
    """warmCodeCache resolves "done" for the real worker and "failed" (never throws, never hangs) for a
    worker script that does not exist."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server_url)
        page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=70_000)
        results = page.evaluate(
            """async () => {
                const { warmCodeCache } = await import("./code-cache.js");
                return [await warmCodeCache(), await warmCodeCache("./no-such-worker.js")];
            }"""
        )
        assert results == ["done", "failed"]
    finally:
        context.close()
