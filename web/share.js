// Page side of the Web Share Target: text or an image shared from another app (see sw-intake.js).
// The service worker answered the share's POST and sent the browser here with #share=<id>; the data
// itself waits in the service worker's memory and is taken with one message. The fragment is removed at
// once so that a reload or a bookmark does not ask again.

const SHARE_HASH = /^#share=([0-9a-f-]{8,64})$/i;
const TAKE_TIMEOUT_MS = 10_000;

/** The id of a share waiting for this page, or null. */
export function pendingShareId(loc = location) {
  const m = SHARE_HASH.exec(loc.hash || "");
  return m ? m[1] : null;
}

/** The text to check from a share's fields: title, text and url, each once, in that order. */
export function sharedText({ title = "", text = "", url = "" } = {}) {
  const parts = [];
  for (const part of [title, text, url]) {
    const p = String(part || "").trim();
    if (p && !parts.some((q) => q.includes(p))) parts.push(p);
  }
  return parts.join("\n");
}

/** Take the shared data from the service worker: {title, text, url, image} or null if there is none. */
export async function takeShare(id) {
  history.replaceState(null, "", location.pathname + location.search);
  const controller = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!controller) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), TAKE_TIMEOUT_MS);
    channel.port1.onmessage = (ev) => {
      clearTimeout(timer);
      resolve(ev.data || null);
    };
    controller.postMessage({ type: "take-share", id }, [channel.port2]);
  });
}
