// Builds the result view from a report (docs/contracts.md §1) with DOM APIs only.
// User text is only ever placed with textContent / createTextNode: never innerHTML.
// Links found in the message are shown as text and are never clickable.

import { t } from "./i18n.js";
import { codePointToUtf16 } from "./offsets.js";

const VERDICTS = ["scam", "suspicious", "clean"];
const SHOWN_FINDINGS = 3; // findings shown at once; the others are behind "show more"

/** createElement with a class, text and attributes. */
export function el(tag, { cls, text, attrs } = {}, ...children) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  for (const c of children) if (c) e.append(c);
  return e;
}

/** Only http(s) links from the engine's own data become anchors (sources); anything else stays text. */
function safeHttpUrl(u) {
  if (typeof u !== "string") return null;
  try {
    const url = new URL(u);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function sourceLink(url, labelKey = "finding.source") {
  const href = safeHttpUrl(url);
  if (!href) return null;
  const p = el("p", { cls: "source" });
  p.append(`${t(labelKey)}: `);
  const a = el("a", { text: new URL(href).host + new URL(href).pathname.replace(/\/$/, ""), attrs: { href, target: "_blank", rel: "noopener noreferrer" } });
  p.append(a);
  return p;
}

export function verdictOf(report) {
  return VERDICTS.includes(report && report.verdict) ? report.verdict : "clean";
}

/** The score bar: a track with the score filled and the two thresholds marked. */
function scoreBar(report) {
  const th = report.thresholds || {};
  const suspicious = Number(th.suspicious ?? 30);
  const scam = Number(th.scam ?? 60);
  const score = Math.max(0, Number(report.score) || 0);
  const max = Math.max(100, Math.ceil(scam * 1.5), score);
  const pct = (v) => `${Math.min(100, Math.max(0, (v / max) * 100)).toFixed(2)}%`;

  const wrap = el("div", { cls: "score" });
  const id = "score-label";
  wrap.append(el("p", { cls: "score-label", attrs: { id } }, el("strong", { text: t("score.label") })));
  const value = el("p", { cls: "score-value", text: t("score.value", { score, suspicious, scam }) });
  const track = el("div", {
    cls: "score-track",
    attrs: { role: "meter", "aria-labelledby": id, "aria-valuemin": 0, "aria-valuemax": max, "aria-valuenow": score, "aria-valuetext": value.textContent },
  });
  const fill = el("div", { cls: `score-fill score-${verdictOf(report)}` });
  fill.style.width = pct(score);
  track.append(fill);
  for (const [key, v] of [["suspicious", suspicious], ["scam", scam]]) {
    const m = el("div", { cls: `score-mark score-mark-${key}`, attrs: { "aria-hidden": "true" } });
    m.style.left = pct(v);
    m.append(el("span", { text: `${t(`score.mark.${key}`)} ${v}` }));
    track.append(m);
  }
  wrap.append(track, value);
  return wrap;
}

function findingItem(f, index) {
  const li = el("li", { cls: `finding ${Number(f.weight) < 0 ? "finding-favour" : "finding-risk"}`, attrs: { id: `finding-${index}` } });
  const head = el("div", { cls: "finding-head" });
  head.append(el("span", { cls: "finding-num", text: index + 1, attrs: { "aria-hidden": "true" } }));
  head.append(el("h4", { cls: "finding-title", text: f.title || f.slug || f.id }));
  const w = Number(f.weight) || 0;
  head.append(el("span", { cls: "finding-weight", text: t("finding.points", { w: w > 0 ? `+${w}` : `${w}` }) }));
  li.append(head);
  if (f.message) li.append(el("p", { cls: "finding-message", text: f.message }));
  if (f.advice) {
    const p = el("p", { cls: "finding-advice" });
    p.append(el("strong", { text: `${t("finding.advice")} ` }), document.createTextNode(f.advice));
    li.append(p);
  }
  const src = sourceLink(f.source);
  if (src) li.append(src);
  return li;
}

/**
 * The pasted text with every finding's evidence in <mark>. Overlapping spans are merged; each mark names
 * the findings it belongs to. Only the analysed part (the first `limit` code points) is shown.
 */
export function highlightedText(text, findings, limit) {
  const toU16 = codePointToUtf16(text, limit + 1);
  const end = toU16(limit);
  const spans = [];
  findings.forEach((f, i) => {
    if (Number(f.weight) < 0) return;
    for (const ev of f.evidence || []) {
      const s = toU16(ev.start);
      const e = Math.min(toU16(ev.end), end);
      if (e > s) spans.push({ s, e, nums: [i + 1], titles: [f.title || f.id] });
    }
  });
  spans.sort((a, b) => a.s - b.s || b.e - a.e);
  const merged = [];
  for (const sp of spans) {
    const last = merged[merged.length - 1];
    if (last && sp.s < last.e) {
      last.e = Math.max(last.e, sp.e);
      for (const n of sp.nums) if (!last.nums.includes(n)) last.nums.push(n);
      for (const ti of sp.titles) if (!last.titles.includes(ti)) last.titles.push(ti);
    } else merged.push({ ...sp, nums: [...sp.nums], titles: [...sp.titles] });
  }
  const box = el("div", { cls: "message-text", attrs: { tabindex: "0" } });
  let pos = 0;
  for (const m of merged) {
    if (m.s > pos) box.append(document.createTextNode(text.slice(pos, m.s)));
    const mark = el("mark", { text: text.slice(m.s, m.e), attrs: { title: m.titles.join(" / ") } });
    const sup = el("sup", { cls: "mark-num", text: m.nums.join(","), attrs: { "aria-hidden": "true" } });
    box.append(mark, sup);
    pos = m.e;
  }
  if (end > pos) box.append(document.createTextNode(text.slice(pos, end)));
  if (end < text.length) box.append(el("span", { cls: "message-more", text: t("text.more") }));
  return box;
}

/** An e-mail's header facts (From, Reply-To, Return-Path, the topmost authentication results), as text. */
function headersList(headers) {
  const ul = el("ul", { cls: "entity-list" });
  for (const h of headers) {
    const field = ["from", "reply-to", "return-path", "authentication"].includes(h.field) ? h.field : "from";
    const li = el("li", { cls: `entity entity-header header-${field}` });
    li.append(el("span", { cls: "entity-type", text: t(`header.${field}`) }));
    li.append(el("span", { cls: "entity-text", text: h.text }));
    if (field !== "authentication" && h.brand) {
      const off = h.official === true ? "yes" : h.official === false ? "no" : "unknown";
      li.append(el("span", { cls: `entity-status status-${off}`, text: t(`entity.official.${off}`, { brand: h.brand }) }));
    }
    ul.append(li);
  }
  return ul;
}

function entitiesSection(entities) {
  const phones = entities.phones || [];
  const urls = entities.urls || [];
  const emails = entities.emails || [];
  const headers = entities.headers || [];
  if (!phones.length && !urls.length && !emails.length && !headers.length) return null;
  const sec = el("section", { cls: "entities", attrs: { "aria-labelledby": "entities-h" } });
  sec.append(el("h3", { text: t("entities.heading"), attrs: { id: "entities-h" } }));
  if (headers.length) {
    sec.append(el("h4", { text: t("entities.headers") }));
    sec.append(headersList(headers));
  }

  if (phones.length) {
    sec.append(el("h4", { text: t("entities.phones") }));
    const ul = el("ul", { cls: "entity-list" });
    for (const p of phones) {
      const known = ["scam", "official"].includes(p.known) ? p.known : "unknown";
      const li = el("li", { cls: `entity entity-phone known-${known}` });
      li.append(el("span", { cls: "entity-text", text: p.text || p.number }));
      if (p.type_label) li.append(el("span", { cls: "entity-type", text: p.type_label }));
      li.append(el("span", { cls: `entity-status status-${known}`, text: t(`entity.known.${known}`) }));
      const src = sourceLink(p.source, "entity.reported");
      if (src) li.append(src);
      ul.append(li);
    }
    sec.append(ul);
  }
  for (const [key, list] of [["urls", urls], ["emails", emails]]) {
    if (!list.length) continue;
    sec.append(el("h4", { text: t(`entities.${key}`) }));
    const ul = el("ul", { cls: "entity-list" });
    for (const u of list) {
      const off = u.official === true ? "yes" : u.official === false ? "no" : "unknown";
      const li = el("li", { cls: `entity entity-${key} official-${off}` });
      // Shown as text, never as a link.
      li.append(el("span", { cls: "entity-text", text: u.text }));
      const dom = u.registrable_domain || u.domain || u.host;
      if (dom) li.append(el("span", { cls: "entity-domain", text: t("entity.domain", { d: dom }) }));
      li.append(el("span", { cls: `entity-status status-${off}`, text: t(`entity.official.${off}`, { brand: u.brand || "" }) }));
      if (u.masked) li.append(el("span", { cls: "entity-flag", text: t("entity.masked") }));
      if (u.shortener) li.append(el("span", { cls: "entity-flag", text: t("entity.shortener") }));
      if (u.suspicious_tld) li.append(el("span", { cls: "entity-flag", text: t("entity.suspiciousTld") }));
      if (u.punycode) li.append(el("span", { cls: "entity-flag", text: t("entity.punycode") }));
      ul.append(li);
    }
    sec.append(ul);
    if (key === "urls") sec.append(el("p", { cls: "entity-note", text: t("entity.noLink") }));
  }
  return sec;
}

function adviceSection(report) {
  const sec = el("section", { cls: "advice", attrs: { "aria-labelledby": "advice-h" } });
  sec.append(el("h3", { text: t("advice.heading"), attrs: { id: "advice-h" } }));
  const items = (report.advice || []).map((a) => (typeof a === "string" ? { text: a } : a || {})).filter((a) => a.text);
  if (items.length) {
    const ol = el("ol", { cls: "advice-list" });
    for (const a of items) {
      const li = el("li", { text: a.text, attrs: { "data-advice": a.id } });
      const src = sourceLink(a.source);
      if (src) li.append(src);
      ol.append(li);
    }
    sec.append(ol);
  }
  // The public help lines, as phone links, unless the engine's advice already names them.
  const ids = new Set(items.map((a) => a.id));
  const ul = el("ul");
  if (!ids.has("hotline-188")) ul.append(el("li", {}, el("a", { text: t("help.188"), attrs: { href: "tel:188" } })));
  if (!ids.has("police-9110")) {
    ul.append(el("li", {}, el("a", { text: t("help.9110"), attrs: { href: "tel:%239110" } })));
    ul.append(el("li", { text: t("help.110") }));
  }
  if (ul.childElementCount) {
    const help = el("div", { cls: "help" });
    help.append(el("h4", { text: t("help.heading") }), ul);
    sec.append(help);
  }
  return sec;
}

/**
 * Renders `report` for the pasted `text` into `container` (which carries aria-live="polite").
 * Sets data-verdict on the container once the result is in place.
 */
export function renderResult(container, report, text, { maxChars = 10000, onCopy } = {}) {
  const verdict = verdictOf(report);
  const frag = document.createDocumentFragment();

  const banner = el("div", { cls: `verdict verdict-${verdict}` });
  banner.append(el("span", { cls: "verdict-icon", attrs: { "aria-hidden": "true" }, text: verdict === "scam" ? "!" : verdict === "suspicious" ? "?" : "i" }));
  const bannerText = el("div", { cls: "verdict-text" });
  bannerText.append(el("h2", { cls: "verdict-headline", text: t(`verdict.${verdict}`), attrs: { id: "verdict-h", tabindex: "-1" } }));
  if (report.summary) bannerText.append(el("p", { cls: "verdict-summary", text: report.summary }));
  if (verdict === "clean") bannerText.append(el("p", { cls: "verdict-note", text: t("verdict.clean.note") }));
  banner.append(bannerText);
  frag.append(banner);

  const notices = (report.notices || []).map((n) => (typeof n === "string" ? n : n && (n.text || n.message))).filter(Boolean);
  if (notices.length) {
    const box = el("div", { cls: "notices", attrs: { role: "note" } });
    for (const n of notices) box.append(el("p", { text: n }));
    frag.append(box);
  }

  frag.append(scoreBar(report));

  const findings = Array.isArray(report.findings) ? report.findings : [];
  const risks = findings.filter((f) => Number(f.weight) >= 0);
  const favour = findings.filter((f) => Number(f.weight) < 0);
  const fsec = el("section", { cls: "findings", attrs: { "aria-labelledby": "findings-h" } });
  fsec.append(el("h3", { text: t("findings.heading"), attrs: { id: "findings-h" } }));
  if (risks.length) {
    // The strongest signs first; the rest folded away so that a phone screen is not flooded.
    const ol = el("ol", { cls: "finding-list" });
    risks.slice(0, SHOWN_FINDINGS).forEach((f) => ol.append(findingItem(f, findings.indexOf(f))));
    fsec.append(ol);
    const rest = risks.slice(SHOWN_FINDINGS);
    if (rest.length) {
      const more = el("details", { cls: "more-findings" });
      more.append(el("summary", { text: t("findings.more", { n: rest.length }) }));
      const ol2 = el("ol", { cls: "finding-list", attrs: { start: SHOWN_FINDINGS + 1 } });
      rest.forEach((f) => ol2.append(findingItem(f, findings.indexOf(f))));
      more.append(ol2);
      fsec.append(more);
    }
  } else fsec.append(el("p", { text: t("findings.none") }));
  if (favour.length) {
    fsec.append(el("h4", { text: t("findings.favour.heading") }));
    const ul = el("ul", { cls: "finding-list" });
    favour.forEach((f) => ul.append(findingItem(f, findings.indexOf(f))));
    fsec.append(ul);
  }
  frag.append(fsec);

  const tsec = el("section", { cls: "text", attrs: { "aria-labelledby": "text-h" } });
  tsec.append(el("h3", { text: t("text.heading"), attrs: { id: "text-h" } }));
  if (risks.some((f) => (f.evidence || []).length)) tsec.append(el("p", { cls: "text-legend", text: t("text.legend") }));
  tsec.append(highlightedText(text, findings, maxChars));
  frag.append(tsec);

  const ents = entitiesSection(report.entities || {});
  if (ents) frag.append(ents);
  frag.append(adviceSection(report));

  const tools = el("div", { cls: "result-tools" });
  const copy = el("button", { cls: "btn btn-secondary", text: t("btn.copy"), attrs: { type: "button", id: "copy-btn" } });
  if (onCopy) copy.addEventListener("click", () => onCopy(copy));
  const copyStatus = el("span", { cls: "copy-status", attrs: { role: "status", id: "copy-status" } });
  tools.append(copy, copyStatus);
  if (report.engine_version || report.data_version) {
    tools.append(el("span", { cls: "versions", text: t("footer.version", { engine: report.engine_version || "?", data: report.data_version || "?" }) }));
  }
  frag.append(tools);

  // The live region itself stays in place (empty when there is no result) so that screen readers
  // announce what appears in it.
  const card = el("div", { cls: "result-card" });
  card.append(frag);
  container.replaceChildren(card);
  container.dataset.verdict = verdict;
}

/** A plain-text summary of the result, for the clipboard. */
export function plainSummary(report) {
  const verdict = verdictOf(report);
  const lines = [t("summary.title"), "", `■ ${t(`verdict.${verdict}`)}`];
  if (report.summary) lines.push(report.summary);
  const th = report.thresholds || {};
  lines.push(`${t("summary.score")}: ${t("score.value", { score: report.score ?? 0, suspicious: th.suspicious ?? 30, scam: th.scam ?? 60 })}`);
  const risks = (report.findings || []).filter((f) => Number(f.weight) >= 0);
  if (risks.length) {
    lines.push("", `■ ${t("summary.findings")}`);
    risks.forEach((f, i) => {
      const ev = (f.evidence || []).map((e) => `「${e.text}」`).join(" ");
      lines.push(`${i + 1}. ${f.title}${ev ? ` ${ev}` : ""}`);
      if (f.message) lines.push(`   ${f.message}`);
      if (f.source) lines.push(`   ${t("finding.source")}: ${f.source}`);
    });
  }
  const adv = (report.advice || []).map((a) => (typeof a === "string" ? a : a && a.text)).filter(Boolean);
  lines.push("", `■ ${t("summary.advice")}`);
  for (const a of adv) lines.push(`・${a}`);
  const ids = new Set((report.advice || []).map((a) => a && a.id));
  if (!ids.has("hotline-188")) lines.push(`・${t("help.188")}`);
  if (!ids.has("police-9110")) lines.push(`・${t("help.9110")}`);
  lines.push("", t("summary.note"));
  return lines.join("\n");
}
