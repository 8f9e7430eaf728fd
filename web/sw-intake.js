// Service-worker part of the page's intake (imported by sw.js with importScripts, before its own fetch
// handler): the Web Share Target and the offline copy of the image reader's files.
//
// 1. Share target (manifest.webmanifest `share_target`): the phone's share sheet POSTs title, text, url
//    and an image to ./share-target as multipart/form-data. That POST is answered here and never reaches
//    the server: the shared data is kept in this worker's memory only, the browser is sent to the page
//    with a 303 (./#share=<id>; a fragment is never sent to a server), and the page takes the data with
//    a message (web/share.js). Nothing is written to any storage. Unclaimed data is dropped after
//    SHARE_TTL_MS.
// 2. OCR files (./ocr/…, built by build_ocr.py): never precached, so a visit that reads no image downloads
//    none of them. Once fetched they are kept in a cache of their own, named by their content hash, which
//    outlives app updates (the app's own caches are "mikiwame-<version>") and is replaced when they change.

const INTAKE_SCOPE = new URL("./", self.location).href;
const SHARE_ACTION = new URL("./share-target", self.location).href;
const OCR_URL_PREFIX = new URL("./ocr/", self.location).href;
const OCR_CACHE_PREFIX = "ocr-mikiwame-";
const OCR_CACHE = `${OCR_CACHE_PREFIX}__MIKIWAME_OCR_VERSION__`;
const SHARE_TTL_MS = 120_000;
const SHARE_MAX_TEXT = 200_000; // characters per field: more than a message, less than a memory problem
const SHARE_MAX_IMAGE = 25 * 1024 * 1024;

const pendingShares = new Map(); // id -> {payload, taken()}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = req.url.split(/[?#]/)[0];
  if (req.method === "POST" && url === SHARE_ACTION) {
    event.respondWith(receiveShare(event));
    event.stopImmediatePropagation(); // sw.js's handler must not answer it too
  } else if (req.method === "GET" && url.startsWith(OCR_URL_PREFIX)) {
    event.respondWith(ocrFile(event));
    event.stopImmediatePropagation();
  }
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(names.filter((n) => n.startsWith(OCR_CACHE_PREFIX) && n !== OCR_CACHE).map((n) => caches.delete(n))),
    ),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data;
  if (data && data.type === "keep-ocr" && Array.isArray(data.urls)) event.waitUntil(keepOcrFiles(data.urls));
  if (!data || data.type !== "take-share" || !event.ports[0]) return;
  const entry = pendingShares.get(String(data.id));
  pendingShares.delete(String(data.id));
  event.ports[0].postMessage(entry ? entry.payload : null);
  if (entry) entry.taken();
});

function field(form, name) {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, SHARE_MAX_TEXT) : "";
}

/** The shared title, text, url and first image, from the POSTed form (an empty payload if unreadable). */
async function sharedPayload(request) {
  try {
    const form = await request.formData();
    const images = form
      .getAll("image")
      .filter((f) => typeof f !== "string" && /^image\//.test(f.type) && f.size > 0 && f.size <= SHARE_MAX_IMAGE);
    return { title: field(form, "title"), text: field(form, "text"), url: field(form, "url"), image: images[0] || null };
  } catch {
    return { title: "", text: "", url: "", image: null, error: "unreadable" };
  }
}

async function receiveShare(event) {
  const payload = await sharedPayload(event.request);
  const id = crypto.randomUUID();
  let taken;
  const claimed = new Promise((resolve) => (taken = resolve));
  pendingShares.set(id, { payload, taken });
  // Keep this worker alive (and the data in memory) until the page has taken it, or for SHARE_TTL_MS.
  event.waitUntil(
    Promise.race([claimed, new Promise((resolve) => setTimeout(resolve, SHARE_TTL_MS))]).then(() => pendingShares.delete(id)),
  );
  return Response.redirect(`${INTAKE_SCOPE}#share=${id}`, 303);
}

/** Keep OCR files that the page fetched before this worker controlled it (the first visit's first image). */
async function keepOcrFiles(urls) {
  const cache = await caches.open(OCR_CACHE);
  for (const url of urls.map(String).filter((u) => u.startsWith(OCR_URL_PREFIX))) {
    const key = url.split(/[?#]/)[0];
    if (!(await cache.match(key))) await cache.add(key).catch(() => {});
  }
}

/** An OCR file from its cache, or from the network (then kept for offline use). */
async function ocrFile(event) {
  const key = event.request.url.split(/[?#]/)[0];
  const cache = await caches.open(OCR_CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.status === 200 && response.type === "basic") {
    // Stored while the page reads its own copy (tesseract.js reports the download's progress).
    event.waitUntil(cache.put(key, response.clone()).catch(() => {}));
  }
  return response;
}
