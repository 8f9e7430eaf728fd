// Run mikiwame.check_json inside Pyodide under Node, exactly as the page loads it: the runtime, the
// precompiled stdlib, our pyodide-lock.json and the wheels, all from a built dist/pyodide/.
//
//   node tests/parity_node.mjs DIST/pyodide CASES.json OUT.json
//
// CASES.json: [[text, lang], ...]. OUT.json: {"engine_version": ..., "results": [check_json output, ...],
// "load_ms": ...}. Used by tests/test_parity.py; one process for every case.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dir, casesFile, outFile] = process.argv.slice(2);
if (!outFile) {
  process.stderr.write("usage: parity_node.mjs DIST/pyodide CASES.json OUT.json\n");
  process.exit(2);
}
const index = path.resolve(dir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(index + "pyodide.mjs").href);
const errors = [];
const t0 = performance.now();
const py = await loadPyodide({
  indexURL: index,
  lockFileURL: index + "pyodide-lock.json",
  packageBaseUrl: index,
  packageCacheDir: index,
});
await py.loadPackage(["mikiwame"], { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
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
const version = py.runPython("import mikiwame, importlib.metadata as m; m.version('mikiwame')");
writeFileSync(outFile, JSON.stringify({ engine_version: version, load_ms: loadMs, results }));
