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

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        // "no-cache": revalidate every file with the server (a 304 when the page just loaded it), so the
        // cache holds exactly this version without downloading Pyodide a second time.
        await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "no-cache" })));
      } catch (err) {
        // All or nothing: a half-filled cache must not survive to be used later.
        await caches.delete(CACHE);
        throw err;
      }
    })(),
  );
});

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
