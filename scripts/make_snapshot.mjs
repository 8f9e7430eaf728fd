// Make the engine's start-up snapshot (a build step of build.py; see README "Start-up").
//
//   node scripts/make_snapshot.mjs INDEX_DIR STDLIB_ZIP OUT.bin.gz WHEEL...
//
// Boots Pyodide from INDEX_DIR with the stdlib zip the page will use, installs the wheels by unpacking
// them with Python's zipfile (pyodide.loadPackage would leave JavaScript references that a snapshot cannot
// hold), imports mikiwame, runs warm_up(), and writes Pyodide's memory snapshot packed without its long
// zero runs (web/snapshot.js) and gzip-compressed. The page restores it instead of booting Python,
// importing and warming up (about 1 s less on a 2-core machine).
// The snapshot is tied to this exact Pyodide build, stdlib zip and wheels: build.py remakes it whenever
// any of them changes.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";

import { pack, unpack } from "../web/snapshot.js";

const [indexDir, stdlib, out, ...wheels] = process.argv.slice(2);
if (!out || !wheels.length) {
  process.stderr.write("usage: make_snapshot.mjs INDEX_DIR STDLIB_ZIP OUT.bin.gz WHEEL...\n");
  process.exit(2);
}
const index = path.resolve(indexDir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(index + "pyodide.mjs").href);
const py = await loadPyodide({ indexURL: index, stdLibURL: path.resolve(stdlib), _makeSnapshot: true });
py.FS.mkdirTree("/tmp/wheels");
for (const wheel of wheels) {
  py.FS.writeFile("/tmp/wheels/" + path.basename(wheel), readFileSync(wheel));
}
py.runPython(`
import glob, sysconfig, zipfile
for wheel in sorted(glob.glob("/tmp/wheels/*.whl")):
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(sysconfig.get_paths()["purelib"])
import mikiwame
mikiwame.warm_up()
del glob, sysconfig, zipfile, wheel, zf
`);
const snapshot = py.makeMemorySnapshot();
const packed = pack(snapshot);
const gzipped = gzipSync(packed, { level: 6 });
// The page must get back exactly this memory: check the round trip through the page's own unpacker.
const restored = await unpack(Readable.toWeb(Readable.from([gunzipSync(gzipped)])));
if (Buffer.compare(Buffer.from(restored), Buffer.from(snapshot)) !== 0) {
  process.stderr.write("make_snapshot: packed snapshot does not unpack to the original\n");
  process.exit(1);
}
writeFileSync(out, gzipped);
process.stdout.write(`snapshot: ${snapshot.length} bytes, ${packed.length} packed, ${gzipped.length} gzipped\n`);
