// mikiwame page logic: used by index.html and (compact layout) embed.html.
// The pasted text stays in memory only: it is never stored, logged or sent over the network.

import { applyStatic, getLang, initialLang, rememberLang, setLang, t } from "./i18n.js";
import { Engine } from "./engine.js";
import { codePointLength } from "./offsets.js";
import { el, markLang, plainSummary, renderResult, siteName } from "./render.js";
import { registerServiceWorker } from "./pwa.js";
import { setupFileIntake } from "./intake-file.js";
import { initIntake } from "./intake.js";

const MAX_CHARS = 10_000; // mikiwame.MAX_CHARS: the engine checks this many code points
const RESPAWN_AFTER_CHARS = 100_000; // after a check this large, start a fresh worker (Wasm memory never shrinks)

const html = document.documentElement;
const isEmbed = html.dataset.layout === "embed";
const $ = (id) => document.getElementById(id);

const ui = {
  input: $("message"),
  inputStatus: $("input-status"),
  check: $("check-btn"),
  clear: $("clear-btn"),
  checkStatus: $("check-status"),
  langBtn: $("lang-btn"),
  engineBox: $("engine-status"),
  progress: $("engine-progress"),
  engineMsg: $("engine-msg"),
  errorBox: $("engine-error"),
  errorMsg: $("engine-error-msg"),
  errorDetail: $("engine-error-detail"),
  retry: $("retry-btn"),
  result: $("result"),
  examples: $("examples-list"),
  update: $("update-banner"),
  updateBtn: $("update-btn"),
};

const state = {
  seq: 0, // the latest check asked for; older answers are ignored
  lastText: null, // the text whose result is on screen (memory only)
  lastReport: null,
  checking: null, // message key of the check status line, or null
  engineStage: null,
  bytes: null, // {received, total} of the engine's downloads, bytes on the wire
  engineError: null,
  examples: [],
};

/* ---------- options (embed: from the URL fragment, never the query string) ---------- */

function fragmentOptions() {
  const p = new URLSearchParams(location.hash.replace(/^#/, ""));
  const o = {};
  const lang = p.get("lang");
  if (lang === "ja" || lang === "en") o.lang = lang;
  const theme = p.get("theme");
  if (theme === "dark" || theme === "light") o.theme = theme;
  const text = p.get("text");
  if (text) o.text = text.slice(0, 200_000);
  const parent = p.get("parent");
  if (parent) {
    try {
      const u = new URL(parent);
      if ((u.protocol === "https:" || u.protocol === "http:") && u.origin === parent) o.parent = parent;
    } catch {
      /* not an origin: ignore */
    }
  }
  return o;
}

const options = isEmbed ? fragmentOptions() : {};

/* ---------- engine ---------- */

// window.mikiwameStallMs: tests shorten the stall time (README "Stable test hooks").
const engine = new Engine({ stallMs: window.mikiwameStallMs });

engine.addEventListener("state", (ev) => {
  const { state: s, message } = ev.detail;
  html.dataset.engine = s;
  if (s === "error") state.engineError = { stall: "engine.stalled", timeout: "engine.timeout" }[ev.detail.reason] ?? null;
  if (s === "loading") {
    state.engineStage = null;
    state.bytes = null;
  }
  renderEngineStatus();
  if (s === "error" && state.checking) setCheckStatus(null);
  if (s === "ready" && state.checking === "engine.queued") setCheckStatus("engine.checking");
});

engine.addEventListener("progress", (ev) => {
  const { stage, pct, received, total } = ev.detail;
  state.engineStage = stage;
  if (total > 0) {
    // One bar for every file the engine needs, in bytes on the wire.
    state.bytes = { received: Math.min(received, total), total };
    ui.progress.max = total;
    ui.progress.value = stage === "download" ? state.bytes.received : total;
  } else {
    ui.progress.max = 100;
    ui.progress.value = Math.max(0, Math.min(100, pct));
  }
  renderEngineStatus();
});

const megabytes = (n) => (n / 1e6).toFixed(1);

function renderEngineStatus() {
  const s = engine.state;
  ui.engineBox.hidden = s === "ready";
  ui.errorBox.hidden = s !== "error";
  ui.progress.hidden = s !== "loading";
  if (s === "loading") {
    const key = state.engineStage ? `engine.stage.${state.engineStage}` : "engine.loading";
    if (state.engineStage === "download" && state.bytes) {
      const { received, total } = state.bytes;
      ui.engineMsg.textContent = t("engine.progress", { got: megabytes(received), total: megabytes(total) });
    } else {
      ui.engineMsg.textContent = t(key) === key ? t("engine.loading") : `${t(key)}…`;
    }
    if (!state.engineStage) ui.progress.removeAttribute("value");
  } else if (s === "error") {
    ui.engineMsg.textContent = "";
    ui.errorMsg.textContent = state.engineError ? `${t(state.engineError)} ${t("engine.error")}` : t("engine.error");
    renderErrorDetail(engine.lastError && !engine.lastReason ? engine.lastError : "");
  }
}

/** The technical line under a load failure: a label in the page's language, then the browser's or
 * Pyodide's own message (English, marked lang="en"), without the worker's English preamble. */
function renderErrorDetail(raw) {
  const detail = String(raw || "").replace(/^mikiwame's engine could not load:\s*/i, "").trim();
  ui.errorDetail.replaceChildren();
  ui.errorDetail.hidden = !detail;
  if (!detail) return;
  ui.errorDetail.append(`${t("engine.errorDetail")}: `, el("span", { text: detail, attrs: { lang: "en" } }));
}

ui.retry.addEventListener("click", () => {
  engine.respawn();
  ui.input.focus();
});

/* ---------- input ---------- */

function updateInputStatus() {
  const v = ui.input.value;
  // Cheap test first: a string of at most MAX_CHARS UTF-16 units has at most MAX_CHARS code points.
  const n = v.length > MAX_CHARS ? codePointLength(v) : v.length;
  if (n > MAX_CHARS) {
    ui.inputStatus.textContent = t("input.tooLong", { max: MAX_CHARS.toLocaleString(), n: n.toLocaleString() });
    ui.inputStatus.hidden = false;
    ui.inputStatus.classList.add("warn");
  } else {
    ui.inputStatus.textContent = "";
    ui.inputStatus.hidden = true;
    ui.inputStatus.classList.remove("warn");
  }
}

ui.input.addEventListener("input", () => {
  updateInputStatus();
  if (state.checking === "input.empty" && ui.input.value.trim()) setCheckStatus(null);
});

function setCheckStatus(key, kind = "info") {
  state.checking = key;
  ui.checkStatus.textContent = key ? t(key) : "";
  ui.checkStatus.dataset.kind = key ? kind : "";
  ui.checkStatus.hidden = !key;
}

function clearResult() {
  state.lastText = null;
  state.lastReport = null;
  ui.result.replaceChildren();
  delete ui.result.dataset.verdict;
}

/** Check `text` (or a file's `bytes`) with the current language. Returns when the result is shown (or the
 * check failed). */
async function runCheck(text, { focusResult = true, bytes = null } = {}) {
  const seq = ++state.seq;
  engine.cancelQueued();
  if (!bytes && !text.trim()) {
    clearResult();
    setCheckStatus("input.empty", "hint");
    return;
  }
  setCheckStatus(engine.state === "ready" ? "engine.checking" : "engine.queued");
  const lang = getLang();
  let answer;
  try {
    answer = await engine.check(text, lang, bytes);
  } catch (err) {
    if (err && err.cancelled) return;
    if (seq === state.seq) setCheckStatus("check.error", "error");
    return;
  } finally {
    if (text.length > RESPAWN_AFTER_CHARS && answer) engine.respawn();
  }
  if (seq !== state.seq) return;
  setCheckStatus(null);
  // An e-mail's evidence indexes the text the engine read from it (header lines and body), not its source.
  state.lastText = answer.report.email ? answer.report.email.text : text;
  state.lastReport = answer.report;
  showReport();
  if (focusResult && !isEmbed) {
    // Focus stays where it is (the live region announces the verdict); the result is scrolled into view.
    ui.result.scrollIntoView({ block: "start", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  }
}

function showReport() {
  if (!state.lastReport) return;
  renderResult(ui.result, state.lastReport, state.lastText, { maxChars: MAX_CHARS, onCopy: copyResult });
}

ui.check.addEventListener("click", () => runCheck(ui.input.value));
setupFileIntake({
  input: $("file-input"),
  dropZone: ui.input,
  onFile: async ({ name, bytes }) => {
    await runCheck("", { bytes });
    if (state.lastReport) {
      ui.inputStatus.textContent = t("file.checked", { name });
      ui.inputStatus.hidden = false;
    }
  },
  onError: (key) => setCheckStatus(key, "error"),
});
ui.input.addEventListener("keydown", (ev) => {
  // Ctrl/Cmd+Enter checks, plain Enter still makes a new line.
  if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
    ev.preventDefault();
    runCheck(ui.input.value);
  }
});
ui.clear.addEventListener("click", () => {
  ui.input.value = "";
  state.seq++;
  engine.cancelQueued();
  setCheckStatus(null);
  updateInputStatus();
  clearResult();
  ui.input.focus();
});

/* ---------- copy ---------- */

async function copyResult(button) {
  if (!state.lastReport) return;
  const text = plainSummary(state.lastReport);
  const status = $("copy-status");
  let ok = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      ok = true;
    }
  } catch {
    ok = false;
  }
  if (!ok) {
    const ta = el("textarea", { cls: "copy-buffer", attrs: { readonly: "", "aria-hidden": "true", tabindex: "-1" } });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    ta.remove();
    button.focus();
  }
  if (status) status.textContent = t(ok ? "btn.copied" : "btn.copyFailed");
}

/* ---------- examples ---------- */

function renderExamples() {
  if (!ui.examples) return;
  const lang = getLang();
  ui.examples.replaceChildren(
    ...state.examples.map((ex) => {
      const li = el("li", { cls: "example" });
      const label = (ex.label && (ex.label[lang] || ex.label.ja)) || ex.id;
      const btn = markLang(el("button", { cls: "btn btn-example", text: label, attrs: { type: "button", "data-example": ex.id } }), label);
      btn.addEventListener("click", () => {
        ui.input.value = ex.text;
        updateInputStatus();
        runCheck(ex.text);
      });
      li.append(btn);
      const preview = markLang(el("span", { cls: "example-text", text: ex.text }), ex.text);
      li.append(preview);
      if (ex.source) {
        try {
          const u = new URL(ex.source);
          if (u.protocol === "https:" || u.protocol === "http:") {
            const src = el("span", { cls: "example-source" });
            src.append(`${t("examples.source")}: `, el("a", { text: siteName(u.href), attrs: { href: u.href, title: u.href, target: "_blank", rel: "noopener noreferrer" } }));
            li.append(src);
          }
        } catch {
          /* no valid source: show none */
        }
      }
      return li;
    }),
  );
}

async function loadExamples() {
  if (!ui.examples) return;
  try {
    const res = await fetch("./examples.json");
    const data = await res.json();
    state.examples = Array.isArray(data.examples) ? data.examples : [];
  } catch {
    state.examples = [];
  }
  renderExamples();
}

/* ---------- language ---------- */

function applyLanguage(lang) {
  setLang(lang);
  applyStatic();
  ui.langBtn.setAttribute("lang", getLang() === "ja" ? "en" : "ja");
  updateInputStatus();
  renderEngineStatus();
  if (state.checking) setCheckStatus(state.checking, ui.checkStatus.dataset.kind || "info");
  renderExamples();
}

ui.langBtn.addEventListener("click", () => {
  applyLanguage(getLang() === "ja" ? "en" : "ja");
  rememberLang(getLang());
  // The findings come from the engine in the chosen language: check the same text again.
  if (state.lastText !== null) {
    showReport(); // UI strings at once, engine texts when the new result arrives
    runCheck(state.lastText, { focusResult: false });
  }
});

/* ---------- update prompt ---------- */

// Registered once the engine is ready, never during the first load: the service worker's precache would
// otherwise download all of Pyodide a second time while the page is still fetching it.
let swRegistered = false;
function registerOnce() {
  if (swRegistered) return;
  swRegistered = true;
  registerServiceWorker({
    onUpdate(apply) {
      ui.update.hidden = false;
      ui.updateBtn.onclick = () => {
        ui.updateBtn.disabled = true;
        apply();
      };
    },
  });
}
if (engine.state === "ready") registerOnce();
engine.addEventListener("state", (ev) => {
  if (ev.detail.state === "ready") registerOnce();
});

/* ---------- embed: report our height to the host page (only the number, never the text) ---------- */

function startHeightReports() {
  if (window.parent === window) return;
  const target = options.parent || "*";
  let last = -1;
  const post = () => {
    const h = Math.ceil(document.body.getBoundingClientRect().height);
    if (h === last) return;
    last = h;
    window.parent.postMessage({ type: "mikiwame:height", height: h }, target);
  };
  new ResizeObserver(post).observe(document.body);
  post();
}

/* ---------- paste button, images, shares (intake.js) ---------- */

const intake = initIntake({
  input: ui.input,
  isEmbed,
  fill(text) {
    ui.input.value = text;
    updateInputStatus();
  },
  check: (text) => runCheck(text),
});
ui.langBtn.addEventListener("click", () => intake.relabel());

/* ---------- start ---------- */

if (options.theme) html.dataset.theme = options.theme;
applyLanguage(options.lang || initialLang());
html.dataset.engine = "loading";
engine.start(); // adopts the worker boot.js started during parsing
renderEngineStatus();
loadExamples();
if (isEmbed) {
  startHeightReports();
  if (options.text) {
    ui.input.value = options.text;
    updateInputStatus();
    runCheck(options.text, { focusResult: false });
  }
}
