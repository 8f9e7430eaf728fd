// Exercises web/snapshot.js (the start-up snapshot's packed format) under Node; prints one JSON line of
// results for tests/test_snapshot_format.py. Memory images are synthetic (zero runs of chosen lengths).
//
//   node tests/snapshot_format_node.mjs
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";

import { ensureMemory, pack, parsePacked, unpack, writeImage } from "../web/snapshot.js";

function image() {
  const memory = new Uint8Array(1 << 20);
  for (let i = 0; i < memory.length; i++) memory[i] = i % 7 === 0 ? 0 : (i * 31) & 255;
  memory.fill(0, 100_000, 300_000); // a long zero run: left out
  memory.fill(0, 400_000, 400_100); // a short one: kept
  memory.fill(0, 900_000); // trailing zeros: left out
  return memory;
}

// Chunks of uneven sizes, as a network stream delivers them.
function streamOf(bytes, sizes = [1, 7, 4096, 65_536, 3]) {
  const chunks = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const n = sizes[k % sizes.length];
    chunks.push(bytes.slice(at, at + n));
    at += n;
  }
  return Readable.toWeb(Readable.from(chunks));
}

async function outcome(bytes) {
  try {
    const memory = await unpack(streamOf(bytes));
    return { ok: true, memory };
  } catch (error) {
    return { ok: false, error: String(error.message) };
  }
}

const memory = image();
const packed = pack(memory);
const round = await outcome(gunzipSync(gzipSync(packed)));
const results = {
  original: memory.length,
  packed: packed.length,
  roundTrip: round.ok && Buffer.compare(Buffer.from(round.memory), Buffer.from(memory)) === 0,
  truncated: (await outcome(packed.subarray(0, packed.length - 1))).error ?? "no error",
  extra: (await outcome(Buffer.concat([packed, Buffer.from([1])]))).error ?? "no error",
  notPacked: (await outcome(memory.subarray(0, 4096))).error ?? "no error",
  // parsePacked + writeImage (the engine's restore in place): every range of the image comes back exactly
  // in a target that held other bytes, and malformed files are refused as unpack refuses them.
  inPlace: (() => {
    const parsed = parsePacked(packed);
    const ranges = [[0, memory.length], [64, memory.length], [150_000, 250_000], [99_990, 300_010], [950_000, memory.length], [0, 8]];
    const exact = ranges.map(([from, to]) => {
      const target = new Uint8Array(to - from + 3).fill(0xaa);
      writeImage(target, packed, parsed, from, to);
      return target.subarray(0, to - from).every((b, i) => b === memory[from + i]) && target[to - from] === 0xaa;
    });
    const refusal = (bytes) => {
      try {
        parsePacked(bytes);
        return "no error";
      } catch (error) {
        return String(error.message);
      }
    };
    let small = "no error";
    try {
      writeImage(new Uint8Array(10), packed, parsed, 0, 11);
    } catch (error) {
      small = String(error.message);
    }
    return {
      size: parsed.size,
      exact,
      truncated: refusal(packed.subarray(0, packed.length - 1)),
      extra: refusal(Buffer.concat([packed, Buffer.from([1])])),
      notPacked: refusal(memory.subarray(0, 4096)),
      small,
    };
  })(),
  allZero: await (async () => {
    const zeros = new Uint8Array(200_000);
    const back = await outcome(pack(zeros));
    return back.ok && back.memory.length === zeros.length && back.memory.every((b) => b === 0) && pack(zeros).length;
  })(),
};
// ensureMemory on a stand-in for Pyodide's module: growMemory(size) grows by whole 64 KiB pages, as
// Emscripten's does, and replaces HEAP8 with a view of the grown memory; one that cannot grow says so.
const memoryModule = (pages, canGrow = true) => {
  const module = { HEAP8: new Int8Array(pages * 65536) };
  module.growMemory = (size) => {
    if (!canGrow) return undefined;
    module.HEAP8 = new Int8Array(Math.ceil(size / 65536) * 65536);
    return 1;
  };
  return module;
};
const grown = memoryModule(2);
ensureMemory(grown, 3 * 65536 + 1);
const untouched = memoryModule(4);
const before = untouched.HEAP8;
ensureMemory(untouched, 3 * 65536);
let refused = "no error";
try {
  ensureMemory(memoryModule(1, false), 2 * 65536);
} catch (error) {
  refused = String(error.message);
}
results.memory = { grown: grown.HEAP8.length, untouched: untouched.HEAP8 === before, refused };
process.stdout.write(JSON.stringify(results) + "\n");
