// Talks to the engine worker (web/engine-worker.js, protocol in docs/contracts.md §3).
// States: "loading" → "ready" | "error". Checks asked for before "ready" are queued and sent on "ready".
// The UI never waits on Python: every call returns a Promise.
//
// No fixed time limit: a slow network is not a failure. The worker ends a load whose downloads receive no
// byte for stallMs (a "fatal" with reason "stall"), and posts progress at least once a second meanwhile;
// a worker that says nothing at all for SILENCE_FACTOR × stallMs (at least MIN_SILENCE_MS) has hung.

const DEFAULT_STALL_MS = 20_000;
const SILENCE_FACTOR = 3;
const MIN_SILENCE_MS = 10_000;

/** The worker started by boot.js, once (a retry or respawn starts a fresh one). */
function takeBootWorker() {
  const boot = globalThis.mikiwameBoot;
  if (!boot) return null;
  globalThis.mikiwameBoot = undefined;
  return boot;
}

/** The worker's moments (web/phases.js) in ms since this page's navigation start, with "worker" = when
 * the worker was created; null when the worker sent none. */
function onPageTimeline(phases) {
  if (!phases || !Number.isFinite(phases.origin)) return null;
  const offset = phases.origin - performance.timeOrigin;
  const out = { worker: offset };
  for (const [name, ms] of Object.entries(phases.moments || {})) out[name] = offset + ms;
  return out;
}

export class Engine extends EventTarget {
  constructor({ url = "./engine-worker.js", stallMs = DEFAULT_STALL_MS } = {}) {
    super();
    this.url = url;
    this.stallMs = Number(stallMs) > 0 ? Number(stallMs) : DEFAULT_STALL_MS;
    this.silenceMs = Math.max(MIN_SILENCE_MS, SILENCE_FACTOR * this.stallMs);
    this.state = "loading";
    this.worker = null;
    this.nextId = 1;
    this.queue = []; // {id, text, lang, resolve, reject} not yet posted
    this.inflight = new Map(); // id -> {resolve, reject, mark}
    this.info = {};
    this.generation = 0;
  }

  start() {
    this.generation++;
    const gen = this.generation;
    this._setState("loading");
    this._armTimer(gen);
    const boot = takeBootWorker();
    let worker = boot && boot.worker;
    try {
      worker ||= new Worker(this.url, { type: "module" });
    } catch (e) {
      this._fail(String((e && e.message) || e));
      return;
    }
    this.worker = worker;
    if (this.stallMs !== DEFAULT_STALL_MS) worker.postMessage({ type: "config", stallMs: this.stallMs });
    worker.addEventListener("message", (ev) => {
      if (gen !== this.generation) return;
      if (this.state === "loading") this._armTimer(gen);
      this._onMessage(ev.data || {});
    });
    worker.addEventListener("error", (ev) => {
      if (gen !== this.generation) return;
      ev.preventDefault?.();
      this._fail((ev && ev.message) || "worker error");
    });
    worker.addEventListener("messageerror", () => {
      if (gen === this.generation) this._fail("messageerror");
    });
    if (boot) {
      // What the worker started by boot.js said before this Engine listened.
      worker.onmessage = worker.onerror = null;
      for (const ev of boot.early) {
        if (gen !== this.generation) break;
        if (ev.kind === "message") this._onMessage(ev.data || {});
        else this._fail(ev.message);
      }
    }
  }

  /** A loading worker that says nothing for silenceMs has hung: fail it (the page offers a retry). */
  _armTimer(gen) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (gen === this.generation && this.state === "loading") this._fail("timeout");
    }, this.silenceMs);
  }

  /** Terminate the worker and start a fresh one (used for retry and after very large inputs). */
  respawn() {
    this._stopWorker();
    // Checks already posted to the old worker will never be answered: send them again.
    for (const [id, job] of this.inflight) this.queue.unshift({ id, ...job });
    this.inflight.clear();
    this.start();
  }

  /** Check `text` in `lang` (or a file's `bytes`, a Uint8Array). Resolves with {report, ms}; rejects with an
   * Error on failure. */
  check(text, lang, bytes = null) {
    return new Promise((resolve, reject) => {
      const job = { id: this.nextId++, text, lang, bytes, resolve, reject };
      if (this.state === "ready") this._post(job);
      else {
        this.queue.push(job);
        if (this.state === "error") this.dispatchEvent(new CustomEvent("queued"));
      }
    });
  }

  /** Forget queued checks that were not sent yet (they reject with a "cancelled" error). */
  cancelQueued() {
    for (const job of this.queue.splice(0)) job.reject(Object.assign(new Error("cancelled"), { cancelled: true }));
  }

  _post(job) {
    const mark = `mikiwame-check-start-${job.id}`;
    performance.mark(mark);
    this.inflight.set(job.id, { text: job.text, lang: job.lang, bytes: job.bytes, resolve: job.resolve, reject: job.reject, mark });
    const message = { type: "check", id: job.id, text: job.text, lang: job.lang };
    if (job.bytes) message.bytes = job.bytes;
    this.worker.postMessage(message);
  }

  _onMessage(msg) {
    switch (msg.type) {
      case "progress": {
        const detail = { stage: msg.stage, pct: Number(msg.pct) || 0 };
        if (Number(msg.total) > 0) Object.assign(detail, { received: Number(msg.received) || 0, total: Number(msg.total) });
        this.dispatchEvent(new CustomEvent("progress", { detail }));
        break;
      }
      case "ready": {
        clearTimeout(this.timer);
        this.info = { ms: msg.ms, dataVersion: msg.dataVersion, engineVersion: msg.engineVersion };
        performance.mark("mikiwame-engine-ready", {
          detail: {
            worker: msg.ms, stages: msg.stages, boot: msg.boot, received: msg.received, total: msg.total,
            phases: onPageTimeline(msg.phases),
          },
        });
        this._setState("ready");
        for (const job of this.queue.splice(0)) this._post(job);
        break;
      }
      case "result":
      case "error": {
        const job = this.inflight.get(msg.id);
        if (!job) return;
        this.inflight.delete(msg.id);
        try {
          performance.measure("mikiwame-check", job.mark);
        } catch {
          /* the mark may have been cleared by the page */
        }
        performance.clearMarks(job.mark);
        if (msg.type === "result") job.resolve({ report: msg.report, ms: msg.ms });
        else job.reject(new Error(msg.message || "check failed"));
        break;
      }
      case "fatal":
        this._fail(msg.message || "fatal", msg.reason);
        break;
      default:
        break;
    }
  }

  _fail(message, reason = message === "timeout" ? "timeout" : undefined) {
    clearTimeout(this.timer);
    this._stopWorker();
    // Posted checks are lost with the worker; queue them again so a retry answers them.
    for (const [id, job] of this.inflight) this.queue.unshift({ id, ...job });
    this.inflight.clear();
    this.lastError = message;
    this.lastReason = reason;
    this._setState("error", { message, reason });
  }

  _stopWorker() {
    this.generation++;
    if (this.worker) {
      this.worker.terminate();
      this.worker = null;
    }
  }

  _setState(state, detail = {}) {
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: { state, ...detail } }));
  }
}
