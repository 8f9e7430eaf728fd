// Run mikiwame.check_json inside Pyodide under Node, exactly as the page loads it: the runtime, the
// precompiled stdlib, our pyodide-lock.json and the wheels, all from a built dist/pyodide/.
//
//   node tests/parity_node.mjs DIST/pyodide CASES.json OUT.json [wheels|snapshot]
//
// "wheels" (default) boots Python and loads the wheels through our lockfile; "snapshot" restores
// DIST/pyodide/snapshot.bin.gz as the page does (build.py's start-up snapshot, unpacked by the page's own
// DIST/snapshot.js).
// CASES.json: [[text, lang], ...]. OUT.json: {"engine_version": ..., "results": [check_json output, ...],
// "load_ms": ...}. Used by tests/test_parity.py; one process for every case.
import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";

const [dir, casesFile, outFile, mode = "wheels"] = process.argv.slice(2);
if (!outFile) {
  process.stderr.write("usage: parity_node.mjs DIST/pyodide CASES.json OUT.json\n");
  process.exit(2);
}
const index = path.resolve(dir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(index + "pyodide.mjs").href);
const errors = [];
const t0 = performance.now();
const config = {
  indexURL: index,
  lockFileURL: index + "pyodide-lock.json",
  packageBaseUrl: index,
  packageCacheDir: index,
};
if (mode === "snapshot") {
  const { unpack } = await import(pathToFileURL(path.join(index, "..", "snapshot.js")).href);
  const packed = Readable.toWeb(createReadStream(index + "snapshot.bin.gz"));
  config._loadSnapshot = await unpack(packed.pipeThrough(new DecompressionStream("gzip")));
  // As the page does (engine-main.js restoreInPlace): the module's memory is grown to the image first.
  const { ensureMemory } = await import(pathToFileURL(path.join(index, "..", "snapshot.js")).href);
  const { default: createModule } = await import(pathToFileURL(index + "pyodide.asm.mjs").href);
  config.createPyodideModule = async (settings) => {
    const module = await createModule(settings);
    const restore = module.API.restoreSnapshot;
    module.API.restoreSnapshot = function (image) {
      const heapAt = new Uint32Array(image.buffer, image.byteOffset, 2)[1];
      ensureMemory(module, image.length - heapAt);
      return restore.call(this, image);
    };
    return module;
  };
}
const py = await loadPyodide(config);
if (mode !== "snapshot") {
  await py.loadPackage(["mikiwame"], { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
}
if (errors.length) {
  process.stderr.write("loadPackage failed: " + errors.join("; ") + "\n");
  process.exit(1);
}
const mikiwame = py.pyimport("mikiwame");
mikiwame.warm_up();
const loadMs = performance.now() - t0;
const checkJson = mikiwame.check_json;
const cases = JSON.parse(readFileSync(casesFile, "utf8"));
const results = cases.map(([text, lang]) => checkJson(text, lang));
const version = py.runPython("import mikiwame; mikiwame.__version__");
writeFileSync(outFile, JSON.stringify({ engine_version: version, load_ms: loadMs, results }));
