// Service-worker registration and the "update available" prompt.
// <html data-sw="ready"> once a service worker controls the page (the app then works offline);
// <html data-update="ready"> when a new version is installed and waiting.

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
    html.dataset.sw = "ready";
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
