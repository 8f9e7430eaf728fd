// Service-worker registration and the "update available" prompt.
// <html data-sw="ready"> once a service worker controls the page (the app then works offline) and, when it
// has just taken control for the first time, Pyodide's JavaScript has been compiled once from its cache
// (code-cache.js; <html data-code-cache="done|failed|timeout">), so the next visit starts warm;
// <html data-update="ready"> when a new version is installed and waiting.
import { warmCodeCache } from "./code-cache.js";

export function registerServiceWorker({ onUpdate } = {}) {
  if (!("serviceWorker" in navigator)) return;
  const html = document.documentElement;
  const sw = navigator.serviceWorker;
  let reloading = false;
  let applying = false;

  let controlled = Boolean(sw.controller);
  if (controlled) html.dataset.sw = "ready";

  sw.addEventListener("controllerchange", () => {
    if (applying) {
      if (!reloading) {
        reloading = true;
        location.reload();
      }
      return;
    }
    if (!controlled) {
      // First control: the next visit is served from this cache; leave the code cache in it first.
      warmCodeCache().then((result) => {
        html.dataset.codeCache = result;
        html.dataset.sw = "ready";
      });
    } else {
      html.dataset.sw = "ready";
    }
    if (controlled) {
      // Another tab applied an update: this page still runs the old files, so offer a reload
      // rather than letting it load the rest from the new version.
      html.dataset.update = "ready";
      onUpdate?.(() => location.reload());
    }
    controlled = true;
  });

  const offer = (waiting) => {
    if (!waiting || !sw.controller) return; // first install: nothing to update from
    html.dataset.update = "ready";
    onUpdate?.(() => {
      applying = true;
      waiting.postMessage({ type: "skip-waiting" });
    });
  };

  const track = (worker) => {
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
    });
  };

  sw.register("./sw.js", { updateViaCache: "none" })
    .then((reg) => {
      if (reg.waiting) offer(reg.waiting);
      track(reg.installing);
      reg.addEventListener("updatefound", () => track(reg.installing));
      // A long-lived tab also looks for updates now and then.
      setInterval(() => reg.update().catch(() => {}), 60 * 60 * 1000);
    })
    .catch(() => {
      html.dataset.sw = "unavailable";
    });
}
