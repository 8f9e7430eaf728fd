// A second look at the links of a screenshot: which words to read again, and which reading to keep.
//
// Tesseract reads a page with the Japanese and English models and their dictionaries, which suit prose; a
// link is a run of letters no dictionary knows ("r10.to/hkt0Uq", "t.co/BTF6UsEbYG"), and one letter
// misread changes where it leads. ocr.js reads each link-looking word that Tesseract was unsure of (or that
// cannot be part of a link as read) once more, alone: a crop of that word, scaled so that its line is
// about READ_LINE_HEIGHT pixels high, as a single text line. Measured on the screenshot fixtures
// (benchmarks/ocr.py), the lone word at that size is read right where the whole page was not ("0" read as
// "O", "s" as "S", "j" as "]", "gl" as "g"). The second reading replaces the first only
// when it is a well-formed piece of a link and either the first was not or Tesseract is surer of it, and
// when it differs in a few characters only: a reading of the same pixels, not a new text.
//
// Pure functions, no DOM: unit-tested under Node (tests/test_ocr_links.py).

import { repairHosts } from "./ocr-text.js";

// The height (pixels) a link's line is scaled to for its second reading. Tesseract's LSTM models see text
// lines normalised to a fixed height; words read at 48 px high were misread where ~28 px read them right.
export const READ_LINE_HEIGHT = 28;
// Words Tesseract was at least this sure of are not read again (unless they cannot be part of a link).
export const SURE = 90;
// At most this many words are read again per image (the least sure first): a screenshot full of links
// must not take many seconds longer. The fixtures have at most 3.
export const MAX_REREADS = 8;

// Characters a link may hold (RFC 3986: unreserved, reserved, "%"; "[" and "]" only for IPv6 hosts,
// which messages do not use). "|", "]", "{", "\" or any non-ASCII character inside a link was misread.
const URL_CHAR = /^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]$/;
// What may surround a link in a message and is not part of it: "<https://…>", "(www.…)", "https://….".
const LEAD = /^[<("'*]+/;
const TRAIL = /[>)"'*.,;:!?]+$/;
// The host of a link that has one: after a scheme (also "hxxp", as defanged links are written) or "www.",
// or a bare "host.tld" followed by a path.
const SCHEME_HOST = /^(?:h[tx]{2}ps?:\/\/)([^/?#]*)/i;
const WWW_HOST = /^(www\.[^/?#]*)/i;
const BARE_HOST = /^([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?=[/?#]|$)/;
// A host name: labels of letters, digits and "-", a top-level domain of letters (or punycode).
const HOST = /^(?:[A-Za-z0-9-]+\.)+(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]+)$|^\d{1,3}(?:\.\d{1,3}){3}$/;

// A word that is (part of) a link: a scheme, "www.", "host.tld" or a "/" beside a letter or digit.
const LINK_LIKE = /:\/\/|^www\.|[A-Za-z0-9-]\.[A-Za-z]{2}|[A-Za-z0-9]\/|\/[A-Za-z0-9]/i;

/** The token without the punctuation a message may put around a link. */
function core(token) {
  return String(token ?? "").replace(LEAD, "").replace(TRAIL, "");
}

/**
 * Could `token` be a link, or a piece of one cut by a line end, exactly as read? Every character must be
 * a URL character, and a host (after a scheme or "www.", or before the first "/") must end in a
 * top-level domain of two or more letters ("goo.g/maps" or "fukushima.]" cannot be right).
 */
export function wellFormed(token) {
  const text = core(token);
  if (!text || ![...text].every((c) => URL_CHAR.test(c))) return false;
  const m = text.match(SCHEME_HOST) || text.match(WWW_HOST) || (/^[^/]*\.[^/]*\//.test(text) && text.match(BARE_HOST));
  if (!m) return true; // a piece of a path, or a link cut before its host ended: nothing more to check
  const host = m[1].replace(/^[^@]*@/, "").replace(/:\d*$/, "");
  if (!host) return /^h[tx]{2}ps?:\/\/$/i.test(text); // "https://" alone, the rest on the next line
  // Or cut by the line end inside its host: what there is of it is host characters, from a letter or digit.
  return HOST.test(host) || (text === m[0] && /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(host) && !/\.\./.test(host));
}

/** Is this word worth a second reading? It looks like (a piece of) a link, and Tesseract was unsure of
 * it or it cannot be a link as read. A word that ocr-text.js repairs ("|" or "(" read for a thin "l" in a
 * link) is left to that repair: the confusion is known, and a second reading guesses again ("744l(3.com"
 * read alone as "744l13.com", "team.com/!|ogin" as "team.com/!ogin", in the benchmark). */
export function wantsSecondLook(text, confidence) {
  const t = String(text || "");
  if (t.length < 4 || !LINK_LIKE.test(t) || !/[A-Za-z]/.test(t)) return false;
  if (repairHosts(t) !== t) return false;
  return !(confidence >= SURE) || !wellFormed(t);
}

/** Edit distance between two short strings (they are single words). */
export function editDistance(a, b) {
  const x = [...String(a)];
  const y = [...String(b)];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return prev[y.length];
}

/**
 * Which reading of a word to keep: `first` (from the whole page) or `second` (the word alone), each
 * {text, confidence}. The second is kept when it is a well-formed word, close to the first (a few
 * characters changed: it read the same pixels), and either the first is not well-formed or Tesseract is
 * surer of the second. Returns the text kept.
 */
export function chooseReading(first, second) {
  const a = String((first && first.text) || "");
  // The crop held one word (Tesseract's own word box), so a space read inside it is not one.
  const b = String((second && second.text) || "").replace(/\s+/g, "");
  if (!b || !wellFormed(b)) return a;
  if (editDistance(a, b) > Math.max(2, Math.floor(a.length / 5))) return a;
  if (!wellFormed(a)) return b;
  return Number(second.confidence) > Number(first.confidence) ? b : a;
}

/**
 * The link-looking parts of the words of `lines` ([{text, words: [{text, confidence, bbox, symbols}]}])
 * that want a second reading: [{line, word, text, confidence, bbox, lineHeight, left, right}], at most
 * `limit` of them (those that cannot be links as read, then the least sure), in reading order. A word
 * glued to Japanese text ("こちらhttps://…") gives only its ASCII part, boxed by its characters' boxes.
 */
export function linkCandidates(lines, limit = MAX_REREADS) {
  const all = allCandidates(lines);
  if (all.length <= limit) return all;
  const rank = (c) => (wellFormed(c.text) ? 0 : -1000) + (Number.isFinite(c.confidence) ? c.confidence : 0);
  const kept = new Set([...all].sort((a, b) => rank(a) - rank(b)).slice(0, Math.max(0, limit)));
  return all.filter((c) => kept.has(c));
}

function allCandidates(lines) {
  const out = [];
  (lines || []).forEach((line, li) => {
    const lineHeight = (line && line.y1 - line.y0) || 0;
    const words = (line && line.words) || [];
    words.forEach((word, wi) => {
      const part = asciiPart(word);
      if (part && wantsSecondLook(part.text, word.confidence)) {
        const left = part.left ?? words[wi - 1]?.bbox?.x1;
        const right = part.right ?? words[wi + 1]?.bbox?.x0;
        out.push({ line: li, word: wi, ...part, left, right, confidence: Number(word.confidence), lineHeight });
      }
    });
  });
  return out;
}

/** The word's longest run of printable ASCII characters, with its box: {text, bbox, start, end, left,
 * right} (start and end index the word's characters; left and right: where the characters beside the run
 * end and start, if any), or null. */
function asciiPart(word) {
  const text = String((word && word.text) || "").trim();
  if (/^[\x21-\x7e]+$/.test(text)) return { text, bbox: word.bbox, start: 0, end: [...text].length };
  const symbols = (word && word.symbols) || [];
  if (symbols.map((s) => s.text).join("") !== text) return null; // cannot box a part of it
  let best = null;
  for (let i = 0; i < symbols.length; ) {
    let j = i;
    while (j < symbols.length && /^[\x21-\x7e]+$/.test(symbols[j].text)) j++;
    if (j > i && (!best || j - i > best.end - best.start)) best = { start: i, end: j };
    i = j + 1;
  }
  if (!best) return null;
  const run = symbols.slice(best.start, best.end);
  const left = symbols[best.start - 1]?.bbox?.x1; // the characters either side, kept out of the crop
  const right = symbols[best.end]?.bbox?.x0;
  const bbox = {
    x0: Math.min(...run.map((s) => s.bbox.x0)),
    y0: Math.min(...run.map((s) => s.bbox.y0)),
    x1: Math.max(...run.map((s) => s.bbox.x1)),
    y1: Math.max(...run.map((s) => s.bbox.y1)),
  };
  return { text: run.map((s) => s.text).join(""), bbox, start: best.start, end: best.end, left, right };
}

/**
 * The crop to read a candidate from, in the image's pixels, and the scale to read it at: the word's box
 * grown by a third of the line's height on every side (Tesseract needs a margin of background), but never
 * past half-way to the next word or character on its line (a piece of "…" beside "cutt.ly/" was read as
 * "-"), clipped to the image; the scale brings the line to `lineHeight` pixels (READ_LINE_HEIGHT; within
 * 0.4x to 2x).
 */
export function cropFor(candidate, imageWidth, imageHeight, lineHeight = READ_LINE_HEIGHT) {
  const { bbox } = candidate;
  const h = Math.max(1, candidate.lineHeight || bbox.y1 - bbox.y0);
  const pad = Math.round(h / 3);
  const before = Number.isFinite(candidate.left) ? Math.ceil((candidate.left + bbox.x0) / 2) : -Infinity;
  const after = Number.isFinite(candidate.right) ? Math.floor((bbox.x1 + candidate.right) / 2) : Infinity;
  const left = Math.max(0, bbox.x0 - pad, Math.min(before, bbox.x0));
  const top = Math.max(0, bbox.y0 - pad);
  const right = Math.min(imageWidth || Infinity, bbox.x1 + pad, Math.max(after, bbox.x1));
  const bottom = Math.min(imageHeight || Infinity, bbox.y1 + pad);
  const scale = Math.min(2, Math.max(0.4, lineHeight / h));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top), scale };
}

/**
 * `lines` with the chosen second readings put in: each line's text has the candidate's characters
 * replaced (the word is found in the line's text in order; a word not found is left alone).
 * `readings`: [{candidate, text}].
 */
export function applyReadings(lines, readings) {
  const byLine = new Map();
  for (const r of readings || []) {
    if (!byLine.has(r.candidate.line)) byLine.set(r.candidate.line, []);
    byLine.get(r.candidate.line).push(r);
  }
  return (lines || []).map((line, li) => {
    const mine = byLine.get(li);
    if (!mine) return line;
    let text = String(line.text || "");
    let from = 0;
    const words = line.words || [];
    const changes = new Map(mine.map((r) => [r.candidate.word, r]));
    words.forEach((word, wi) => {
      const wtext = String(word.text || "").trim();
      const at = wtext ? text.indexOf(wtext, from) : -1;
      if (at < 0) return;
      const r = changes.get(wi);
      let replacement = wtext;
      if (r) {
        const chars = [...wtext];
        replacement = chars.slice(0, r.candidate.start).join("") + r.text + chars.slice(r.candidate.end).join("");
      }
      text = text.slice(0, at) + replacement + text.slice(at + wtext.length);
      from = at + replacement.length;
    });
    return { ...line, text };
  });
}
