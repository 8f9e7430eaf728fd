// The engine worker's downloads (web/downloads.js, as built into DIST) under Node, against build.py's server.
//
//   node tests/downloads_node.mjs DIST BASE_URL      prints one JSON object of results (tests/test_downloads.py)
//
// Node has fetch, Response and streams; Cache Storage is replaced by a small in-memory one, and the worker's
// `self.location` by BASE_URL. Every request is logged with its Range header.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist, base] = process.argv.slice(2);

class MemoryCache {
  constructor() {
    this.entries = new Map();
  }
  async match(url) {
    const hit = this.entries.get(String(url));
    return hit ? new Response(hit.body.slice(0), { headers: hit.headers }) : undefined;
  }
  async put(url, response) {
    this.entries.set(String(url), { body: await response.arrayBuffer(), headers: [...response.headers] });
  }
}
const stores = new Map();
globalThis.caches = {
  async has(name) {
    return stores.has(name);
  },
  async open(name) {
    if (!stores.has(name)) stores.set(name, new MemoryCache());
    return stores.get(name);
  },
  async keys() {
    return [...stores.keys()];
  },
  async delete(name) {
    return stores.delete(name);
  },
};
globalThis.self = { location: { href: base } };
const requests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init = {}) => {
  const headers = new Headers(init.headers || {});
  const record = { url: String(input), range: headers.get("range") };
  requests.push(record);
  const response = await realFetch(input, init);
  Object.assign(record, { status: response.status, encoding: response.headers.get("content-encoding") });
  return response;
};

const { Downloads } = await import(pathToFileURL(path.join(dist, "downloads.js")).href);
const { FILES } = await import(pathToFileURL(path.join(dist, "engine-files.js")).href);
const STDLIB = "pyodide/python_stdlib.zip";
const plain = readFileSync(path.join(dist, STDLIB));
const sha = (bytes) => createHash("sha256").update(bytes).digest("hex");
const out = { sizes: FILES[STDLIB] };

/** Reads a download until `fraction` of the plain file arrived, then stalls it (abort + keep). */
async function stallAt(fraction) {
  const d = new Downloads(base, [STDLIB], 50);
  const reader = (await d.fetch(new URL(STDLIB, base).href)).body.getReader();
  let got = 0;
  while (got < plain.length * fraction) got += (await reader.read()).value.byteLength;
  await new Promise((r) => setTimeout(r, 120)); // nothing read for longer than stallMs
  const stalled = d.stalled();
  d.abortAll();
  await d.keep();
  // What arrived can be a chunk more than was read: the stream pulls ahead of its reader.
  const kept = [...d.entries.values()][0].received;
  return { got: kept, read: got, stalled };
}

async function fetchAll(d) {
  const before = requests.length;
  const body = new Uint8Array(await (await d.fetch(new URL(STDLIB, base).href)).arrayBuffer());
  return { sha: sha(body), requests: requests.slice(before), progress: d.progress() };
}

// A: a fresh download, counted in bytes on the wire of the copy the server sent.
const fresh = new Downloads(base, [STDLIB]);
out.before = fresh.progress();
out.fresh = await fetchAll(fresh);
out.fresh.stalled = fresh.stalled();
await fresh.release();

// B: stalled near the end: the retry resumes with a Range request for the rest.
out.late = await stallAt(0.9);
out.lateRetry = await fetchAll(new Downloads(base, [STDLIB]));
await new Downloads(base, []).release();

// C: stalled early: the rest of the plain file is larger than the whole brotli copy, so it is fetched again.
out.early = await stallAt(0.1);
out.earlyRetry = await fetchAll(new Downloads(base, [STDLIB]));

// D: a file that arrived whole is taken from the retry cache, with no request at all.
const whole = new Downloads(base, [STDLIB]);
await fetchAll(whole);
whole.abortAll();
await whole.keep();
out.wholeRetry = await fetchAll(new Downloads(base, [STDLIB]));
await whole.release();
out.cachesAfterRelease = await caches.keys();

// E: a file downloaded `later` (a wheel) is requested only once the others (the stdlib) have arrived whole.
const WHEEL = Object.keys(FILES).find((name) => name.endsWith(".whl"));
const ordered = new Downloads(base, [STDLIB, WHEEL], 20_000, [WHEEL]);
const firstRequest = requests.length;
const wheelBody = ordered.fetch(new URL(WHEEL, base).href).then((r) => r.arrayBuffer());
await new Promise((r) => setTimeout(r, 50));
const requestedEarly = requests.slice(firstRequest).map((r) => r.url.split("/").pop());
const stdlibRead = await fetchAll(ordered);
const wheelBytes = new Uint8Array(await wheelBody);
out.later = {
  requestedBeforeTheOthers: requestedEarly,
  order: requests.slice(firstRequest).map((r) => r.url.split("/").pop()),
  stdlibSha: stdlibRead.sha,
  wheelSha: sha(wheelBytes),
  wheelPlainSha: sha(readFileSync(path.join(dist, WHEEL))),
  stalled: ordered.stalled(),
};
await ordered.release();
out.plainSha = sha(plain);
out.plainLength = plain.length;
process.stdout.write(JSON.stringify(out));
