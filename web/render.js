// Builds the result view from a report (docs/contracts.md §1) with DOM APIs only.
// User text is only ever placed with textContent / createTextNode: never innerHTML.
// Links found in the message are shown as text and are never clickable.

import { getLang, t } from "./i18n.js";
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

/** The site's name for a link's text ("www.kokusen.go.jp/..." → "kokusen.go.jp"): a full address wraps over
 * four or five lines on a phone. The link itself goes to the full address, which its title shows. */
export function siteName(href) {
  return new URL(href).hostname.replace(/^www\./, "");
}

function sourceLink(url, labelKey = "finding.source") {
  const href = safeHttpUrl(url);
  if (!href) return null;
  const p = el("p", { cls: "source" });
  p.append(`${t(labelKey)}: `);
  const a = el("a", { text: siteName(href), attrs: { href, title: href, target: "_blank", rel: "noopener noreferrer" } });
  p.append(a);
  return p;
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/;

/** lang="ja" on an element showing Japanese text (a pasted message, a number's type) in the English UI,
 * so that screen readers and fonts treat it as Japanese. */
export function markLang(node, text) {
  if (getLang() !== "ja" && JAPANESE.test(text || "")) node.setAttribute("lang", "ja");
  return node;
}

// Phone numbers in the advice (the public help lines, a company's number): each becomes a tel: link.
const ADVICE_PHONE = /#9110|(?<![\d-])(?:188|110)(?![\d-])|(?<![\d-])0\d{1,4}-\d{1,4}-\d{3,4}(?![\d-])/g;

/** The advice text with every phone number as a tel: link (the text comes from the engine's own data). */
export function withPhoneLinks(text) {
  const frag = document.createDocumentFragment();
  let pos = 0;
  for (const m of text.matchAll(ADVICE_PHONE)) {
    if (m.index > pos) frag.append(text.slice(pos, m.index));
    frag.append(el("a", { cls: "tel", text: m[0], attrs: { href: `tel:${encodeURIComponent(m[0].replace(/-/g, ""))}` } }));
    pos = m.index + m[0].length;
  }
  if (pos < text.length) frag.append(text.slice(pos));
  return frag;
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
  if (score > 0) {
    // Nothing is drawn for 0 points: a stub would read as "a little risk".
    const fill = el("div", { cls: `score-fill score-${verdictOf(report)}` });
    fill.style.width = pct(score);
    track.append(fill);
  }
  for (const [key, v] of [["suspicious", suspicious], ["scam", scam]]) {
    const m = el("div", { cls: `score-mark score-mark-${key}`, attrs: { "aria-hidden": "true" } });
    m.style.left = pct(v);
    m.append(el("span", { text: `${t(`score.mark.${key}`)} ${v}` }));
    track.append(m);
  }
  wrap.append(track, value);
  return wrap;
}

/** "risk" (counts against the message), "favour" (a sign in its favour) or "info" (0 points: shown, not counted). */
export function findingKind(f) {
  const w = Number(f.weight) || 0;
  return w > 0 ? "risk" : w < 0 ? "favour" : "info";
}

function findingItem(f, index) {
  const kind = findingKind(f);
  const li = el("li", { cls: `finding finding-${kind}`, attrs: { id: `finding-${index}` } });
  const head = el("div", { cls: "finding-head" });
  head.append(el("span", { cls: "finding-num", text: index + 1, attrs: { "aria-hidden": "true" } }));
  head.append(el("h4", { cls: "finding-title", text: f.title || f.slug || f.id }));
  const w = Number(f.weight) || 0;
  head.append(el("span", { cls: "finding-weight", text: kind === "info" ? t("finding.noPoints") : t("finding.points", { w: w > 0 ? `+${w}` : `${w}` }) }));
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

/** Spans as [start, end] code-point pairs, for comparing entities with evidence. */
const spanKey = (x) => `${x.start}:${x.end}`;

/**
 * The entities of one kind grouped by what they are (the same number, the same link): a message that repeats
 * a link three times gets one card saying "3 times", and a 1 MB paste no longer gives 135 identical cards.
 */
export function groupEntities(list, keyOf) {
  const groups = new Map();
  for (const e of list || []) {
    const key = keyOf(e);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { first: e, items: [] }));
    g.items.push(e);
  }
  return [...groups.values()];
}

const ENTITY_KEYS = {
  phones: (p) => String(p.number || p.text || ""),
  urls: (u) => String(u.text || "").toLowerCase(),
  emails: (e) => String(e.text || "").toLowerCase(),
};

/**
 * For each finding that counts against the message (by its number), the spans to highlight: its evidence,
 * and every other copy of an entity its evidence names, so that all three copies of a flagged link are marked.
 */
function highlightSpans(findings, entities) {
  const groupsBySpan = new Map();
  for (const [kind, keyOf] of Object.entries(ENTITY_KEYS)) {
    for (const g of groupEntities(entities[kind], keyOf)) for (const e of g.items) groupsBySpan.set(spanKey(e), g.items);
  }
  const out = [];
  findings.forEach((f, i) => {
    if (findingKind(f) !== "risk") return;
    const seen = new Set();
    for (const ev of f.evidence || []) {
      for (const sp of groupsBySpan.get(spanKey(ev)) || [ev]) {
        if (seen.has(spanKey(sp))) continue;
        seen.add(spanKey(sp));
        out.push({ start: sp.start, end: sp.end, num: i + 1, title: f.title || f.id });
      }
    }
  });
  return out;
}

/**
 * The pasted text with every finding's evidence in <mark>. Overlapping spans are merged; each mark names
 * the findings it belongs to, in ascending order. Only the analysed part (the first `limit` code points) is shown.
 */
export function highlightedText(text, findings, limit, entities = {}) {
  const toU16 = codePointToUtf16(text, limit + 1);
  const end = toU16(limit);
  const spans = [];
  for (const h of highlightSpans(findings, entities)) {
    const s = toU16(h.start);
    const e = Math.min(toU16(h.end), end);
    if (e > s) spans.push({ s, e, nums: [h.num], titles: [h.title] });
  }
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
  const box = el("div", { cls: "message-text", attrs: { tabindex: "0", id: "message-text" } });
  markLang(box, text.slice(0, end));
  let pos = 0;
  for (const m of merged) {
    if (m.s > pos) box.append(document.createTextNode(text.slice(pos, m.s)));
    const mark = el("mark", { text: text.slice(m.s, m.e), attrs: { title: m.titles.join(" / ") } });
    const sup = el("sup", { cls: "mark-num", text: [...m.nums].sort((a, b) => a - b).join(","), attrs: { "aria-hidden": "true" } });
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

/**
 * The highlighted message in a box of limited height. When the text is taller than the box, the box fades
 * out at the bottom and a button shows the rest: on a phone a scroll box with no sign of more hid the end
 * of an e-mail.
 */
function messageBox(box) {
  const wrap = el("div", { cls: "message-wrap" });
  const more = el("button", { cls: "btn btn-small message-expand", text: t("text.expand"), attrs: { type: "button", "aria-controls": "message-text", "aria-expanded": "false", hidden: "" } });
  more.addEventListener("click", () => {
    const open = wrap.classList.toggle("expanded");
    more.setAttribute("aria-expanded", String(open));
    more.textContent = t(open ? "text.collapse" : "text.expand");
  });
  const update = () => {
    if (wrap.classList.contains("expanded")) return;
    const clipped = box.scrollHeight > box.clientHeight + 1;
    wrap.classList.toggle("clipped", clipped);
    more.hidden = !clipped;
  };
  if (typeof ResizeObserver === "function") new ResizeObserver(update).observe(box);
  wrap.append(box, more);
  wrap.updateClip = update;
  return wrap;
}

/** Names of the brands the engine found, by id (an entity carries only the id). */
function brandNames(entities) {
  const names = new Map();
  for (const b of entities.brands || []) if (b && b.id && !names.has(b.id)) names.set(b.id, b.name || b.id);
  return names;
}

/** The status line of a link or address card, from the same facts the findings used. */
function officialStatus(u, brandName) {
  const brand = brandName(u.brand);
  if (u.official === true) return { cls: "yes", text: t("entity.official.yes", { brand }) };
  if (u.official === false) {
    if (u.lookalike === "subdomain") {
      const sub = String(u.host || "").slice(0, -(String(u.registrable_domain || "").length + 1));
      return { cls: "no", text: t("entity.lookalike.subdomain", { brand, sub, d: u.registrable_domain }) };
    }
    if (u.lookalike === "domain") return { cls: "no", text: t("entity.lookalike.domain", { brand }) };
    return { cls: "no", text: brand ? t("entity.official.notBrand", { brand }) : t("entity.official.no") };
  }
  return { cls: "unknown", text: t("entity.official.unknown") };
}

/** The numbers of the findings (counting against the message) whose evidence is one of `items`. */
function citedBy(items, findings) {
  const keys = new Set(items.map(spanKey));
  const nums = [];
  findings.forEach((f, i) => {
    if (findingKind(f) === "risk" && (f.evidence || []).some((ev) => keys.has(spanKey(ev)))) nums.push(i + 1);
  });
  return nums;
}

function entityCard(kind, group, findings, extra) {
  const e = group.first;
  const li = el("li", { cls: `entity entity-${kind} ${extra.cls}` });
  const head = el("div", { cls: "entity-head" });
  head.append(markLang(el("span", { cls: "entity-text", text: e.text || e.number }), e.text));
  if (group.items.length > 1) head.append(el("span", { cls: "entity-count", text: t("entity.count", { n: group.items.length }) }));
  li.append(head);
  for (const line of extra.lines) if (line) li.append(line);
  const nums = citedBy(group.items, findings);
  if (nums.length) li.append(el("span", { cls: "entity-cited", text: t(nums.length > 1 ? "entity.citedMany" : "entity.cited", { nums: nums.join(", ") }) }));
  return li;
}

function entitiesSection(entities, findings) {
  const phones = groupEntities(entities.phones, ENTITY_KEYS.phones);
  const urls = groupEntities(entities.urls, ENTITY_KEYS.urls);
  const emails = groupEntities(entities.emails, ENTITY_KEYS.emails);
  const headers = entities.headers || [];
  if (!phones.length && !urls.length && !emails.length && !headers.length) return null;
  const names = brandNames(entities);
  const brandName = (id) => (id ? names.get(id) || id : "");
  const sec = el("section", { cls: "entities", attrs: { "aria-labelledby": "entities-h" } });
  sec.append(el("h3", { text: t("entities.heading"), attrs: { id: "entities-h" } }));
  if (headers.length) {
    sec.append(el("h4", { text: t("entities.headers") }));
    sec.append(headersList(headers));
  }

  if (phones.length) {
    sec.append(el("h4", { text: t("entities.phones") }));
    const ul = el("ul", { cls: "entity-list" });
    for (const g of phones) {
      const p = g.first;
      const known = ["scam", "official"].includes(p.known) ? p.known : "unknown";
      ul.append(entityCard("phone", g, findings, {
        cls: `known-${known}`,
        lines: [
          p.type_label ? markLang(el("span", { cls: "entity-type", text: p.type_label }), p.type_label) : null,
          el("span", { cls: `entity-status status-${known}`, text: t(`entity.known.${known}`, { brand: brandName(p.brand) }) }),
          sourceLink(p.source, "entity.reported"),
        ],
      }));
    }
    sec.append(ul);
  }
  for (const [key, groups] of [["urls", urls], ["emails", emails]]) {
    if (!groups.length) continue;
    sec.append(el("h4", { text: t(`entities.${key}`) }));
    const ul = el("ul", { cls: "entity-list" });
    for (const g of groups) {
      const u = g.first;
      const status = officialStatus(u, brandName);
      const dom = u.registrable_domain || u.domain || u.host;
      // Shown as text, never as a link.
      ul.append(entityCard(key, g, findings, {
        cls: `official-${status.cls}`,
        lines: [
          dom ? el("span", { cls: "entity-domain", text: t("entity.domain", { d: dom }) }) : null,
          el("span", { cls: `entity-status status-${status.cls}`, text: status.text }),
          u.masked ? el("span", { cls: "entity-flag", text: t("entity.masked") }) : null,
          u.shortener ? el("span", { cls: "entity-flag", text: t("entity.shortener") }) : null,
          u.suspicious_tld ? el("span", { cls: "entity-flag", text: t("entity.suspiciousTld") }) : null,
          u.punycode ? el("span", { cls: "entity-flag", text: t("entity.punycode") }) : null,
        ],
      }));
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
      const li = el("li", { attrs: { "data-advice": a.id } }, withPhoneLinks(a.text));
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
    ul.append(el("li", {}, withPhoneLinks(t("help.110"))));
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
  // The engine's clean summary already says "not a guarantee"; the page's own note only stands in for it.
  else if (verdict === "clean") bannerText.append(el("p", { cls: "verdict-note", text: t("verdict.clean.note") }));
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
  const fsec = findingsSection(findings);
  if (fsec) frag.append(fsec);

  const entities = report.entities || {};
  const risks = findings.filter((f) => findingKind(f) === "risk");
  let wrap = null;
  if (risks.some((f) => (f.evidence || []).length)) {
    // Only when something is highlighted: an unmarked copy of the message says nothing new.
    const tsec = el("section", { cls: "text", attrs: { "aria-labelledby": "text-h" } });
    tsec.append(el("h3", { text: t("text.heading"), attrs: { id: "text-h" } }));
    tsec.append(el("p", { cls: "text-legend", text: t("text.legend") }));
    wrap = messageBox(highlightedText(text, findings, maxChars, entities));
    tsec.append(wrap);
    frag.append(tsec);
  }

  const ents = entitiesSection(entities, findings);
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
  if (wrap) wrap.updateClip();
}

/** The findings: those counting against the message (the strongest first, the rest folded away), signs in
 * its favour, and 0-point ones (shown for information, never as a red risk card). Null when there are none:
 * the verdict already says that no known sign was found. */
function findingsSection(findings) {
  if (!findings.length) return null;
  const byKind = (k) => findings.filter((f) => findingKind(f) === k);
  const [risks, favour, info] = [byKind("risk"), byKind("favour"), byKind("info")];
  const fsec = el("section", { cls: "findings", attrs: { "aria-labelledby": "findings-h" } });
  const lists = [[risks, "findings.heading"], [favour, "findings.favour.heading"], [info, "findings.info.heading"]].filter(([list]) => list.length);
  lists.forEach(([list, key], n) => {
    // The first list present names the section (an h3); the others are its subsections.
    fsec.append(el(n ? "h4" : "h3", { text: t(key), attrs: n ? {} : { id: "findings-h" } }));
    if (list !== risks) {
      const ul = el("ul", { cls: "finding-list" });
      list.forEach((f) => ul.append(findingItem(f, findings.indexOf(f))));
      fsec.append(ul);
      return;
    }
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
  });
  return fsec;
}

/** A plain-text summary of the result, for the clipboard. */
export function plainSummary(report) {
  const verdict = verdictOf(report);
  const lines = [t("summary.title"), "", `■ ${t(`verdict.${verdict}`)}`];
  if (report.summary) lines.push(report.summary);
  const th = report.thresholds || {};
  lines.push(`${t("summary.score")}: ${t("score.value", { score: report.score ?? 0, suspicious: th.suspicious ?? 30, scam: th.scam ?? 60 })}`);
  const risks = (report.findings || []).filter((f) => findingKind(f) === "risk");
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
