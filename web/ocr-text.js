// Turns the lines that OCR read from a screenshot back into the message's text.
//
// A speech bubble wraps a message at its own width, so one link or phone number can be cut over two
// lines ("https://example-" / "login.top/a", "0120-" / "123-456"). The engine finds links and numbers in
// the text, so the cut must be undone first, or the engine would see two harmless pieces. A line was
// wrapped (not ended by the sender) when it runs up to the bubble's right edge; it is then joined to the
// next line: with nothing between when either side is Japanese or the cut is inside a link, an address
// or a number, with a space otherwise (English words wrap at spaces). Other line ends stay line ends.
//
// Also undone: the spaces Tesseract puts between Japanese characters. Pure functions, no DOM: unit-tested
// under Node (tests/test_ocr_text.py).

// Japanese script and full-width punctuation: no spaces between them.
const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u303f\\uff01-\\uff60ー・";
const CJK_CHAR = new RegExp(`[${CJK}]`, "u");
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])[ \\t]+(?=[${CJK}])`, "gu");
const SPACE_CJK_PUNCT = new RegExp(`(?<=[${CJK}])[ \\t]+(?=[,.:;!?)\\]])|(?<=[(\\[])[ \\t]+(?=[${CJK}])`, "gu");

// The last token of a line that a wrap may have cut: part of a link, an address or a number.
const URL_HEAD = /^(?:h[tx]{2}ps?:\/\/|www\.)/i;
// A line that starts with a bare host name ("post.japanpost.jp", "example.top/a"): a link without a scheme.
const HOST_HEAD = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![a-z0-9-])/i;
const URL_START = /(?:h[tx]{2}ps?:\/\/|www\.)\S*$/i;
const LINKISH = /^(?:h[tx]{2}ps?:?\/?\/?|www\.)|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#:]|$)|\//i;
const CANNOT_END_LINK = /[-._=?&/:#%~+]$/;
const CONTINUES_LINK = /^[\w-]*[./?#=&]/;
const DIGITS_TAIL = /(?:^|[^\w])[+(]?\d[\d\-() ]*$/;
const DIGITS_HEAD = /^[\d\-()]+/;
const PHONE_HEAD = /^\(?0\d{1,4}[-)]\d{1,4}-\d{3,4}(?![\w/.-])/;
const HYPHEN_END = /[\p{L}\d]-$/u;

// A line ends this close (in line heights) to the bubble's right edge: the next word did not fit there.
// More than one character: Japanese line breaking moves a character to the next line with the "。" or
// "」" that may not start a line.
const FULL_GAP = 1.6;
// Closer than this (in line heights) the wrap cut inside a word: less than a Latin letter is left.
const TIGHT_GAP = 0.5;
// Without two lines that end at the same edge, a single line must be this wide (share of the image) to
// count as running to the edge: a lone long line ended by the sender is not a wrap.
const WIDE_LINE = 0.55;

// Spaces OCR reads inside a link: "https: / /t.co /abc" (the Japanese model spaces out Latin punctuation).
// The colon is often lost ("https //www…"): a scheme followed by two slashes gets it back.
const SPACED_SCHEME = /\b(h\s*t\s*t\s*p\s*s?)\s*:?\s*\/\s*\/\s*/giu;
// "|" read for a capital I between capitals ("KDD|" for KDDI).
const BAR_FOR_I = /(?<=[A-Z])\|(?=[A-Z]|$|[^\x00-\x7f])|(?<=^|[^\x00-\x7f])\|(?=[A-Z])/gu;
const SPACE_IN_LINK = /(?<=:\/\/[\w.\-/~%?=&#+]*[\w.\-])[ \t]+(?=\/)/gu;

/** Remove the spaces OCR inserts between Japanese characters (and before/after their punctuation) and
 * inside links. */
export function tidyLine(text) {
  return String(text)
    .replace(/\s+$/u, "")
    .replace(/^\s+/u, "")
    .replace(SPACE_BETWEEN_CJK, "")
    .replace(SPACE_CJK_PUNCT, "")
    .replace(SPACED_SCHEME, (m, scheme) => `${scheme.replace(/\s+/g, "")}://`)
    .replace(SPACE_IN_LINK, "")
    .replace(BAR_FOR_I, "I");
}

// A link's last token that cannot be its end: cut after a hyphen, dot, "=", "?", "&" or "_", where a
// browser may wrap a link even when the line is not full.
const OPEN_LINK_END = /(?:h[tx]{2}ps?:\/\/|www\.)\S*[-.=?&_]$/i;

/**
 * Which separator joins a wrapped line `a` to the next line `b`: "" or " ", or "\n" to keep the line end
 * when a link would run on into Japanese text (the engine's links may hold non-ASCII characters, so a
 * wrong join would change the link's host or path; a line end there is the safer guess). `tight`: the
 * line ended less than a Latin letter's width from the edge, so the wrap cut a word, not a space.
 */
export function joinSeparator(a, b, tight = false) {
  const last = a.slice(-1);
  const first = b.charAt(0);
  const tail = a.split(/\s/).pop();
  const head = b.split(/\s/)[0];
  const link = LINKISH.test(tail);
  if (CJK_CHAR.test(first) && !CJK_CHAR.test(last) && link) return "\n";
  // A link after Japanese text: a bubble may break there whether or not the sender typed a space, and
  // senders mostly do (a phone links a URL glued to Japanese text badly); a space keeps the link apart.
  if (CJK_CHAR.test(last) && (URL_HEAD.test(b) || HOST_HEAD.test(b))) return " ";
  if (CJK_CHAR.test(last) || CJK_CHAR.test(first)) return "";
  // A line that starts with a whole phone number is the sender's next line, not the rest of a link
  // ("…/s/124/" then "0120-440-620"): a path does not go on with a number written with hyphens.
  if (link && PHONE_HEAD.test(b)) return "\n";
  // `tight` shows a cut inside a word only where the line had no space to break at instead: a browser
  // cuts a word only when it has no other way to fill the line ("Click http://x.II" / "Update" is a wrap
  // at the space before "Update", though the line ends close to the edge).
  if (link && (CANNOT_END_LINK.test(tail) || CONTINUES_LINK.test(head) || (tight && tail === a))) return "";
  // A line that is one unbroken Latin token cut at the edge: a browser cuts inside a word only when the
  // word is longer than a whole line (a random domain, a long link), so the cut is undone.
  if (tight && /^[\x21-\x7e]+$/.test(a) && /^[\x21-\x7e]/.test(b)) return "";
  if (/@$/.test(tail) || /^@/.test(head) || (/@/.test(tail) && /^[\w-]+\.[\w.-]/.test(head))) return "";
  if (DIGITS_TAIL.test(a) && DIGITS_HEAD.test(b) && /[\d\-(]$/.test(a)) return "";
  // A bubble wraps after the hyphen of a compound ("key-device-" / "protection.com", "COVID-" / "19"):
  // the hyphen was the sender's, and nothing was between it and the next letter.
  if (HYPHEN_END.test(a) && /^[\p{L}\d]/u.test(b)) return "";
  return " ";
}

/**
 * Number the runs of lines that sit under each other like the lines of one bubble (same left edge, less
 * than a line's height apart). Tesseract's own blocks are not used: it may cut one bubble into several.
 */
function groupLines(lines) {
  let group = 0;
  return lines.map((line, i) => {
    const prev = lines[i - 1];
    if (prev) {
      const h = Math.max(1, prev.y1 - prev.y0, line.y1 - line.y0);
      const below = line.y0 - prev.y1;
      const adjacent = below > -0.3 * h && below < 0.8 * h && Math.abs(line.x0 - prev.x0) < 1.5 * h;
      if (!adjacent) group++; // (NaN boxes compare false: a line without a box stands alone)
    }
    return { ...line, block: group };
  });
}

/** The right edge the bubble wrapped at, per group of lines: the largest x1, if wrapping is evident. */
function wrapEdges(lines, imageWidth) {
  const edges = new Map();
  for (const line of lines) {
    const h = Math.max(1, line.y1 - line.y0);
    const e = edges.get(line.block) || { left: Infinity, right: -Infinity, height: 0, n: 0 };
    e.left = Math.min(e.left, line.x0);
    e.right = Math.max(e.right, line.x1);
    e.height = Math.max(e.height, h);
    e.n++;
    edges.set(line.block, e);
  }
  for (const [block, e] of edges) {
    const atEdge = lines.filter((l) => l.block === block && e.right - l.x1 < FULL_GAP * e.height).length;
    // Two lines ending at one edge show a wrap, if that edge is far enough to the right (a narrow block
    // of short lines ended by the sender has two lines "at the edge" too); three such lines always do.
    const wide = e.right - e.left >= WIDE_LINE * (imageWidth || Infinity);
    e.evident = atEdge >= 3 || (atEdge >= 2 && wide);
    e.wideLine = WIDE_LINE * (imageWidth || Infinity);
  }
  return edges;
}

// Characters that may not start a line in Japanese: they travel down with the character before them.
const NO_LINE_START = /^[、。，．」』）】〕！？ー…・ぁぃぅぇぉっゃゅょァィゥェォッャュョ]+/u;

// Latin punctuation that may not start a line (a break is never made before it): it stays with what is
// before it, so "い:https://…" or "届け." moves down as one piece.
const NO_BREAK_BEFORE = /[,.:;!?)\]}%/'"\-_~=&#@*+]/u;

/** The first piece of `text` that a line cannot be broken inside, per a simplified Unicode line-breaking
 * rule set (UAX #14 as browsers apply it): between two Japanese characters, between Japanese and Latin,
 * at a space and after a hyphen before a letter, a line may break; before closing punctuation, small kana
 * and Latin punctuation it may not, and a run of Latin letters, digits and punctuation ("い:https://bit.ly/x")
 * is one piece. */
export function firstPiece(text) {
  const chars = [...String(text)];
  let n = 1;
  for (; n < chars.length; n++) {
    const prev = chars[n - 1];
    const c = chars[n];
    if (/\s/u.test(c)) break;
    if (NO_LINE_START.test(c) || NO_BREAK_BEFORE.test(c)) continue;
    const cjk = CJK_CHAR.test(c);
    if (CJK_CHAR.test(prev) || cjk) break; // Japanese either side: a break is allowed
    if (prev === "-" && /\p{L}/u.test(c) && n > 1 && /[\p{L}\d]/u.test(chars[n - 2])) break; // "key-" | "device"
  }
  return chars.slice(0, n).join("");
}

/** How wide the first piece of `line` is (pixels): had it fit in the gap at the end of the line before,
 * the bubble would have put it there. A Japanese character is about as wide as the lines are high (`em`);
 * a Latin one is measured on the line itself when it has enough of them, else taken as half of that. */
function firstWordWidth(line, em) {
  const chars = [...line.text];
  const wide = chars.filter((c) => CJK_CHAR.test(c)).length;
  const narrow = chars.length - wide;
  const measured = narrow >= 4 ? (line.x1 - line.x0 - wide * em) / narrow : NaN;
  const latin = measured >= 0.3 * em && measured <= 0.8 * em ? measured : 0.5 * em;
  const piece = [...firstPiece(line.text)];
  const pieceWide = piece.filter((c) => CJK_CHAR.test(c)).length;
  const space = CJK_CHAR.test(piece[0]) ? 0 : 0.5; // a Latin word needs the space before it too
  return pieceWide * em + (piece.length - pieceWide + space) * latin;
}

/** Did the bubble wrap after line i (rather than the sender ending the line)? */
function wrappedAfter(lines, i, edges) {
  const line = lines[i];
  const next = lines[i + 1];
  if (!next || next.block !== line.block) return false;
  if (OPEN_LINK_END.test(line.text) && /^[\w/~%?=&#.-]/.test(next.text)) return true;
  const e = edges.get(line.block);
  if (!Number.isFinite(line.x1) || !Number.isFinite(next.x1)) return false;
  if (e.right - line.x1 >= firstWordWidth(next, e.height) + 0.1 * e.height) return false; // the next word would have fit
  return e.evident || line.x1 - line.x0 >= e.wideLine;
}

/**
 * The message text from OCR lines [{text, x0, y0, x1, y1}] (pixel boxes in reading order): wrapped lines
 * joined, other line ends kept, separate bubbles separated by a line end, empty lines dropped.
 */
export function textFromLines(lines, imageWidth) {
  const usable = groupLines(
    (lines || []).map((l) => ({ ...l, text: tidyLine(l && l.text) })).filter((l) => l.text),
  );
  const edges = wrapEdges(usable, imageWidth);
  let out = "";
  usable.forEach((line, i) => {
    out += line.text;
    if (i === usable.length - 1) return;
    const e = edges.get(line.block);
    const tight = Boolean(e) && e.right - line.x1 < TIGHT_GAP * e.height;
    out += wrappedAfter(usable, i, edges) ? joinSeparator(line.text, usable[i + 1].text, tight) : "\n";
  });
  return repairHosts(out); // after joining: a host may have been cut over two lines
}

// A host name cannot hold "(" or "|": inside one (a run of host characters that ends in ".tld"), either is
// a thin "l" misread ("wellsfargo…744l(3.com" for "…744ll3.com").
const BAD_HOST_CHAR = /(?<=[a-z0-9])[(|](?=[a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![a-z]))/gi;

// A link (from its scheme, "www." or "host.tld/") up to the next space or non-ASCII character.
const LINK_RUN = /(?:h[tx]{2}ps?:\/\/|www\.|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\/)[\x21-\x7e]*/giu;
// "|" is not a URL character (RFC 3986: it must be written %7C), so inside a link it is a thin "l"
// misread, sometimes with a "!" beside it for the same letter ("team.com/!|ogin" for "team.com/login").
const BAR_IN_LINK = /!?\|!?/g;

/** Characters that cannot be in a link's host or path, read where a thin letter was. */
export function repairHosts(text) {
  return String(text)
    .replace(BAD_HOST_CHAR, "l")
    .replace(LINK_RUN, (link) => link.replace(BAR_IN_LINK, "l"));
}

/** The same for plain text with no boxes: only the Japanese spacing is tidied (line ends are kept). */
export function tidyText(text) {
  return String(text || "")
    .split(/\r?\n/)
    .map(tidyLine)
    .filter(Boolean)
    .join("\n");
}
