// mikiwame service worker: the whole app (pages, engine, Pyodide, wheels) works offline after one visit.
// build.py replaces the two placeholders: the version (a hash of every precached file) and the list of
// site-relative URLs to precache. Each version has its own cache, filled completely before it is used,
// so a page never mixes files of two versions. Cross-origin requests are never touched.

// The share target and the image reader's offline files (their fetch handler must run before ours).
importScripts("./sw-intake.js");

const VERSION = "__MIKIWAME_VERSION__";
const PRECACHE = __MIKIWAME_PRECACHE__;
const PREFIX = "mikiwame-";
const CACHE = `${PREFIX}${VERSION}`;
const SCOPE = new URL("./", self.location).href;
// The engine's start-up snapshot, gzip-compressed on the server; kept inflated here (see keepInflated).
const SNAPSHOT = new URL("./pyodide/snapshot.bin.gz", SCOPE).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        // "no-cache": revalidate every file with the server (a 304 when the page just loaded it), so the
        // cache holds exactly this version without downloading Pyodide a second time.
        await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "no-cache" })));
        // An optimisation only: a snapshot that does not inflate is dropped (the engine then boots Python).
        await keepInflated(cache, SNAPSHOT).catch(() => cache.delete(SNAPSHOT));
      } catch (err) {
        // All or nothing: a half-filled cache must not survive to be used later.
        await caches.delete(CACHE);
        throw err;
      }
    })(),
  );
});

// The start-up snapshot is only ever used from this cache (a first visit boots without it: README "First
// visit"). Inflating it here, once, saves every later visit from inflating 5 MB of gzip before Python can
// start; the worker reads the header to tell which form it got.
async function keepInflated(cache, url) {
  const stored = await cache.match(url);
  if (!stored || stored.headers.get("x-mikiwame-inflated") === "1") return;
  const inflated = await new Response(stored.body.pipeThrough(new DecompressionStream("gzip"))).blob();
  await cache.put(url, new Response(inflated, {
    headers: { "content-type": "application/octet-stream", "x-mikiwame-inflated": "1" },
  }));
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  event.respondWith(respond(req, url));
});

// This version's cache, opened once per service-worker start, not once per request (with the engine's
// modules asked for at once by engine-worker.js: pooled A/B of 24 first return visits in a new tab each,
// load 5-7, 621 -> 582 ms median; the same tab even, 496 vs 505 ms).
let opened = null;
function ownCache() {
  opened ??= caches.open(CACHE).catch((error) => {
    opened = null;
    throw error;
  });
  return opened;
}

async function respond(req, url) {
  // Query strings are never used by the app; fragments never reach the service worker.
  const key = new URL(url.pathname, url.origin);
  if (key.href === SCOPE) key.pathname += "index.html";
  let hit = null;
  try {
    hit = await (await ownCache()).match(key.href);
  } catch {
    opened = null; // Cache Storage refused (storage cleared under us): the network answers, as with a miss
  }
  if (hit) return hit;
  return fetch(req);
}
