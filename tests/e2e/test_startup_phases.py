"""Where the engine's start-up time goes (web/phases.js, printed by benchmarks/startup.py), and the order a
repeat visit now loads in: the page (boot.js) starts the Wasm compile as soon as it finds the snapshot on
the device, without waiting for the worker's script, for the snapshot to be read or for the engine's own
modules, and reads the snapshot and the stdlib zip for the worker; a first visit compiles and reads nothing
early (it would download them twice).""" 

from __future__ import annotations

from helpers import first_visit

READY = "() => performance.getEntriesByName('mikiwame-engine-ready')[0]"


def ready_detail(page) -> tuple[dict, float]:
    """The ready mark's detail and when the page set it (ms since navigation start)."""
    page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=70_000)
    mark = page.evaluate(f"() => {{ const m = ({READY})(); return [m.detail, m.startTime]; }}")
    return mark[0], mark[1]


def assert_in_order(phases: dict, names: list[str]) -> None:
    """Every named moment is there, each no later than the next."""
    missing = [n for n in names if n not in phases]
    assert not missing, f"moments missing: {missing} (have {sorted(phases)})"
    times = [phases[n] for n in names]
    assert times == sorted(times), dict(zip(names, times))


def test_phases_of_a_first_and_a_repeat_visit(browser, server_url):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server_url)
        detail, ready_at = ready_detail(page)
        first = detail["phases"]
        assert detail["boot"] == "ordinary"
        assert_in_order(first, ["worker", "entry", "modules", "module-ready", "bootstrapped", "pyodide",
                                "imported", "warmed", "checked"])
        # Pyodide's JavaScript is imported by the entry, whenever the engine's own modules arrive.
        assert_in_order(first, ["entry", "runtime-js", "module-ready"])
        assert first["checked"] <= ready_at
        # No snapshot on the device yet: nothing compiled early, nothing restored.
        assert not {"wasm-compiled", "stdlib-read", "restored", "snapshot-read"} & set(first)

        page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=70_000)
        page.reload()
        detail, ready_at = ready_detail(page)
        repeat = detail["phases"]
        assert detail["boot"] == "snapshot"
        assert_in_order(repeat, ["snapshot-found", "wasm-compile", "wasm-compiled", "wasm-ready",
                                 "module-ready", "restored", "bootstrapped", "checked"])
        assert_in_order(repeat, ["worker", "entry", "module-ready"])
        # The page (boot.js) found the snapshot and read the large files for the worker, without waiting
        # for the worker's script; a first visit had nothing to read.
        assert "page-reads" in repeat and "page-reads" not in first
        assert_in_order(repeat, ["runtime-js", "wasm-ready"])
        assert_in_order(repeat, ["snapshot-read", "restored"])
        # The stdlib zip was read by the entry, and Pyodide wrote it from those bytes.
        assert_in_order(repeat, ["snapshot-found", "stdlib-read", "module-ready"])
        # The compile did not wait for the snapshot (18 MB) to be read whole.
        assert repeat["wasm-compile"] < repeat["snapshot-read"]
        assert repeat["checked"] <= ready_at
    finally:
        context.close()


LARGE_FILES = ("pyodide/snapshot.bin.gz", "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip")


def test_a_repeat_visit_reads_the_large_files_from_its_cache_without_requests(browser, server_url):
    """The entry reads the snapshot, the Wasm and the stdlib straight from this build's Cache Storage entry
    (no request, not even one the service worker answers), and the engine still boots from the snapshot."""
    context = browser.new_context()
    try:
        page = context.new_page()
        first_visit(page, server_url)
        requested: list[str] = []
        context.on("request", lambda request: requested.append(request.url))
        page.reload()
        detail, _ = ready_detail(page)
        assert detail["boot"] == "snapshot"
        # The worker's own requests are seen (so an absent one is really absent).
        assert server_url + "pyodide/pyodide.asm.mjs" in requested, requested
        assert [url for url in requested if url.endswith(LARGE_FILES)] == []
    finally:
        context.close()


def test_without_its_cache_the_engine_still_loads(browser, server_url):
    """If this build's cache is gone (storage cleared under a running service worker), the entry finds
    nothing to read and the engine loads through the service worker and the network instead."""
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        first_visit(page, server_url)
        assert page.evaluate("caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k))))")
        page.reload()
        detail, _ = ready_detail(page)
        assert detail["boot"] in ("snapshot", "ordinary")
        page.get_by_label("メッセージ本文").fill("至急 http://example.xyz/login に接続してください")
        page.get_by_role("button", name="チェック").click()
        page.locator("#result[data-verdict]").wait_for(timeout=30_000)
    finally:
        context.close()


DAMAGE_SNAPSHOT_JS = """async (cut) => {
  const name = (await caches.keys()).find((k) => k.startsWith("mikiwame-"));
  const cache = await caches.open(name);
  const url = new URL("./pyodide/snapshot.bin.gz", location.href).href;
  const stored = await cache.match(url);
  const bytes = new Uint8Array(await stored.arrayBuffer());
  await cache.put(url, new Response(bytes.slice(0, bytes.length - cut), { headers: stored.headers }));
  return [stored.headers.get("x-mikiwame-inflated"), bytes.length];
}"""


def test_a_damaged_snapshot_in_the_cache_is_refused_and_python_boots(browser, server_url):
    """The snapshot in this build's cache, cut short: the engine refuses it before anything is restored
    (web/snapshot.js parsePacked) and boots Python the ordinary way, and checks work."""
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        first_visit(page, server_url)
        inflated, size = page.evaluate(DAMAGE_SNAPSHOT_JS, 1000)
        assert inflated == "1" and size > 10_000_000  # the service worker keeps it inflated
        page.reload()
        detail, _ = ready_detail(page)
        assert detail["boot"] == "ordinary"
        page.get_by_label("メッセージ本文").fill("至急 http://example.xyz/login に接続してください")
        page.get_by_role("button", name="チェック").click()
        page.locator("#result[data-verdict]").wait_for(timeout=30_000)
    finally:
        context.close()


def test_a_second_engine_without_the_page_s_reads_boots_from_the_snapshot(browser, server_url):
    """A worker started without boot.js's name (a retry, a second engine) reads the large files itself and
    still restores the snapshot."""
    context = browser.new_context()
    try:
        page = context.new_page()
        first_visit(page, server_url)
        page.reload()
        ready_detail(page)
        ready = page.evaluate("""() => new Promise((resolve, reject) => {
          const w = new Worker("./engine-worker.js", { type: "module" });
          w.onmessage = (e) => {
            if (e.data.type === "ready") { w.terminate(); resolve(e.data); }
            if (e.data.type === "fatal") reject(new Error(e.data.message));
          };
        })""")
        assert ready["boot"] == "snapshot"
        assert "page-reads" not in ready["phases"]["moments"] and "snapshot-found" in ready["phases"]["moments"]
    finally:
        context.close()
