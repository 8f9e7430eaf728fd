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

async function respond(req, url) {
  const cache = await caches.open(CACHE);
  // Query strings are never used by the app; fragments never reach the service worker.
  const key = new URL(url.pathname, url.origin);
  if (key.href === SCOPE) key.pathname += "index.html";
  const hit = await cache.match(key.href);
  if (hit) return hit;
  return fetch(req);
}
