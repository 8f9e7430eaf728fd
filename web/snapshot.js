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
// all little-endian, and the whole gzip-compressed. The memory image is rebuilt in a zero-filled buffer.

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
  const { memory, filled } = await startUnpack(stream);
  await filled;
  return memory;
}

/**
 * Starts unpacking: resolves, once the head and the segment table are read, with {memory, filled}:
 * the zero-filled image of its full size, and a promise that resolves when every segment has been
 * copied into it (or rejects on anything malformed). So the engine can size Python's memory and
 * instantiate the runtime while the rest of the snapshot is still being read.
 */
export async function startUnpack(stream) {
  const input = new ChunkReader(stream.getReader());
  const head = await input.read(HEAD);
  if (new TextDecoder().decode(head.subarray(0, 8)) !== MAGIC) throw new Error("snapshot: not a packed snapshot");
  const headView = new DataView(head.buffer, head.byteOffset, HEAD);
  const size = headView.getUint32(8, true);
  const count = headView.getUint32(12, true);
  const table = await input.read(count * 8);
  const tableView = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const segments = [];
  let end = 0;
  for (let k = 0; k < count; k++) {
    const offset = tableView.getUint32(k * 8, true);
    const length = tableView.getUint32(k * 8 + 4, true);
    if (offset < end || offset + length > size) throw new Error("snapshot: bad segment table");
    segments.push([offset, length]);
    end = offset + length;
  }
  const memory = new Uint8Array(size);
  const filled = (async () => {
    for (const [offset, length] of segments) await input.fill(memory.subarray(offset, offset + length));
    if (!(await input.atEnd())) throw new Error("snapshot: data after the last segment");
  })();
  filled.catch(() => {}); // the caller awaits it; never an unhandled rejection meanwhile
  return { memory, filled };
}

/** Reads exact byte counts from a stream of chunks of any size. */
class ChunkReader {
  constructor(reader) {
    this.reader = reader;
    this.chunk = new Uint8Array(0);
    this.pos = 0;
  }

  async next() {
    const { done, value } = await this.reader.read();
    if (done) return false;
    this.chunk = value;
    this.pos = 0;
    return true;
  }

  async fill(target) {
    let filled = 0;
    while (filled < target.length) {
      if (this.pos === this.chunk.length) {
        if (!(await this.next())) throw new Error("snapshot: truncated");
        continue;
      }
      const n = Math.min(target.length - filled, this.chunk.length - this.pos);
      target.set(this.chunk.subarray(this.pos, this.pos + n), filled);
      this.pos += n;
      filled += n;
    }
    return target;
  }

  read(n) {
    return this.fill(new Uint8Array(n));
  }

  async atEnd() {
    while (this.pos === this.chunk.length) {
      if (!(await this.next())) return true;
    }
    return false;
  }
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
