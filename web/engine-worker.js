// mikiwame engine worker: runs the Python engine in Pyodide, off the page's main thread.
//
// A *module* worker (Pyodide 314 needs one): new Worker("engine-worker.js", {type: "module"}).
// Protocol (docs/contracts.md §3):
//   page → worker  {type: "check", id, text, lang, bytes?}   bytes (Uint8Array): a file, e.g. an .eml
//   worker → page  {type: "progress", stage: "download|start|packages|warm", pct}
//                  {type: "ready", ms, dataVersion, engineVersion}
//                  {type: "result", id, report, ms}
//                  {type: "error", id, message}        a check failed; the worker stays usable
//                  {type: "fatal", message}            the engine cannot load; the page offers a retry
//
// Everything is loaded from our own origin: the runtime and the precompiled stdlib from ./pyodide/, and
// mikiwame with its dependencies as wheels listed in our own ./pyodide/pyodide-lock.json (no micropip).
//
// Start-up order: the snapshot's download starts first, and loadPyodide is called at once beside it (its
// module is a static import): Pyodide's own downloads then start without waiting for the snapshot to be
// inflated, which occupies this thread. (Compiling the runtime's Wasm ahead, or inflating in a helper
// worker, measured no faster on 2 cores: the threads only competed for them. See README "Start-up".)
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { unpack } from "./snapshot.js";

const PYODIDE_URL = new URL("./pyodide/", import.meta.url).href;
const snapshotMemory = loadSnapshot(fetch(PYODIDE_URL + "snapshot.bin.gz"));
snapshotMemory.catch(() => {}); // a missing or bad snapshot means the ordinary boot (see bootPython)

// The start-up snapshot (build.py): Python's memory with mikiwame imported and warmed up, packed without
// its long zero runs and gzip-compressed (snapshot.js). Restoring it skips booting Python, loading the
// wheels and warming up. It is tied to this exact build; if it is missing or cannot be restored, Python
// boots the ordinary way.
async function loadSnapshot(download) {
  const response = await download;
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  return unpack(response.body.pipeThrough(new DecompressionStream("gzip")));
}

// Longer than any real load; guards against a load that stalls without reporting an error.
const LOAD_TIMEOUT_MS = 120_000;
// Messages that Pyodide only logs, although the load cannot succeed after them.
const FATAL_LOG_PATTERNS = [
  /wasm instantiation failed/i,
  /error occurred while installing the standard library/i,
  /error occurred while loading/i,
  /failed to (load|fetch|find)/i,
];

let checkJson = null; // mikiwame.check_json, a Python function proxy obtained once
let checkBytesJson = null; // mikiwame.engine.check_bytes_json: a file's bytes, decoded as an e-mail says
let failure = null; // the fatal message once loading has failed
const queue = []; // checks that arrived before the engine was ready
const consoleLog = console.log.bind(console);
const consoleWarn = console.warn.bind(console);

function post(message) {
  self.postMessage(message);
}

function progress(stage, pct) {
  post({ type: "progress", stage, pct });
}

// The last line of a Python traceback ("ValueError: …") is what a person needs; the rest goes to the
// console for developers.
function shortMessage(error) {
  const text = String(error && error.message ? error.message : error).trim();
  const lines = text
    .split("\n")
    .filter((line) => line.trim() && !line.includes("pyodide.setDebug") && !/^\s+at /.test(line));
  return lines.length ? lines[lines.length - 1].trim() : "unknown error";
}

// Pyodide reports some load failures (a wheel or the stdlib that could not be fetched, a Wasm module
// that did not instantiate) only through console.error/console.warn and then carries on or stalls.
// While loading, those messages are collected, and the known fatal ones end the load at once.
function watchConsole(onFatal) {
  const seen = [];
  const original = { error: console.error, warn: console.warn };
  for (const level of ["error", "warn"]) {
    console[level] = (...args) => {
      original[level].apply(console, args);
      const text = args.map((a) => (a && a.message) || String(a)).join(" ");
      seen.push(text);
      if (FATAL_LOG_PATTERNS.some((p) => p.test(text))) onFatal(text);
    };
  }
  return {
    seen,
    restore() {
      console.error = original.error;
      console.warn = original.warn;
    },
  };
}

const BASE_CONFIG = {
  indexURL: PYODIDE_URL,
  stdLibURL: PYODIDE_URL + "python_stdlib.zip",
  lockFileURL: PYODIDE_URL + "pyodide-lock.json",
  // Also the base of any package URL, so nothing is ever fetched from another origin.
  packageBaseUrl: PYODIDE_URL,
  stdout: (line) => consoleLog(`[python] ${line}`),
  stderr: (line) => consoleWarn(`[python] ${line}`),
};

let bootMode = "ordinary";

async function bootPython() {
  try {
    const pyodide = await loadPyodide({
      ...BASE_CONFIG,
      _loadSnapshot: snapshotMemory, // a promise: downloaded and inflated while the runtime loads
      fsInit: async () => progress("start", 40),
    });
    bootMode = "snapshot";
    return pyodide;
  } catch (error) {
    consoleWarn(`mikiwame: no usable start-up snapshot (${shortMessage(error)}); booting normally`);
  }
  return loadPyodide({
    ...BASE_CONFIG,
    // Downloaded while the interpreter boots; a failure only logs (caught by watchConsole).
    packages: ["mikiwame"],
    fsInit: async () => progress("start", 40),
  });
}

async function load() {
  const started = performance.now();
  progress("download", 0);
  let abort;
  const aborted = new Promise((_, reject) => {
    abort = reject;
  });
  const watch = watchConsole((text) => abort(new Error(text)));
  const timer = setTimeout(
    () => abort(new Error(`the engine did not load within ${LOAD_TIMEOUT_MS / 1000} s`)),
    LOAD_TIMEOUT_MS,
  );
  try {
    const pyodide = await Promise.race([bootPython(), aborted]);
    const runtimeMs = performance.now() - started;
    progress("packages", 70);
    let mikiwame;
    try {
      mikiwame = pyodide.pyimport("mikiwame"); // already imported and warmed up when restored from the snapshot
    } catch (error) {
      // Usually a wheel that did not load; Pyodide logged why.
      throw new Error([...watch.seen, shortMessage(error)].join("; "));
    }
    const importMs = performance.now() - started - runtimeMs;
    progress("warm", 80);
    if (bootMode !== "snapshot") mikiwame.warm_up(); // the snapshot was taken after warm_up()
    checkJson = mikiwame.check_json; // borrowed from the module proxy, which is kept alive
    checkBytesJson = mikiwame.engine.check_bytes_json;
    // One real check: it confirms the whole path works and tells the data and engine versions.
    const probe = JSON.parse(checkJson("", "ja"));
    const ms = performance.now() - started;
    post({
      type: "ready",
      ms,
      // Where the start-up time went (the benchmark prints these): runtime = Pyodide, stdlib and wheels;
      // import = `import mikiwame`; warm = loading the knowledge base and compiling the patterns.
      stages: { runtime: runtimeMs, import: importMs, warm: ms - runtimeMs - importMs },
      boot: bootMode,
      dataVersion: probe.data_version,
      engineVersion: probe.engine_version,
    });
  } finally {
    clearTimeout(timer);
    watch.restore();
  }
}

function runCheck({ id, text, lang, bytes }) {
  const started = performance.now();
  try {
    const json = bytes instanceof Uint8Array ? checkBytesJson(bytes, lang ?? "ja") : checkJson(String(text ?? ""), lang ?? "ja");
    const report = JSON.parse(json);
    post({ type: "result", id, report, ms: performance.now() - started });
  } catch (error) {
    console.error(error);
    post({ type: "error", id, message: shortMessage(error) });
  }
}

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type !== "check") {
    return;
  }
  if (failure) {
    post({ type: "error", id: message.id, message: `the engine did not load: ${failure}` });
  } else if (checkJson) {
    runCheck(message);
  } else {
    queue.push(message);
  }
};

load().then(
  () => {
    for (const message of queue.splice(0)) runCheck(message);
  },
  (error) => {
    console.error(error);
    failure = shortMessage(error);
    post({ type: "fatal", message: `mikiwame's engine could not load: ${failure}` });
    for (const message of queue.splice(0)) {
      post({ type: "error", id: message.id, message: `the engine did not load: ${failure}` });
    }
  },
);
