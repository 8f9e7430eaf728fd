// The engine's downloads, as the engine worker sees them: counted for the progress bar, watched for a
// stall, and kept for a retry.
//
// * Progress: bytes received of the total for every file the engine needs. The sizes come from
//   engine-files.js (build.py), per Content-Encoding, so the total is known before any response arrives.
//   A body is read decoded; what it cost on the wire is its decoded share of the size the server sent
//   (the .br, .gz or plain size, by the response's Content-Encoding).
// * Stall: no new byte of any unfinished download for `stallMs` (20 s by default) is a stall. A slow
//   network is not: a load that keeps receiving bytes is never given up.
// * Retry: on a stall, every file that arrived whole and the received start of every unfinished file are
//   put in a cache named for this build. The next worker (the page's retry) takes the whole files from it
//   and resumes a partial file with a Range request (If-Range: the validator it came with), or fetches
//   it again alone when the rest of the plain file is larger than the whole compressed one.

import { BUILD, FILES } from "./engine-files.js";

export const DEFAULT_STALL_MS = 20_000;
// Not "mikiwame-…": the service worker deletes every cache of that prefix but its own.
const RETRY_PREFIX = "retry.mikiwame-";
const RETRY_CACHE = RETRY_PREFIX + BUILD;
const PARTIAL = "x-mikiwame-partial"; // header of a kept partial body: its validator for If-Range
const nativeFetch = globalThis.fetch.bind(globalThis);

/** One file the engine needs: what is known of its size and how much of it arrived. */
class Entry {
  constructor(path, sizes) {
    this.path = path;
    this.sizes = sizes; // {size, br?, gzip?} from engine-files.js
    this.wire = sizes.br ?? sizes.gzip ?? sizes.size; // until a response says which copy it got
    this.received = 0; // decoded bytes
    this.base = 0; // decoded bytes that were kept from an earlier attempt (they cost nothing now)
    this.started = false;
    this.done = false;
    this.chunks = []; // the decoded body so far, kept until ready (for a retry after a stall)
    this.validator = null;
    this.type = null;
    this.abort = new AbortController();
  }

  /** Bytes on the wire so far (this file's share of what it costs to send). */
  wireReceived() {
    if (this.done) return this.wire;
    const share = (this.received - this.base) / Math.max(1, this.sizes.size - this.base);
    return Math.min(this.wire, Math.round(share * this.wire));
  }
}

export class Downloads {
  /**
   * @param {string} base   URL that the paths of engine-files.js are relative to (the site's root)
   * @param {string[]} paths  the files this boot downloads
   * @param {number} stallMs  no new byte for this long while a download is unfinished = a stall
   * @param {string[]} later  those of `paths` whose download starts only once every other one has arrived
   *                          whole (the wheels, which Python needs only after it has booted: see `download`)
   */
  constructor(base, paths, stallMs = DEFAULT_STALL_MS, later = []) {
    this.entries = new Map();
    for (const path of paths) {
      if (FILES[path]) this.entries.set(new URL(path, base).href, new Entry(path, FILES[path]));
    }
    this.later = new Set(later.map((path) => new URL(path, base).href));
    this.arrivals = []; // resolvers of `firstArrived` calls, run as each file arrives whole
    this.stallMs = stallMs;
    this.lastByteAt = performance.now();
  }

  /** Resolves once every file not downloaded `later` has arrived whole. */
  firstArrived() {
    const waiting = () => [...this.entries].some(([href, entry]) => !this.later.has(href) && !entry.done);
    if (!waiting()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (waiting() ? this.arrivals.push(check) : resolve());
      this.arrivals.push(check);
    });
  }

  /** A file has arrived whole: wake those waiting for it. */
  arrived(entry) {
    entry.done = true;
    for (const check of this.arrivals.splice(0)) check();
  }

  /** The fetch that Pyodide calls (installed as the worker's global fetch while loading). */
  fetch = (input, init) => {
    const href = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
    const entry = this.entries.get(href);
    if (!entry || (init && init.method && init.method !== "GET")) return nativeFetch(input, init);
    return this.download(href, entry);
  };

  /** {received, total} in bytes on the wire, over every file of this boot. */
  progress() {
    let received = 0;
    let total = 0;
    for (const entry of this.entries.values()) {
      received += entry.wireReceived();
      total += entry.wire;
    }
    return { received, total };
  }

  /** A file loaded by other means (a module import) has arrived whole. */
  markDone(path, base) {
    const entry = this.entries.get(new URL(path, base).href);
    if (entry) {
      entry.started = true;
      this.arrived(entry);
      this.lastByteAt = performance.now();
    }
  }

  markStarted(path, base) {
    const entry = this.entries.get(new URL(path, base).href);
    if (entry && !entry.started) {
      entry.started = true;
      this.lastByteAt = performance.now();
    }
  }

  /** True when an unfinished download has received nothing for stallMs. */
  stalled(now = performance.now()) {
    const waiting = [...this.entries.values()].some((e) => e.started && !e.done);
    return waiting && now - this.lastByteAt > this.stallMs;
  }

  /** Stop every unfinished download (after a stall: the retry starts a fresh worker). */
  abortAll() {
    for (const entry of this.entries.values()) if (!entry.done) entry.abort.abort(new Error("stalled"));
  }

  /** Keep what arrived for the retry: whole files, and the start of unfinished ones. Best effort. */
  async keep() {
    const cache = await openRetryCache();
    if (!cache) return;
    const puts = [];
    for (const [href, entry] of this.entries) {
      if (!entry.chunks.length) continue;
      const headers = { "content-type": entry.type || "application/octet-stream" };
      if (!entry.done) {
        if (!entry.validator) continue; // cannot be resumed safely
        headers[PARTIAL] = entry.validator;
      }
      puts.push(cache.put(href, new Response(new Blob(entry.chunks), { headers })).catch(() => {}));
    }
    await Promise.all(puts);
  }

  /** After a successful load: the kept bodies are no longer needed, in memory or in the retry cache. */
  async release() {
    for (const entry of this.entries.values()) entry.chunks = [];
    await clearRetryCaches();
  }

  /**
   * The file's response (its body counted and kept). A file to be downloaded `later` waits for the others:
   * on a phone network the files share the bandwidth, so the wheels (0.6 MB), downloaded beside the Wasm
   * and the stdlib zip, delayed those two, and Python boots only once both have arrived; after them, the
   * wheels arrive while Python boots, before the import needs them.
   */
  async download(href, entry) {
    const cache = await openRetryCache(false);
    const kept = cache ? await cache.match(href).catch(() => undefined) : undefined;
    // Right when the last byte of the others is read (not after one more task: by then Python may be
    // booting, and this thread busy until it has booted).
    if (this.later.has(href) && !kept) await this.firstArrived();
    entry.started = true;
    this.lastByteAt = performance.now();
    if (kept && !kept.headers.has(PARTIAL)) return this.arrivedWhole(entry, kept);
    const { response, prefix } = kept ? await this.resume(href, entry, kept) : {};
    const fresh = response ?? (await nativeFetch(href, { signal: entry.abort.signal }));
    if (!fresh.ok || !fresh.body) return fresh;
    this.describe(entry, fresh, prefix);
    return new Response(this.counted(entry, fresh.body, prefix), {
      status: 200,
      headers: { "content-type": entry.type },
    });
  }

  /** A file that arrived whole before a stall: nothing to download, nothing to pay. */
  async arrivedWhole(entry, kept) {
    const body = await kept.arrayBuffer();
    entry.received = body.byteLength;
    entry.chunks = [new Uint8Array(body)];
    entry.type = kept.headers.get("content-type");
    entry.wire = 0;
    this.arrived(entry);
    this.lastByteAt = performance.now();
    return new Response(body, { headers: { "content-type": entry.type } });
  }

  /**
   * The rest of a partial file with a Range request, when the rest of the plain file costs less than the
   * whole compressed copy. {response, prefix} for a 206; {response} for a 200 (the whole plain file: the
   * validator no longer matched); {} when the file is to be fetched again whole.
   */
  async resume(href, entry, kept) {
    const prefix = new Uint8Array(await kept.arrayBuffer());
    entry.validator = kept.headers.get(PARTIAL);
    const rest = entry.sizes.size - prefix.byteLength;
    const whole = Math.min(entry.sizes.br ?? Infinity, entry.sizes.gzip ?? Infinity, entry.sizes.size);
    if (rest >= whole) return {};
    const response = await nativeFetch(href, {
      headers: { Range: `bytes=${prefix.byteLength}-`, "If-Range": entry.validator },
      signal: entry.abort.signal,
    });
    if (response.status === 200) return { response };
    if (response.status !== 206) return {};
    entry.wire = rest; // a range is sent plain
    entry.base = prefix.byteLength;
    return { response, prefix };
  }

  /** What a response says about its file: which copy was sent, its type and validator. */
  describe(entry, response, prefix) {
    entry.type = response.headers.get("content-type") || "application/octet-stream";
    if (prefix) return; // a resumed file keeps the size and validator it started with
    const encoding = response.headers.get("content-encoding");
    const length = Number(response.headers.get("content-length")) || 0;
    entry.wire = (encoding ? entry.sizes[encoding] : entry.sizes.size) ?? (length || entry.wire);
    entry.received = 0;
    entry.chunks = [];
    // A range is always of the plain file. Its ETag validates a range when the plain file was sent; when a
    // compressed copy was sent, its ETag names that copy, and the date (the plain file's) is used instead.
    const etag = response.headers.get("etag");
    const date = response.headers.get("last-modified");
    entry.validator = !encoding && etag && !etag.startsWith("W/") ? etag : date;
  }

  /** The body, counted chunk by chunk (and kept for a retry), after the kept prefix of a resumed file. */
  counted(entry, body, prefix) {
    const reader = body.getReader();
    const downloads = this;
    if (prefix) {
      entry.chunks = [prefix];
      entry.received = prefix.byteLength;
    }
    let sentPrefix = !prefix;
    return new ReadableStream({
      async pull(controller) {
        if (!sentPrefix) {
          sentPrefix = true;
          controller.enqueue(prefix);
          return;
        }
        try {
          const { done, value } = await reader.read();
          if (done) {
            downloads.arrived(entry);
            controller.close();
            return;
          }
          entry.received += value.byteLength;
          entry.chunks.push(value);
          downloads.lastByteAt = performance.now();
          controller.enqueue(value);
          // The last byte: arrived, without waiting for its reader to ask for the end of the stream.
          if (entry.received >= entry.sizes.size) downloads.arrived(entry);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel(reason) {
        reader.cancel(reason);
      },
    });
  }
}

/** The retry cache; with create=false, null unless a stalled load made it (a first visit creates none). */
async function openRetryCache(create = true) {
  try {
    if (!create && !(await caches.has(RETRY_CACHE))) return null;
    return await caches.open(RETRY_CACHE);
  } catch {
    return null; // no Cache Storage (an opaque origin, storage blocked): a retry downloads again
  }
}

/** Deletes the retry caches of every build (they only matter between a stall and its retry). */
export async function clearRetryCaches() {
  try {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(RETRY_PREFIX)).map((n) => caches.delete(n)));
  } catch {
    /* nothing to clear */
  }
}
