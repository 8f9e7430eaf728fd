// mikiwame engine worker: runs the Python engine in Pyodide, off the page's main thread.
//
// A *module* worker (Pyodide 314 needs one): new Worker("engine-worker.js", {type: "module"}). That entry
// starts the longest reads at once and then imports this module (engine-worker.js).
// Protocol (docs/contracts.md §3):
//   page → worker  {type: "check", id, text, lang, bytes?}   bytes (Uint8Array): a file, e.g. an .eml
//                  {type: "config", stallMs}           optional, first (tests shorten the stall time)
//   worker → page  {type: "progress", stage: "download|start|packages|warm", pct, received, total}
//                                                      received/total: bytes on the wire; at least 1/s
//                  {type: "ready", ms, dataVersion, engineVersion}
//                  {type: "result", id, report, ms}
//                  {type: "error", id, message}        a check failed; the worker stays usable
//                  {type: "fatal", message, reason?}   the engine cannot load; the page offers a retry
//                                                      (reason "stall": no byte arrived for stallMs)
//
// Everything is loaded from our own origin: the runtime and the precompiled stdlib from ./pyodide/, and
// mikiwame with its dependencies as wheels listed in our own lockfile (inlined in engine-files.js; the
// same as ./pyodide/pyodide-lock.json), without micropip.
//
// What a visit downloads (README "First visit"): on a first visit, nothing but the runtime, the stdlib and
// the wheels (4.9 MB with brotli; the wheels once the other two have arrived, so that those arrive sooner
// and the wheels while Python boots: downloads.js), and Python boots the ordinary way; the start-up
// snapshot (9.4 MB more, which costs more to download than the CPU it saves on a phone network) arrives
// afterwards, in the service worker's precache. A later visit finds it on the device and restores it instead of booting.
// Every download is counted (progress), watched (a stall ends the load, never a slow network) and kept
// for a retry (downloads.js).
import { phase, phases, timeWasm, timedFetch } from "./phases.js"; // first: its evaluation is a moment
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { ensureMemory, parsePacked, writeImage } from "./snapshot.js";
import { Downloads, DEFAULT_STALL_MS } from "./downloads.js";
import { LOCK } from "./engine-files.js";

phase("modules");
const ROOT = new URL("./", import.meta.url).href;
const PYODIDE_URL = ROOT + "pyodide/";
const SNAPSHOT = "pyodide/snapshot.bin.gz";
const RUNTIME = ["pyodide/pyodide.asm.mjs", "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip"];
const WHEELS = Object.values(LOCK.packages).map((p) => `pyodide/${p.file_name}`);
const TICK_MS = 250; // progress is posted at least once a second (when nothing moves) and at most this often
const nativeFetch = globalThis.fetch.bind(globalThis);
// Messages that Pyodide only logs, although the load cannot succeed after them (a damaged file: without this
// the load would wait for ever, all its bytes having arrived).
const FATAL_LOG_PATTERNS = [
  /wasm instantiation failed/i,
  /error occurred while installing the standard library/i,
  /error occurred while loading/i,
  /failed to (load|fetch|find)/i,
];

// Started by the entry (engine-worker.js) before this module arrived: the snapshot if it is on the device
// (else null), Pyodide's module factory, and with the snapshot the compiled Wasm (else null). Without the
// entry (this module loaded alone), they start here.
const early = self.mikiwameEarly ?? {};
const snapshotOnDevice =
  early.snapshot ??
  nativeFetch(ROOT + SNAPSHOT, { cache: "only-if-cached", mode: "same-origin" }).then(
    (response) => (response.ok ? response : null),
    () => null,
  );
const snapshotBytesOnDevice = early.snapshotBytes ?? Promise.resolve(null);
const wasmOnDevice = early.wasm ?? Promise.resolve(null);
const stdlibOnDevice = early.stdlib ?? Promise.resolve(null);
const STDLIB = PYODIDE_URL + "python_stdlib.zip";
const WASM = PYODIDE_URL + "pyodide.asm.wasm";

/**
 * `fetch` that answers Pyodide's requests from what the entry has started already: the stdlib zip with
 * the bytes it has read, and the Wasm, when the entry has compiled it, with an empty response
 * (instantiateCompiled instantiates the compiled module and never reads it): no service-worker round trip.
 */
function withEarlyFiles(fetch) {
  return async (input, init) => {
    const href = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
    if (href === STDLIB) {
      const bytes = await stdlibOnDevice;
      if (bytes) return new Response(bytes, { headers: { "content-type": "application/zip" } });
    } else if (href === WASM && (await wasmOnDevice)) {
      return new Response(new Uint8Array(0), { headers: { "content-type": "application/wasm" } });
    }
    return fetch(input, init);
  };
}

// The start-up snapshot (build.py): Python's memory with mikiwame imported and warmed up, packed without
// its long zero runs and gzip-compressed (snapshot.js). Restoring it skips booting Python, loading the
// wheels and warming up. It is tied to this exact build; if it cannot be restored, Python boots the
// ordinary way.
// The service worker keeps it inflated (sw.js), so that a repeat visit does not inflate it again, and the
// entry reads it from this build's cache (~25 ms for 18 MB): read whole, natively, and parsed; the image is
// then written straight into the Wasm memory (restoreInPlace), never rebuilt whole in between.
async function readSnapshot(response) {
  const inflated = response.headers.get("x-mikiwame-inflated") === "1";
  const early = inflated ? await snapshotBytesOnDevice : null; // read by the entry
  const whole = inflated ? response : new Response(response.body.pipeThrough(new DecompressionStream("gzip")));
  const bytes = new Uint8Array(early ?? (await whole.arrayBuffer()));
  const parsed = parsePacked(bytes);
  phase("snapshot-read");
  return { bytes, parsed };
}

/**
 * Makes Pyodide's restoreSnapshot write the image from the packed bytes straight into the Wasm memory.
 * Pyodide's own one copies a whole image (31 MB, 40 % zeros) that would first have to be rebuilt from the
 * packed file (18 MB); this copies the 18 MB once and zeroes the gaps. Pyodide's function still checks the
 * image's head (magic number, build id) and reads its JSON: it is given the head alone, in front of the
 * memory, so it copies nothing itself.
 */
function restoreInPlace(module, { bytes, parsed }) {
  const api = module.API;
  const original = api.restoreSnapshot;
  api.restoreSnapshot = function () {
    const fields = new Uint8Array(8);
    writeImage(fields, bytes, parsed, 0, 8);
    const heapAt = new DataView(fields.buffer).getUint32(4, true); // where the memory starts in the image
    if (heapAt % 4 || heapAt > parsed.size) throw new Error("snapshot: bad image head");
    const head = new Uint8Array(heapAt);
    writeImage(head, bytes, parsed, 0, heapAt);
    const result = original.call(this, head);
    ensureMemory(module, parsed.size - heapAt);
    writeImage(module.HEAP8, bytes, parsed, heapAt);
    return result;
  };
}

let checkJson = null; // mikiwame.check_json, a Python function proxy obtained once
let checkBytesJson = null; // mikiwame.engine.check_bytes_json: a file's bytes, decoded as an e-mail says
let failure = null; // the fatal message once loading has failed
const queue = []; // checks that arrived before the engine was ready
const consoleLog = console.log.bind(console);
const consoleWarn = console.warn.bind(console);

function post(message) {
  self.postMessage(message);
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
  lockFileContents: LOCK,
  // Also the base of any package URL, so nothing is ever fetched from another origin.
  packageBaseUrl: PYODIDE_URL,
  stdout: (line) => consoleLog(`[python] ${line}`),
  stderr: (line) => consoleWarn(`[python] ${line}`),
};

let bootMode = "ordinary";
let stage = "download";
let downloads = new Downloads(ROOT, [...RUNTIME, ...WHEELS], DEFAULT_STALL_MS, WHEELS);
let stallMs = DEFAULT_STALL_MS;
let stalled = false;

/** Pyodide's runtime module (imported by the entry, or here), counted when it arrives: it is not a fetch. */
function runtimeModule(started = null) {
  downloads.markStarted(RUNTIME[0], ROOT);
  const imported = started ?? import(PYODIDE_URL + "pyodide.asm.mjs").then((module) => module.default);
  return imported.then((create) => {
    downloads.markDone(RUNTIME[0], ROOT);
    phase("runtime-js");
    return create;
  });
}
let runtime = runtimeModule(early.runtime);
runtime.catch(() => {}); // a failed import fails loadPyodide, which reports it

/** Pyodide's module factory, noting when the module is ready (Wasm instantiated, file system made) and
 * when the snapshot's memory is restored and Python's bootstrap is finished. With `snapshot` (a promise
 * of readSnapshot's result), the restore writes it in place (restoreInPlace). */
function timedModule(createModule, snapshot = null) {
  return async (settings) => {
    const module = await createModule(settings);
    phase("module-ready");
    if (snapshot) restoreInPlace(module, await snapshot);
    const api = module.API;
    for (const [method, name] of [["restoreSnapshot", "restored"], ["finalizeBootstrap", "bootstrapped"]]) {
      const original = api[method];
      if (typeof original !== "function") continue;
      api[method] = function (...args) {
        const result = original.apply(this, args);
        phase(name);
        return result;
      };
    }
    return module;
  };
}

/**
 * Until the returned function is called, Pyodide's WebAssembly.instantiateStreaming of its runtime
 * instantiates the module compiled at the start (wasmOnDevice) instead of compiling the response again;
 * the response Pyodide fetched is left unread. Without a compiled module, Pyodide's own call runs.
 */
function instantiateCompiled(compiled) {
  const original = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const module = await compiled;
    if (!module) return original.call(WebAssembly, source, imports);
    Promise.resolve(source).then((response) => response.body?.cancel(), () => {});
    const instance = await WebAssembly.instantiate(module, imports);
    phase("wasm-ready");
    return { instance, module };
  };
  return () => {
    WebAssembly.instantiateStreaming = original;
  };
}

async function bootPython() {
  const snapshot = await snapshotOnDevice;
  if (snapshot) {
    // The files are on the device (the service worker's cache): Pyodide's own fetches, unwrapped. Nothing
    // to show progress of, or to stall.
    downloads = new Downloads(ROOT, [], stallMs);
    globalThis.fetch = timedFetch(withEarlyFiles(nativeFetch));
    const reading = readSnapshot(snapshot);
    const restoreWasm = instantiateCompiled(wasmOnDevice);
    try {
      const pyodide = await loadPyodide({
        ...BASE_CONFIG,
        createPyodideModule: runtime.then((create) => timedModule(create, reading)),
        // Only tells Pyodide to restore a snapshot: restoreInPlace writes the image and grows the memory to
        // it (Pyodide's module keeps its compiled-in memory whatever this holds). Pyodide waits for it before
        // it instantiates the runtime, so it is given at once, and instantiates while the snapshot is read.
        _loadSnapshot: Promise.resolve(new Uint8Array(0)),
        fsInit: async () => setStage("start"),
      });
      bootMode = "snapshot";
      return pyodide;
    } catch (error) {
      consoleWarn(`mikiwame: the start-up snapshot could not be restored (${shortMessage(error)}); booting normally`);
      downloads = new Downloads(ROOT, [...RUNTIME, ...WHEELS], stallMs, WHEELS);
      runtime = runtimeModule(); // (the module is cached by now)
    } finally {
      restoreWasm();
    }
  }
  globalThis.fetch = timedFetch(downloads.fetch);
  return loadPyodide({
    ...BASE_CONFIG,
    createPyodideModule: runtime.then((create) => timedModule(create)),
    // Downloaded while the interpreter boots; a failure only logs (caught by watchConsole).
    packages: ["mikiwame"],
    fsInit: async () => setStage("start"),
  });
}

function setStage(name) {
  stage = name;
  postProgress();
}

let lastPosted = { at: 0, received: -1, stage: null };
function postProgress(force = true) {
  const { received, total } = downloads.progress();
  const now = performance.now();
  if (!force && received === lastPosted.received && stage === lastPosted.stage && now - lastPosted.at < 1000) return;
  lastPosted = { at: now, received, stage };
  const pct = stage === "download" ? (total ? (received / total) * 100 : 0) : { start: 90, packages: 95, warm: 98 }[stage];
  post({ type: "progress", stage, pct, received, total });
}

/** Posts progress while loading, and ends a load whose downloads receive nothing for stallMs. */
function watchLoad() {
  const timer = setInterval(() => {
    postProgress(false);
    if (!stalled && !failure && downloads.stalled()) onStall();
  }, TICK_MS);
  return () => clearInterval(timer);
}

/** A stall: stop the downloads, keep what arrived (the page's retry resumes from it), and say so. */
async function onStall() {
  stalled = true;
  failure = `no data arrived for ${Math.round(stallMs / 1000)} s`;
  downloads.abortAll();
  await downloads.keep();
  post({ type: "fatal", reason: "stall", stallMs, message: `mikiwame's engine could not load: ${failure}` });
}

async function load() {
  const started = performance.now();
  postProgress();
  let abort;
  const aborted = new Promise((_, reject) => {
    abort = reject;
  });
  const watch = watchConsole((text) => abort(new Error(text)));
  const stopWatching = watchLoad();
  const untimeWasm = timeWasm();
  try {
    const pyodide = await Promise.race([bootPython(), aborted]);
    phase("pyodide");
    const runtimeMs = performance.now() - started;
    setStage("packages");
    let mikiwame;
    try {
      mikiwame = pyodide.pyimport("mikiwame"); // already imported and warmed up when restored from the snapshot
    } catch (error) {
      // Usually a wheel that did not load; Pyodide logged why.
      throw new Error([...watch.seen, shortMessage(error)].join("; "));
    }
    const importMs = performance.now() - started - runtimeMs;
    phase("imported");
    setStage("warm");
    if (bootMode !== "snapshot") mikiwame.warm_up(); // the snapshot was taken after warm_up()
    phase("warmed");
    checkJson = mikiwame.check_json; // borrowed from the module proxy, which is kept alive
    checkBytesJson = mikiwame.engine.check_bytes_json;
    // One real check: it confirms the whole path works and tells the data and engine versions.
    const probe = JSON.parse(checkJson("", "ja"));
    phase("checked");
    const ms = performance.now() - started;
    const { received, total } = downloads.progress();
    post({
      type: "ready",
      ms,
      // Where the start-up time went (the benchmark prints these): runtime = Pyodide, stdlib and wheels;
      // import = `import mikiwame`; warm = loading the knowledge base and compiling the patterns.
      stages: { runtime: runtimeMs, import: importMs, warm: ms - runtimeMs - importMs },
      boot: bootMode,
      phases: phases(), // each moment of the load (web/phases.js)
      received,
      total,
      dataVersion: probe.data_version,
      engineVersion: probe.engine_version,
    });
  } finally {
    untimeWasm();
    stopWatching();
    watch.restore();
    globalThis.fetch = nativeFetch;
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

function onMessage(event) {
  const message = event.data || {};
  if (message.type === "config") {
    // The page's settings (tests shorten the stall time).
    if (Number(message.stallMs) > 0) stallMs = downloads.stallMs = Number(message.stallMs);
    return;
  }
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
}
self.onmessage = onMessage;
for (const event of (early.messages ?? []).splice(0)) onMessage(event); // what arrived before this module

load().then(
  () => {
    for (const message of queue.splice(0)) runCheck(message);
    downloads.release(); // what was kept for a retry is not needed any more
  },
  (error) => {
    if (stalled) return; // onStall has said why (and the aborted downloads made this error)
    console.error(error);
    failure = shortMessage(error);
    post({ type: "fatal", message: `mikiwame's engine could not load: ${failure}` });
    for (const message of queue.splice(0)) {
      post({ type: "error", id: message.id, message: `the engine did not load: ${failure}` });
    }
  },
);
