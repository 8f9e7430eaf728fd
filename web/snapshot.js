// The start-up snapshot's file format, shared by the build (scripts/make_snapshot.mjs packs), the engine
// worker and the Node parity test (both unpack).
//
// Pyodide's memory snapshot is a 31 MB image of Python's memory, and about 70 % of it is zeros, most of
// them in two long runs. gzip squeezes zeros to almost nothing, but inflating them still costs as much as
// any other byte, and on a phone that is the longest step of the start-up. So the file holds only the
// stretches between long zero runs:
//
//   "MKSNAP01" | u32 memory size | u32 segment count | count × (u32 offset, u32 length) | segment bytes…
//
// all little-endian, and the whole gzip-compressed. parsePacked reads the head and segment table, and
// writeImage writes the image (or any range of it) into a target, zero runs included: the engine writes it
// straight into the Wasm memory, unpack (the Node parity test) into a buffer of its own.

export const MAGIC = "MKSNAP01";
const HEAD = 16;
// Zero runs shorter than this stay in the data: a segment costs 8 bytes and a copy call.
const MIN_GAP = 64 * 1024;

/** The packed form of a memory image (before gzip). */
export function pack(memory, minGap = MIN_GAP) {
  const segments = [];
  let start = 0;
  let i = 0;
  while (i < memory.length) {
    if (memory[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < memory.length && memory[j] === 0) j++;
    if (j - i >= minGap || j === memory.length) {
      if (i > start) segments.push([start, i - start]);
      start = j;
    }
    i = j;
  }
  if (start < memory.length) segments.push([start, memory.length - start]);
  const dataLength = segments.reduce((sum, [, length]) => sum + length, 0);
  const out = new Uint8Array(HEAD + segments.length * 8 + dataLength);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, memory.length, true);
  view.setUint32(12, segments.length, true);
  let at = HEAD + segments.length * 8;
  segments.forEach(([offset, length], k) => {
    view.setUint32(HEAD + k * 8, offset, true);
    view.setUint32(HEAD + k * 8 + 4, length, true);
    out.set(memory.subarray(offset, offset + length), at);
    at += length;
  });
  return out;
}

/** The memory image from a stream of the packed (already inflated) bytes. Throws on anything malformed. */
export async function unpack(stream) {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  const parsed = parsePacked(bytes);
  const memory = new Uint8Array(parsed.size);
  writeImage(memory, bytes, parsed);
  return memory;
}

/**
 * The head and segment table of a packed snapshot held whole in `bytes` (already inflated): {size,
 * segments: [[offset, length, at]]}, `at` being where each segment's bytes start in `bytes`. Throws on
 * anything malformed, as unpack does. With it, the image is written straight where it is needed
 * (writeImage) instead of first being rebuilt whole.
 */
export function parsePacked(bytes) {
  if (bytes.length < HEAD || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error("snapshot: not a packed snapshot");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  let at = HEAD + count * 8;
  if (at > bytes.length) throw new Error("snapshot: truncated");
  const segments = [];
  let end = 0;
  for (let k = 0; k < count; k++) {
    const offset = view.getUint32(HEAD + k * 8, true);
    const length = view.getUint32(HEAD + k * 8 + 4, true);
    if (offset < end || offset + length > size) throw new Error("snapshot: bad segment table");
    segments.push([offset, length, at]);
    end = offset + length;
    at += length;
  }
  if (at > bytes.length) throw new Error("snapshot: truncated");
  if (at < bytes.length) throw new Error("snapshot: data after the last segment");
  return { size, segments };
}

/**
 * Writes the bytes [from, to) of the memory image packed in `bytes` (parsed: parsePacked) into `target`
 * from index 0: the segments copied, every byte between them set to zero (the target may hold anything).
 */
export function writeImage(target, bytes, parsed, from = 0, to = parsed.size) {
  if (to - from > target.length) throw new Error("snapshot: the target is too small");
  let zeroFrom = from; // the image's next byte not yet written
  for (const [offset, length, at] of parsed.segments) {
    const start = Math.max(offset, from);
    const end = Math.min(offset + length, to);
    if (end <= start) {
      if (offset >= to) break;
      continue;
    }
    if (start > zeroFrom) target.fill(0, zeroFrom - from, start - from);
    target.set(bytes.subarray(at + start - offset, at + end - offset), start - from);
    zeroFrom = end;
  }
  if (to > zeroFrom) target.fill(0, zeroFrom - from, to - from);
}

/**
 * Grows a Pyodide module's Wasm memory to hold `size` bytes of image. The module starts with the memory
 * compiled into it (30 MiB), whatever the snapshot says; a snapshot taken after Python's heap grew during
 * warm-up holds more, and writing it into the smaller memory fails. Throws when the memory cannot grow.
 */
export function ensureMemory(module, size) {
  if (module.HEAP8.length >= size) return;
  if (!module.growMemory?.(size) || module.HEAP8.length < size) {
    throw new Error("snapshot: the Wasm memory cannot grow to the image");
  }
}
