// Starts the engine worker while the page is still being parsed. The engine's start-up is the longest
// wait on the page, so it must not queue behind the page's own modules. A classic (non-module) script in
// <head> runs at once; the Engine in engine.js adopts this worker and replays what it said meanwhile.
(() => {
  const early = [];
  let worker = null;
  try {
    worker = new Worker("./engine-worker.js", { type: "module" });
    // Tests shorten the stall time (README "Stable test hooks"); the Engine passes it on to later workers.
    if (window.mikiwameStallMs > 0) worker.postMessage({ type: "config", stallMs: window.mikiwameStallMs });
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
