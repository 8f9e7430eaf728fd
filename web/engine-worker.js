// mikiwame engine worker: the entry of the module worker that runs the Python engine (engine-main.js: the
// engine itself and the protocol of docs/contracts.md §3).
//
//   new Worker("engine-worker.js", {type: "module"})
//
// This file has no static imports, so it runs as soon as it has arrived, before the engine's own modules
// (engine-main.js and its five imports, one or two more service-worker round trips). It starts at once what
// the engine's load waits for longest: Pyodide's JavaScript, and on a repeat visit the start-up snapshot, the
// compile of Pyodide's Wasm and the stdlib zip, all three read straight from this build's cache;
// engine-main.js takes them over from self.mikiwameEarly. Messages that arrive meanwhile are kept for
// engine-main.js, and a failure to load it is reported as a fatal error.

const ROOT = new URL("./", import.meta.url).href;
const nativeFetch = globalThis.fetch.bind(globalThis);
const moments = { entry: performance.now() }; // web/phases.js takes them over
const messages = [];

/** Notes when `name` happened (ms since the worker's time origin). */
function note(name) {
  moments[name] ??= performance.now();
}

// The service worker's cache of this very build (build.py writes the version in; sw.js names its cache so).
// The large files are read from it directly, not through the service worker's fetch handler, which costs
// three to four times as long (18 MB of snapshot: ~25 ms direct, ~80 ms through the handler, measured in
// Chromium) and a service-worker round trip per file. Only this build's cache is read, so that the
// snapshot, the Wasm and the stdlib always belong with the JavaScript that loads them.
const CACHE = "mikiwame-__MIKIWAME_VERSION__";

/** `path`'s response from this build's cache, or null (no cache, not in it, or Cache Storage refused). */
function fromCache(path) {
  try {
    return self.caches.match(ROOT + path, { cacheName: CACHE }).then((response) => response ?? null, () => null);
  } catch {
    return Promise.resolve(null); // no Cache Storage here (an opaque origin, storage blocked)
  }
}

/** `path` if it is already on this device: this build's cache, else the browser's HTTP cache; else null. */
function onDevice(path) {
  return fromCache(path).then(
    (cached) =>
      cached ??
      nativeFetch(ROOT + path, { cache: "only-if-cached", mode: "same-origin" }).then(
        (response) => (response.ok ? response : null),
        () => null,
      ),
  );
}

/** `path` from this build's cache, else fetched (through the service worker, or the network). */
function cachedOrFetched(path) {
  return fromCache(path).then((cached) => cached ?? nativeFetch(ROOT + path));
}

// The snapshot, only if it is already on this device: a first visit does not wait for it (README "First
// visit on a phone network").
const snapshot = onDevice("pyodide/snapshot.bin.gz").then((response) => {
  note("snapshot-found");
  return response;
});

// Pyodide's JavaScript: a module import, not a fetch (engine-main.js counts it for the progress bar).
const runtime = import(ROOT + "pyodide/pyodide.asm.mjs").then((module) => {
  note("runtime-js");
  return module.default;
});
runtime.catch(() => {}); // a failed import fails loadPyodide, which reports it

// With the snapshot on the device, the Wasm is too: compiled at once, from the cache's own response
// (WebAssembly.compileStreaming of a Cache Storage response, which lets the browser keep and reuse its
// compiled code), while the JavaScript loads and the snapshot is read. Pyodide alone would compile it only
// after both.
const wasm = snapshot
  .then((found) => {
    if (!found) return null;
    note("wasm-compile");
    return WebAssembly.compileStreaming(cachedOrFetched("pyodide/pyodide.asm.wasm")).then((module) => {
      note("wasm-compiled");
      return module;
    });
  })
  .catch(() => null); // Pyodide then compiles it itself

// With the snapshot, the stdlib zip (4.6 MB) is on the device too: read now, not when Pyodide asks for it.
const stdlib = snapshot
  .then((found) => (found ? cachedOrFetched("pyodide/python_stdlib.zip") : null))
  .then((response) => (response && response.ok ? response.arrayBuffer() : null))
  .then((bytes) => {
    if (bytes) note("stdlib-read");
    return bytes;
  })
  .catch(() => null); // Pyodide then fetches it itself

// The snapshot's bytes, read at once when the service worker keeps it inflated (engine-main.js parses them
// and inflates a gzip-compressed one itself).
const snapshotBytes = snapshot
  .then((response) => (response && response.headers.get("x-mikiwame-inflated") === "1" ? response.arrayBuffer() : null))
  .catch(() => null);

self.mikiwameEarly = { moments, messages, snapshot, snapshotBytes, runtime, wasm, stdlib };
self.onmessage = (event) => messages.push(event);

// The engine's own modules, asked for all at once: engine-main.js's static imports would otherwise be
// requested only once engine-main.js itself has arrived and been parsed (one more service-worker round
// trip, while this thread compiles Pyodide's JavaScript).
for (const path of ["phases.js", "pyodide/pyodide.mjs", "snapshot.js", "downloads.js", "engine-files.js"]) {
  import(ROOT + path).catch(() => {}); // a failure shows in engine-main.js's own import, reported below
}

import("./engine-main.js").catch((error) => {
  self.postMessage({
    type: "fatal",
    message: `mikiwame's engine could not load: ${String((error && error.message) || error)}`,
  });
});
