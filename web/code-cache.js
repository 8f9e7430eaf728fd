// Makes the service worker's copy of Pyodide's JavaScript leave its code cache behind (code-cache-worker.js
// says why), once, when a service worker first takes control of the page.

const LIMIT_MS = 15_000; // a worker that never answers is given up on: the next visit then compiles

/**
 * Resolves once a module worker has imported pyodide.asm.mjs through the service worker (or failed to,
 * or LIMIT_MS passed); never rejects. Resolves at once where there are no workers.
 */
export function warmCodeCache(url = "./code-cache-worker.js") {
  return new Promise((resolve) => {
    let worker;
    try {
      worker = new Worker(url, { type: "module" });
    } catch {
      resolve("failed");
      return;
    }
    const finish = (result) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => finish("timeout"), LIMIT_MS);
    worker.onmessage = (event) => finish(event.data === "done" ? "done" : "failed");
    worker.onerror = (event) => {
      event.preventDefault();
      finish("failed");
    };
  });
}
