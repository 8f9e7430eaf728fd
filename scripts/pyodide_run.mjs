// Run a Python script inside Pyodide under Node (a build-time helper for build.py and the tests).
//
//   node scripts/pyodide_run.mjs --index DIR [--stdlib ZIP] [--lock FILE --packages a,b]
//        [--mount HOSTDIR] SCRIPT.py [ARGS...]
//
// --index    directory holding pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm (and python_stdlib.zip)
// --stdlib   standard library zip to use instead of DIR/python_stdlib.zip
// --lock     our pyodide-lock.json; wheels are read from the same directory (never downloaded)
// --packages comma-separated packages from that lockfile to load before the script runs
// --mount    host directory mounted read-write at /host (NODEFS); default: the current directory
//
// The script runs as __main__ with sys.argv = [SCRIPT, ...ARGS]; its exit status (SystemExit) becomes the
// process's exit status. Any message from loadPackage's errorCallback is fatal.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

function parseArgs(argv) {
  const opts = { mount: process.cwd(), packages: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) break;
    const v = argv[++i];
    if (v === undefined) throw new Error(`missing value for ${a}`);
    if (a === "--index") opts.index = path.resolve(v);
    else if (a === "--stdlib") opts.stdlib = path.resolve(v);
    else if (a === "--lock") opts.lock = path.resolve(v);
    else if (a === "--packages") opts.packages = v.split(",").filter(Boolean);
    else if (a === "--mount") opts.mount = path.resolve(v);
    else throw new Error(`unknown option ${a}`);
  }
  if (!opts.index || i >= argv.length) {
    throw new Error("usage: pyodide_run.mjs --index DIR [options] SCRIPT.py [ARGS...]");
  }
  opts.script = path.resolve(argv[i]);
  opts.args = argv.slice(i + 1);
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { loadPyodide } = await import(pathToFileURL(path.join(opts.index, "pyodide.mjs")).href);
  const config = {
    indexURL: opts.index + path.sep,
    stdout: (s) => process.stdout.write(s + "\n"),
    stderr: (s) => process.stderr.write(s + "\n"),
  };
  if (opts.stdlib) config.stdLibURL = opts.stdlib;
  if (opts.lock) {
    const dir = path.dirname(opts.lock) + path.sep;
    config.lockFileURL = opts.lock;
    // Both point at the lockfile's directory so that nothing is ever fetched from elsewhere.
    config.packageBaseUrl = dir;
    config.packageCacheDir = dir;
  }
  const py = await loadPyodide(config);
  if (opts.packages.length) {
    const errors = [];
    await py.loadPackage(opts.packages, {
      messageCallback: () => {},
      errorCallback: (m) => errors.push(m),
    });
    if (errors.length) throw new Error("loadPackage failed: " + errors.join("; "));
  }
  py.FS.mkdirTree("/host");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: opts.mount }, "/host");
  const source = readFileSync(opts.script, "utf8");
  py.globals.set("__mk_argv", py.toPy([opts.script, ...opts.args]));
  const runner = `
import sys
sys.argv = list(__mk_argv)
del __mk_argv
_status = 0
try:
    exec(compile(_src, sys.argv[0], "exec"), {"__name__": "__main__", "__file__": sys.argv[0]})
except SystemExit as e:
    _status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    if not isinstance(e.code, (int, type(None))):
        print(e.code, file=sys.stderr)
sys.stdout.flush()
sys.stderr.flush()
_status
`;
  py.globals.set("_src", source);
  const status = py.runPython(runner);
  process.exitCode = status;
}

main().catch((e) => {
  process.stderr.write(`pyodide_run: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 2;
});
