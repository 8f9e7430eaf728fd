// mikiwame engine worker: the entry of the module worker that runs the Python engine (engine-main.js: the
// engine itself and the protocol of docs/contracts.md §3).
//
//   new Worker("engine-worker.js", {type: "module"})
//   new Worker("engine-worker.js", {type: "module", name: "mikiwame-page-reads"})   (boot.js: see below)
//
// This file has no static imports, so it runs as soon as it has arrived, before the engine's own modules
// (engine-main.js and its five imports, one or two more service-worker round trips). It starts at once what
// the engine's load waits for longest: Pyodide's JavaScript, and on a repeat visit the start-up snapshot, the
// compile of Pyodide's Wasm and the stdlib zip, all three read straight from this build's cache (by the page
// when boot.js started this worker: it can start them before this script has arrived; by this entry
// otherwise); engine-main.js takes them over from self.mikiwameEarly. Messages that arrive meanwhile are kept for
// engine-main.js, and a failure to load it is reported as a fatal error.

const ROOT = new URL("./", import.meta.url).href;
const nativeFetch = globalThis.fetch.bind(globalThis);
const moments = { entry: performance.now() }; // web/phases.js takes them over
const messages = [];

/** Notes when `name` happened (ms since the worker's time origin; `epochMs`: a moment of the page). */
function note(name, epochMs = undefined) {
  moments[name] ??= epochMs === undefined ? performance.now() : epochMs - performance.timeOrigin;
}

// Started by boot.js under this name, the page reads the large files for this worker (it can start
// before this script has arrived) and posts each part once, null where it failed: "snapshot" ({found,
// at}), then, if found, "snapshot-bytes", "wasm" (the compiled module) and "stdlib". Without the name
// (a retry, a second engine), this entry reads them itself.
const PAGE_READS = self.name === "mikiwame-page-reads";
const fromPage = {};
for (const part of ["snapshot", "snapshot-bytes", "wasm", "stdlib"]) {
  let resolve;
  fromPage[part] = { promise: new Promise((r) => (resolve = r)), resolve };
}
/** Whether `event` carries one of the page's parts. */
function isPagePart(event) {
  const data = event.data;
  return Boolean(PAGE_READS && data && data.type === "early-file" && fromPage[data.part]);
}
// A listener of its own: engine-main.js replaces onmessage when it arrives, and the page's parts may come
// later than that (engine-main.js ignores them).
self.addEventListener("message", (event) => {
  if (isPagePart(event)) fromPage[event.data.part].resolve(event.data);
});
self.onmessage = (event) => {
  if (!isPagePart(event)) messages.push(event); // for engine-main.js
};
/** The page's part `name` (a promise of its message). */
function pagePart(name) {
  return fromPage[name].promise;
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
// visit on a phone network"). Found by the page: a response of its headers alone (its bytes follow).
const SNAPSHOT = "pyodide/snapshot.bin.gz";
const pageSnapshot = PAGE_READS ? pagePart("snapshot").then((d) => (d.found ? d : null)) : Promise.resolve(null);
const snapshot = pageSnapshot.then((page) => {
  if (!page) return onDevice(SNAPSHOT).then((response) => (note("snapshot-found"), response));
  note("snapshot-found", page.at);
  note("page-reads", page.at); // the page found it and reads the large files for this worker
  return new Response(null, { headers: { "x-mikiwame-inflated": "1" } });
});

// Pyodide's JavaScript: a module import, not a fetch (engine-main.js counts it for the progress bar).
const runtime = import(ROOT + "pyodide/pyodide.asm.mjs").then((module) => {
  note("runtime-js");
  return module.default;
});
runtime.catch(() => {}); // a failed import fails loadPyodide, which reports it

/** The Wasm compiled here, from the cache's own response (WebAssembly.compileStreaming). */
function compileWasm() {
  note("wasm-compile");
  return WebAssembly.compileStreaming(cachedOrFetched("pyodide/pyodide.asm.wasm")).then((module) => {
    note("wasm-compiled");
    return module;
  });
}

// With the snapshot on the device, the Wasm is too: compiled at once (by the page, or here), while the
// JavaScript loads and the snapshot is read. Pyodide alone would compile it only after both.
const wasm = pageSnapshot
  .then((page) => {
    if (!page) return snapshot.then((found) => (found ? compileWasm() : null));
    return pagePart("wasm").then((d) => {
      if (!d.module) return compileWasm();
      note("wasm-compile", d.from);
      note("wasm-compiled", d.at);
      return d.module;
    });
  })
  .catch(() => null); // Pyodide then compiles it itself

/** The stdlib zip's bytes read here, or null. */
function readStdlib() {
  return cachedOrFetched("pyodide/python_stdlib.zip").then((response) => (response.ok ? response.arrayBuffer() : null));
}

// With the snapshot, the stdlib zip (4.6 MB) is on the device too: read now, not when Pyodide asks for it.
const stdlib = pageSnapshot
  .then((page) => {
    if (!page) return snapshot.then((found) => (found ? readStdlib() : null));
    return pagePart("stdlib").then((d) => (d.bytes ? (note("stdlib-read", d.at), d.bytes) : readStdlib()));
  })
  .then((bytes) => {
    if (bytes) note("stdlib-read");
    return bytes;
  })
  .catch(() => null); // Pyodide then fetches it itself

// The snapshot's bytes, read at once when the service worker keeps it inflated (engine-main.js parses them
// and inflates a gzip-compressed one itself).
const snapshotBytes = pageSnapshot
  .then((page) => {
    if (page) return pagePart("snapshot-bytes").then((d) => d.bytes ?? fromCache(SNAPSHOT).then((r) => r && r.arrayBuffer()));
    return snapshot.then((r) => (r && r.headers.get("x-mikiwame-inflated") === "1" ? r.arrayBuffer() : null));
  })
  .catch(() => null);

self.mikiwameEarly = { moments, messages, snapshot, snapshotBytes, runtime, wasm, stdlib };

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
