// Starts the engine worker while the page is still being parsed. The engine's start-up is the longest
// wait on the page, so it must not queue behind the page's own modules. A classic (non-module) script in
// <head> runs at once; the Engine in engine.js adopts this worker and replays what it said meanwhile.
//
// On a repeat visit it also starts, at once, the reads the worker would otherwise start only once its own
// script has arrived (one more service-worker round trip, and in a new tab a new thread and isolate): the
// start-up snapshot, the Wasm compile and the stdlib zip, all from this build's cache. It hands them to
// the worker as they arrive (the bytes moved, not copied; the compiled module shared). The worker, named
// PAGE_READS, waits for them; a worker started without that name (a retry, a second engine) reads them
// itself (engine-worker.js).
(() => {
  const PAGE_READS = "mikiwame-page-reads"; // engine-worker.js knows the same name
  // This build's cache (build.py writes the version in, as in sw.js and engine-worker.js).
  const CACHE = "mikiwame-__MIKIWAME_VERSION__";
  const ROOT = new URL("./", document.baseURI).href;
  const early = [];
  let worker = null;

  /** Epoch ms now, so that the worker can put the page's moments on its own time line. */
  const now = () => performance.timeOrigin + performance.now();

  /** `path`'s response from this build's cache, or null (no cache, not in it, or storage refused). */
  function fromCache(path) {
    try {
      return caches.match(ROOT + path, { cacheName: CACHE }).then((response) => response ?? null, () => null);
    } catch {
      return Promise.resolve(null); // no Cache Storage here (storage blocked, an opaque origin)
    }
  }

  /** Reads the large files for the worker (see the top); every part is posted once, null if it failed. */
  function readForWorker(target) {
    const post = (part, fields, transfer = []) => target.postMessage({ type: "early-file", part, ...fields }, transfer);
    fromCache("pyodide/snapshot.bin.gz").then((snapshot) => {
      // Only the inflated form the service worker keeps; anything else the worker looks for itself.
      if (!snapshot || snapshot.headers.get("x-mikiwame-inflated") !== "1") {
        post("snapshot", { found: false });
        return;
      }
      post("snapshot", { found: true, at: now() });
      const compileAt = now();
      WebAssembly.compileStreaming(fromCache("pyodide/pyodide.asm.wasm").then((r) => r ?? Promise.reject()))
        .then((module) => post("wasm", { module, from: compileAt, at: now() }))
        .catch(() => post("wasm", { module: null }));
      snapshot.arrayBuffer()
        .then((bytes) => post("snapshot-bytes", { bytes }, [bytes]))
        .catch(() => post("snapshot-bytes", { bytes: null }));
      fromCache("pyodide/python_stdlib.zip")
        .then((response) => (response && response.ok ? response.arrayBuffer() : null))
        .then((bytes) => post("stdlib", { bytes, at: now() }, bytes ? [bytes] : []))
        .catch(() => post("stdlib", { bytes: null }));
    }).catch(() => post("snapshot", { found: false })); // the worker then looks for itself
  }

  try {
    worker = new Worker("./engine-worker.js", { type: "module", name: PAGE_READS });
    // Tests shorten the stall time (README "Stable test hooks"); the Engine passes it on to later workers.
    if (window.mikiwameStallMs > 0) worker.postMessage({ type: "config", stallMs: window.mikiwameStallMs });
    readForWorker(worker);
    worker.onmessage = (ev) => early.push({ kind: "message", data: ev.data });
    worker.onerror = (ev) => {
      ev.preventDefault();
      early.push({ kind: "error", message: ev.message || "worker error" });
    };
  } catch (error) {
    early.push({ kind: "error", message: String((error && error.message) || error) });
  }
  window.mikiwameBoot = { worker, early };
})();
