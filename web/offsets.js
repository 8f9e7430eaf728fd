// The engine reports offsets in Python code points; JavaScript strings count UTF-16 code units.
// A character above U+FFFF (an emoji, some rare kanji) is one code point but two UTF-16 units.

/** Number of code points in `s` (cheap when `s` has no surrogate pairs). */
export function codePointLength(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Returns a function mapping a code-point offset (0..codePointLength(s)) to a UTF-16 index into `s`.
 * Offsets past the end map to s.length; negative or non-numeric offsets map to 0.
 */
export function codePointToUtf16(s, limit = Infinity) {
  const map = [0];
  let cp = 0;
  for (let i = 0; i < s.length && cp < limit; ) {
    const c = s.charCodeAt(i);
    let w = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) w = 2;
    }
    i += w;
    cp++;
    map.push(i);
  }
  const last = map[map.length - 1];
  return (offset) => {
    const o = Math.floor(Number(offset));
    if (!Number.isFinite(o) || o <= 0) return 0;
    return o < map.length ? map[o] : last;
  };
}

/** The first `n` code points of `s`. */
export function sliceCodePoints(s, n) {
  return s.slice(0, codePointToUtf16(s, n)(n));
}
