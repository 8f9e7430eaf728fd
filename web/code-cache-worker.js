// Compiles Pyodide's JavaScript (pyodide/pyodide.asm.mjs, 1.25 MB) once from the service worker's cache,
// right after the service worker first takes control, so that the next visit finds its code cache.
//
//   new Worker("code-cache-worker.js", {type: "module"})   → posts "done" (or "failed"); the page ends it
//
// Why: Chromium keeps a module script's compiled code beside the Cache Storage entry it was served from,
// but only once a module import has compiled it from there. The first visit imports the file from the
// network (the service worker is not installed yet), and the cache that the install fills only holds the
// plain file, so without this the first return visit compiles all of it (~200–280 ms of the engine
// worker's thread on this 2-core machine, measured in a trace) and every later one reads the code cache
// (~10–25 ms). Importing the file only defines Pyodide's module factory: nothing runs, nothing is fetched
// from the network (the service worker answers from its cache).
// Chromium writes the code cache in a task of its own after the module graph has run: the worker waits a
// moment before it says it is done (the page then ends it).
const SETTLE_MS = 300;
import("./pyodide/pyodide.asm.mjs").then(
  () => setTimeout(() => postMessage("done"), SETTLE_MS),
  () => postMessage("failed"),
);
