// Make the engine's start-up snapshot (a build step of build.py; see README "Start-up").
//
//   node scripts/make_snapshot.mjs INDEX_DIR STDLIB_ZIP OUT.bin.gz SITE_DIR
//
// Boots Pyodide from INDEX_DIR with the stdlib zip the page will use, copies SITE_DIR (the wheels, unpacked
// by build.py) into its site-packages, imports mikiwame, runs warm_up(), and writes Pyodide's memory
// snapshot packed without its long zero runs (web/snapshot.js) and gzip-compressed. The page restores it
// instead of booting Python, importing and warming up (about 1 s less on a 2-core machine).
// The files are copied from JavaScript, not unpacked by Python: pyodide.loadPackage would leave JavaScript
// references that a snapshot cannot hold, and Python's zipfile, glob and sysconfig would stay imported in
// the snapshot (and must then be in the page's trimmed stdlib) for nothing.
// The snapshot is tied to this exact Pyodide build, stdlib zip and wheels: build.py remakes it whenever
// any of them changes.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";

import { pack, unpack } from "../web/snapshot.js";

const [indexDir, stdlib, out, siteDir] = process.argv.slice(2);
if (!siteDir) {
  process.stderr.write("usage: make_snapshot.mjs INDEX_DIR STDLIB_ZIP OUT.bin.gz SITE_DIR\n");
  process.exit(2);
}

/** Copies the host directory `from` into Pyodide's file system at `to`. */
function copyTree(py, from, to) {
  py.FS.mkdirTree(to);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyTree(py, source, `${to}/${entry.name}`);
    else py.FS.writeFile(`${to}/${entry.name}`, readFileSync(source));
  }
}

const index = path.resolve(indexDir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(index + "pyodide.mjs").href);
const py = await loadPyodide({ indexURL: index, stdLibURL: path.resolve(stdlib), _makeSnapshot: true });
copyTree(py, siteDir, py.runPython("import sys; f'/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages'"));
py.runPython(`
import mikiwame
mikiwame.warm_up()
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
