// Reads the text of an image (a screenshot of a message) on this device, in a worker of its own.
//
// tesseract.js runs Tesseract (Japanese + English, LSTM models) in its own Web Worker; this module, on
// the page, only prepares the image, starts that worker on first use and turns what it read into the
// message text (ocr-text.js). Every file comes from our own origin (./ocr/, built by build_ocr.py):
// workerPath, corePath and langPath are all set, so tesseract.js never reaches for its default CDN, and
// the worker is started from its URL (workerBlobURL: false), as the page's CSP (worker-src 'self') needs.
// The files are fetched only when the first image is read; the service worker keeps them afterwards
// (sw-intake.js). The image is never sent anywhere and never stored: it lives in memory until read.

import { READ_LINE_HEIGHT, applyReadings, chooseReading, cropFor, linkCandidates } from "./ocr-links.js";
import { textFromLines } from "./ocr-text.js";

const OCR_BASE = new URL("./ocr/", import.meta.url).href;
const LANGS = "jpn+eng";
// Larger images are scaled down before reading: a phone screenshot is about 1080 px wide, and Tesseract's
// time grows with the pixels while its accuracy does not once letters are ~30 px high.
const MAX_WIDTH = 1280;
// Tesseract parameters for each image (chosen with benchmarks/ocr.py).
const RECOGNIZE_PARAMS = {};
// Page segmentation mode 7: the image is one text line (a link's word, read again alone).
const SINGLE_LINE = "7";
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

/** `message` done by the preparing worker, or by ocr-prepare.js's function `name` on this thread where that
 * fails (e.g. a worker without OffscreenCanvas or createImageBitmap). */
async function inWorkerOrHere(message, name, args) {
  if (typeof OffscreenCanvas === "function") {
    try {
      return await prepareInWorker(message);
    } catch {
      /* do it here */
    }
  }
  const module = await import("./ocr-prepare.js");
  return module[name](...args);
}

/** The image made ready for Tesseract (ocr-prepare.js prepareImage). */
function prepare(blob, maxWidth) {
  return inWorkerOrHere({ blob, maxWidth }, "prepareImage", [blob, maxWidth]);
}

/** Scaled crops of a prepared image (ocr-prepare.js cropImages). */
function crop(blob, crops) {
  return inWorkerOrHere({ blob, crops }, "cropImages", [blob, crops]);
}

function prepareInWorker(message) {
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
    worker.postMessage({ id, ...message });
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
 * "read". Resolves with {text, raw, lines, ms, confidence, reread}; rejects if it is not an image or cannot
 * be read. `langs`, `maxWidth`, `simd` (false: the core without SIMD), `params` (Tesseract parameters for
 * this image) and `linkPass` (0: no second reading of links; else the line height links are read at) are
 * for benchmarks/ocr.py, which compares variants.
 */
export async function readImage(blob, { onProgress, langs = LANGS, maxWidth = MAX_WIDTH, params = {}, simd, linkPass = READ_LINE_HEIGHT } = {}) {
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
    let lines = linesOf(data.blocks);
    progressListener = null; // the second reading is short: the progress bar does not start again
    const reread = linkPass ? await rereadLinks(worker, image, lines, params, linkPass).catch(() => []) : [];
    lines = applyReadings(lines, reread);
    const text = lines.length ? textFromLines(lines, image.width) : String(data.text || "").trim();
    const ms = performance.now() - started;
    performance.measure("mikiwame-ocr", { start: started, duration: ms });
    return { text, raw: String(data.text || ""), lines, ms, confidence: data.confidence, reread };
  } finally {
    progressListener = null;
  }
}

/** Tesseract's lines with their boxes and words, in reading order: [{text, x0, y0, x1, y1, block, words}]
 * (words: [{text, confidence, bbox, symbols: [{text, bbox}]}], for the second reading of links). */
function linesOf(blocks) {
  const out = [];
  (blocks || []).forEach((block, b) => {
    for (const para of block.paragraphs || []) {
      for (const line of para.lines || []) {
        const box = line.bbox || {};
        const words = (line.words || []).map((w) => ({
          text: String(w.text || ""),
          confidence: w.confidence,
          bbox: w.bbox,
          symbols: (w.symbols || []).map((s) => ({ text: String(s.text || ""), bbox: s.bbox })),
        }));
        out.push({ text: String(line.text || ""), x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1, block: b, words });
      }
    }
  });
  return out;
}

/**
 * Read the link-looking words Tesseract was unsure of once more, each alone as one text line at the size
 * it reads best (ocr-links.js says which words, where, and which reading to keep). Returns every second
 * reading: [{candidate, first, second: {text, confidence}, text}] (text: the reading kept). The caller
 * keeps the first reading if this fails: it only improves on it.
 */
async function rereadLinks(worker, image, lines, params, lineHeight) {
  const candidates = linkCandidates(lines);
  if (!candidates.length) return [];
  const crops = candidates.map((c) => cropFor(c, image.width, image.height, lineHeight));
  const blobs = await crop(image.blob, crops);
  const out = [];
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i];
    const { data } = await worker.recognize(blobs[i], { ...RECOGNIZE_PARAMS, ...params, tessedit_pageseg_mode: SINGLE_LINE },
      { text: true });
    const second = { text: String(data.text || "").trim(), confidence: data.confidence };
    out.push({ candidate, text: chooseReading(candidate, second), first: candidate.text, second });
  }
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
