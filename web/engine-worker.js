// mikiwame engine worker: the entry of the module worker that runs the Python engine (engine-main.js: the
// engine itself and the protocol of docs/contracts.md §3).
//
//   new Worker("engine-worker.js", {type: "module"})
//
// This file has no static imports, so it runs as soon as it has arrived, before the engine's own modules
// (engine-main.js and its five imports, one or two more service-worker round trips). It starts at once what
// the engine's load waits for longest: Pyodide's JavaScript, and on a repeat visit the start-up snapshot, the
// compile of Pyodide's Wasm and the stdlib zip; engine-main.js takes them over from self.mikiwameEarly. Messages that
// arrive meanwhile are kept for engine-main.js, and a failure to load it is reported as a fatal error.

const ROOT = new URL("./", import.meta.url).href;
const nativeFetch = globalThis.fetch.bind(globalThis);
const moments = { entry: performance.now() }; // web/phases.js takes them over
const messages = [];

/** Notes when `name` happened (ms since the worker's time origin). */
function note(name) {
  moments[name] ??= performance.now();
}

// The snapshot, only if it is already on this device (the service worker's cache, or the HTTP cache): a
// first visit does not wait for it (README "First visit on a phone network").
const snapshot = nativeFetch(ROOT + "pyodide/snapshot.bin.gz", { cache: "only-if-cached", mode: "same-origin" }).then(
  (response) => {
    note("snapshot-found");
    return response.ok ? response : null;
  },
  () => null,
);

// Pyodide's JavaScript: a module import, not a fetch (engine-main.js counts it for the progress bar).
const runtime = import(ROOT + "pyodide/pyodide.asm.mjs").then((module) => {
  note("runtime-js");
  return module.default;
});
runtime.catch(() => {}); // a failed import fails loadPyodide, which reports it

// With the snapshot on the device, the Wasm is too: compiled at once, from the service worker's own
// response (WebAssembly.compileStreaming, which lets the browser keep and reuse its compiled code), while
// the JavaScript loads and the snapshot is read. Pyodide alone would compile it only after both.
const wasm = snapshot
  .then((found) => {
    if (!found) return null;
    note("wasm-compile");
    return WebAssembly.compileStreaming(nativeFetch(ROOT + "pyodide/pyodide.asm.wasm")).then((module) => {
      note("wasm-compiled");
      return module;
    });
  })
  .catch(() => null); // Pyodide then compiles it itself

// With the snapshot, the stdlib zip (4.6 MB) is on the device too: read now, not when Pyodide asks for it.
const stdlib = snapshot
  .then((found) => (found ? nativeFetch(ROOT + "pyodide/python_stdlib.zip") : null))
  .then((response) => (response && response.ok ? response.arrayBuffer() : null))
  .then((bytes) => {
    if (bytes) note("stdlib-read");
    return bytes;
  })
  .catch(() => null); // Pyodide then fetches it itself

self.mikiwameEarly = { moments, messages, snapshot, runtime, wasm, stdlib };
self.onmessage = (event) => messages.push(event);

import("./engine-main.js").catch((error) => {
  self.postMessage({
    type: "fatal",
    message: `mikiwame's engine could not load: ${String((error && error.message) || error)}`,
  });
});
