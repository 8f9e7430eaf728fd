// Reads the text of an image (a screenshot of a message) on this device, in a worker of its own.
//
// tesseract.js runs Tesseract (Japanese + English, LSTM models) in its own Web Worker; this module, on
// the page, only prepares the image, starts that worker on first use and turns what it read into the
// message text (ocr-text.js). Every file comes from our own origin (./ocr/, built by build_ocr.py):
// workerPath, corePath and langPath are all set, so tesseract.js never reaches for its default CDN, and
// the worker is started from its URL (workerBlobURL: false), as the page's CSP (worker-src 'self') needs.
// The files are fetched only when the first image is read; the service worker keeps them afterwards
// (sw-intake.js). The image is never sent anywhere and never stored: it lives in memory until read.

import { textFromLines } from "./ocr-text.js";

const OCR_BASE = new URL("./ocr/", import.meta.url).href;
const LANGS = "jpn+eng";
// Larger images are scaled down before reading: a phone screenshot is about 1080 px wide, and Tesseract's
// time grows with the pixels while its accuracy does not once letters are ~30 px high.
const MAX_WIDTH = 1280;
// Tesseract parameters for each image (chosen with benchmarks/ocr.py).
const RECOGNIZE_PARAMS = {};
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024;

let workerPromise = null; // the tesseract.js worker, created once
let usedFiles = []; // the OCR files the worker loaded, to be kept for offline use
let workerLangs = null; // the languages it was started with
let progressListener = null; // the current read's progress callback

/** Is SIMD available? Then the faster core is loaded (the same test tesseract.js makes itself). */
function simdSupported() {
  // A module with one function using v128 (i8x16.splat); WebAssembly.validate compiles nothing.
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** Start (once) the tesseract.js worker with our own files; resolves when the models are loaded. */
function getWorker(langs = LANGS, simd = simdSupported()) {
  const key = `${langs}|${simd}`;
  if (workerPromise && workerLangs !== key) stopReader();
  if (!workerPromise) {
    workerLangs = key;
    workerPromise = (async () => {
      const { default: Tesseract } = await import("./ocr/tesseract.esm.min.js");
      const core = simd ? "tesseract-core-simd-lstm" : "tesseract-core-lstm";
      usedFiles = ["tesseract.esm.min.js", "worker.min.js", `${core}.js`, `${core}.wasm`,
        ...langs.split("+").map((l) => `lang/${l}.traineddata.gz`)].map((f) => OCR_BASE + f);
      const worker = await Tesseract.createWorker(langs, Tesseract.OEM.LSTM_ONLY, {
        workerPath: OCR_BASE + "worker.min.js",
        corePath: `${OCR_BASE}${core}.js`,
        langPath: OCR_BASE + "lang",
        workerBlobURL: false,
        gzip: true,
        cacheMethod: "none", // no copy in IndexedDB: the service worker keeps the files
        logger: (m) => progressListener?.(m),
      });
      await worker.setParameters({
        preserve_interword_spaces: "1", // no spaces made up between Japanese characters
        // Sauvola's local threshold instead of one Otsu threshold for the whole image: keeps grey text
        // (times, a light theme's names) that one global threshold turns white (CER 6.8 % -> 2.4 %).
        thresholding_method: "2",
        tessedit_pageseg_mode: Tesseract.PSM.AUTO,
      });
      keepOffline();
      return worker;
    })();
    workerPromise.catch(() => {
      workerPromise = null; // a failed start (e.g. offline before the first use) may be retried
    });
  }
  return workerPromise;
}

/**
 * Ask the service worker to keep the OCR files. It keeps what it serves anyway; this covers the first
 * visit, where an image may be read before the service worker controls the page.
 */
function keepOffline() {
  const sw = navigator.serviceWorker;
  if (!sw) return;
  const send = () => sw.controller && sw.controller.postMessage({ type: "keep-ocr", urls: usedFiles });
  if (sw.controller) send();
  else sw.addEventListener("controllerchange", send, { once: true });
}

let prepWorker = null; // ocr-prepare-worker.js, started with the first image
const PREPARE_TIMEOUT_MS = 30_000;
let prepSeq = 0;

/** The image made ready for Tesseract in a worker (ocr-prepare.js); on this thread where that fails. */
async function prepare(blob, maxWidth) {
  if (typeof OffscreenCanvas === "function") {
    try {
      return await prepareInWorker(blob, maxWidth);
    } catch {
      /* e.g. a worker without OffscreenCanvas or createImageBitmap: do it here */
    }
  }
  const { prepareImage } = await import("./ocr-prepare.js");
  return prepareImage(blob, maxWidth);
}

function prepareInWorker(blob, maxWidth) {
  prepWorker ||= new Worker(new URL("./ocr-prepare-worker.js", import.meta.url), { type: "module" });
  const worker = prepWorker;
  const id = ++prepSeq;
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      clearTimeout(timer);
    };
    const onMessage = (ev) => {
      if (!ev.data || ev.data.id !== id) return;
      done();
      if (ev.data.error) reject(new Error(ev.data.error));
      else resolve(ev.data.result);
    };
    const onError = (ev) => {
      done();
      ev.preventDefault?.();
      worker.terminate(); // a worker that failed to start is not used again
      if (prepWorker === worker) prepWorker = null;
      reject(new Error("prepare worker"));
    };
    const timer = setTimeout(() => onError({}), PREPARE_TIMEOUT_MS);
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
    worker.postMessage({ id, blob, maxWidth });
  });
}

const STAGES = {
  "loading tesseract core": "core",
  "initializing tesseract": "core",
  "loading language traineddata": "lang",
  "initializing api": "lang",
  "recognizing text": "read",
};

/**
 * Read the text in `blob` (an image File or Blob). `onProgress({stage, pct})`: stage "core" | "lang" |
 * "read". Resolves with {text, raw, lines, ms, confidence}; rejects if it is not an image or cannot be
 * read. `langs`, `maxWidth`, `simd` (false: the core without SIMD) and `params` (Tesseract parameters for this image) are for
 * benchmarks/ocr.py, which compares variants.
 */
export async function readImage(blob, { onProgress, langs = LANGS, maxWidth = MAX_WIDTH, params = {}, simd } = {}) {
  if (!blob || !/^image\//.test(blob.type || "")) throw new Error("not-image");
  if (blob.size > MAX_IMAGE_BYTES) throw new Error("too-large");
  const started = performance.now();
  progressListener = (m) => {
    const stage = STAGES[m && m.status];
    if (stage && onProgress) onProgress({ stage, pct: Math.round(100 * (Number(m.progress) || 0)) });
  };
  try {
    const image = await prepare(blob, maxWidth);
    const worker = await getWorker(langs, simd ?? simdSupported());
    const { data } = await worker.recognize(image.blob, { ...RECOGNIZE_PARAMS, ...params }, { text: true, blocks: true });
    const lines = linesOf(data.blocks);
    const text = lines.length ? textFromLines(lines, image.width) : String(data.text || "").trim();
    const ms = performance.now() - started;
    performance.measure("mikiwame-ocr", { start: started, duration: ms });
    return { text, raw: String(data.text || ""), lines, ms, confidence: data.confidence };
  } finally {
    progressListener = null;
  }
}

/** Tesseract's lines with their boxes, in reading order: [{text, x0, y0, x1, y1, block}]. */
function linesOf(blocks) {
  const out = [];
  (blocks || []).forEach((block, b) => {
    for (const para of block.paragraphs || []) {
      for (const line of para.lines || []) {
        const box = line.bbox || {};
        out.push({ text: String(line.text || ""), x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1, block: b });
      }
    }
  });
  return out;
}

/** Stop the OCR worker (frees its memory); the next image starts it again. */
export async function stopReader() {
  const pending = workerPromise;
  workerPromise = null;
  workerLangs = null;
  if (pending) {
    try {
      await (await pending).terminate();
    } catch {
      /* it had not started */
    }
  }
}
