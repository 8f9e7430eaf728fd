// Where the engine's start-up time goes: named moments of the worker's load, each a performance mark in
// the worker ("mikiwame:<name>") and sent with "ready" (benchmarks/startup.py prints them as a table).
//
// Imported first by engine-main.js, so that its own evaluation is the moment the engine's modules had all
// arrived. Times are in ms since the worker's time origin; the page adds the worker's origin minus its
// own (engine.js) to put them on the page's time line (0 = navigation start).

// Shared with the entry (engine-worker.js), which notes its moments before and while this module loads.
const moments = self.mikiwameEarly?.moments ?? {};

/** Notes the first time `name` happens. */
export function phase(name) {
  if (name in moments) return;
  moments[name] = performance.now();
  try {
    performance.mark(`mikiwame:${name}`);
  } catch {
    /* marks are a diagnostic only */
  }
}

/** {origin, moments}: the worker's time origin (ms since the epoch) and each moment noted so far. */
export function phases() {
  return { origin: performance.timeOrigin, moments: { ...moments } };
}

/**
 * Notes when Pyodide's Wasm compile starts and ends (WebAssembly.instantiateStreaming, or
 * WebAssembly.instantiate of more than 1 MB of bytes) until the returned function is called. The Wasm
 * calls are the browser's own, unchanged: only timed.
 */
export function timeWasm() {
  const wasm = WebAssembly;
  const original = { streaming: wasm.instantiateStreaming, instantiate: wasm.instantiate };
  wasm.instantiateStreaming = async (source, imports) => {
    phase("wasm-compile");
    const result = await original.streaming.call(wasm, source, imports);
    phase("wasm-ready");
    return result;
  };
  wasm.instantiate = async (source, imports) => {
    const big = (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) && source.byteLength > 1 << 20;
    if (big) phase("wasm-compile");
    const result = await original.instantiate.call(wasm, source, imports);
    if (big) phase("wasm-ready");
    return result;
  };
  return () => {
    wasm.instantiateStreaming = original.streaming;
    wasm.instantiate = original.instantiate;
  };
}

/**
 * `fetch`, noting when each file's response ("response:<name>") and its whole body ("body:<name>", when
 * read with arrayBuffer()) arrive. The response is `fetch`'s own object (the browser keys its Wasm code
 * cache by the response's URL), only its arrayBuffer method is timed.
 */
export function timedFetch(fetch) {
  return async (input, init) => {
    const response = await fetch(input, init);
    const name = String(input instanceof Request ? input.url : input).split("/").pop();
    phase(`response:${name}`);
    if (response && typeof response.arrayBuffer === "function") {
      const read = response.arrayBuffer.bind(response);
      response.arrayBuffer = async () => {
        const body = await read();
        phase(`body:${name}`);
        return body;
      };
    }
    return response;
  };
}

phase("first-module"); // the first of the worker's modules is running (the others follow)
