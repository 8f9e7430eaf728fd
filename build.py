#!/usr/bin/env python3
"""Build mikiwame's static site into dist/ (standard library only; needs node, npm and pip).

    python3 build.py                      build dist/
    python3 build.py --out DIR            build into DIR instead
    python3 build.py --web DIR            take the page's files from DIR instead of web/
    python3 build.py serve [--port N]     build, then serve on 127.0.0.1 (port 8000, or a free one if busy)
    python3 build.py serve --no-build     serve what is already built

What it does (docs/contracts.md §4):

1. Gets the pinned Pyodide core with `npm pack`, checks the tarball against the pinned sha512 integrity
   and keeps it in .cache/ (nothing is downloaded again while the cache holds it). Only the files the
   module worker fetches are shipped: pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm and the stdlib zip.
2. Builds the mikiwame wheel from pysrc/ (a deterministic pure-Python wheel written here, without pip or
   setuptools), and gets the pure-Python wheels of its dependencies with `pip download`.
3. Compiles the standard library and the wheels to .pyc with Pyodide's own Python under Node, because
   the stock stdlib zip holds only .py files that every page load would compile again; the stdlib keeps
   only the modules a traced run imports (STDLIB_MODE).
4. Writes our own pyodide-lock.json that lists only those wheels, so the worker loads them from our origin
   with loadPyodide({packages: ["mikiwame"]}), without micropip.
5. Copies web/, fills in the service worker's version and precache list, writes asset-manifest.json and
   engine-files.js (what the engine downloads and how big it is, for the progress bar and retries).
6. Writes .br and .gz beside every file that compresses (as a good static host serves them); `serve` answers
   Accept-Encoding with them, and Range requests (a retried download resumes) with the plain file.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import email.parser
import email.utils
import errno
import functools
import gzip
import hashlib
import http.server
import io
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import struct
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).absolute().parent
sys.path.insert(0, str(ROOT))
import build_ocr  # noqa: E402 - the image reader's assets (kept in their own module)
import npm_pinned  # noqa: E402 - npm pack of a pinned, integrity-checked tarball
CACHE = ROOT / ".cache"

PYODIDE_VERSION = "314.0.7"
# `npm view pyodide@314.0.7 dist.integrity`; checked against every tarball before it is used.
PYODIDE_INTEGRITY = (
    "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A=="
)
# The files of the npm package that the page needs. pyodide.js (classic script) and the source maps are
# left out: the engine runs in a module worker.
PYODIDE_RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
PYODIDE_STDLIB = "python_stdlib.zip"
# V8's explicit compile hint (Chromium 136 and later; a plain comment elsewhere), put first in Pyodide's
# JavaScript: V8 compiles every function of the file at once instead of on its first call, so the code
# cache that Chromium keeps beside the service worker's copy holds all of them (1.66 MB instead of 21 KB)
# and a repeat visit deserializes them instead of compiling ~60-90 ms of them lazily on the engine
# worker's thread (README "Repeat visit").
EAGER_COMPILE_HINT = b"//# allFunctionsCalledOnLoad\n"
EAGER_FILES = ("pyodide.asm.mjs",)
# Pyodide's memory snapshot after `import mikiwame; warm_up()`, packed (web/snapshot.js) and gzip-compressed.
# MIKIWAME_SNAPSHOT=0 builds without it; the worker then boots Python the ordinary way.
SNAPSHOT = "snapshot.bin.gz"
SNAPSHOT_ENABLED = os.environ.get("MIKIWAME_SNAPSHOT", "1") != "0"

# How the standard library is shipped. "trim" (the default): only the modules that loading the wheels,
# importing, warming up and running the corpus imported, plus STDLIB_ALWAYS_KEEP, compiled to .pyc: 1.7 MB
# instead of 4.5 MB, which the page downloads and writes into its file system on every cold start (see
# README "Start-up"). "full": every module, compiled. "source": the stock zip of .py files (the slow
# baseline).
STDLIB_MODE = os.environ.get("MIKIWAME_STDLIB", "trim")
# Imported lazily on paths the trace may not take (error reports, codecs); kept even when trimming.
STDLIB_ALWAYS_KEEP = ("encodings", "traceback", "linecache", "tokenize", "token", "textwrap", "warnings")

# Bump when the layout of the .pyc outputs changes, so that old cache entries are not reused.
COMPILE_SCHEME = "2"
# The stdlib zip and the wheels hold their entries stored, not deflated: the server sends them with brotli,
# which compresses the whole archive far better (stdlib 1.04 MB instead of 1.70; README "First visit").
# MIKIWAME_ZIP=deflate keeps them deflated, for a host that sends application/zip uncompressed (README
# "Hosting").
ZIP_ARGS = () if os.environ.get("MIKIWAME_ZIP") == "deflate" else ("--stored",)
FIXED_DATE = (1980, 1, 1, 0, 0, 0)

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


class BuildError(Exception):
    """A build step failed; the message says which and why."""


def log(msg: str) -> None:
    print(f"build: {msg}", flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs)
    except FileNotFoundError as e:
        raise BuildError(f"{cmd[0]} is needed to build mikiwame but was not found") from e
    except subprocess.CalledProcessError as e:
        raise BuildError(f"{' '.join(cmd)} failed:\n{e.stdout}{e.stderr}") from e


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(functools.partial(f.read, 1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


# --- 1. Pyodide -------------------------------------------------------------------------------------


def pyodide_dir() -> Path:
    """The unpacked, integrity-checked npm package (cached)."""
    target = CACHE / f"pyodide-{PYODIDE_VERSION}"
    stamp = target / ".integrity"
    if stamp.exists() and stamp.read_text() == PYODIDE_INTEGRITY:
        return target
    try:
        tarball = npm_pinned.tarball(CACHE, "pyodide", PYODIDE_VERSION, PYODIDE_INTEGRITY, log=log)
    except npm_pinned.IntegrityError as e:
        raise BuildError(str(e)) from e
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    wanted = {f"package/{n}" for n in (*PYODIDE_RUNTIME_FILES, PYODIDE_STDLIB, "pyodide-lock.json")}
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if member.name in wanted and member.isfile():
                (target / Path(member.name).name).write_bytes(tar.extractfile(member).read())
                wanted.discard(member.name)
    if wanted:
        raise BuildError(f"pyodide tarball lacks {sorted(wanted)}")
    stamp.write_text(PYODIDE_INTEGRITY)
    return target


# --- 2. Wheels --------------------------------------------------------------------------------------


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def load_project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        data = tomllib.load(f)
    project = data["project"]
    package_data = data.get("tool", {}).get("setuptools", {}).get("package-data", {})
    return {
        "name": project["name"],
        "version": project["version"],
        "summary": project.get("description", ""),
        "requires_python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "package_data": package_data,
    }


def build_wheel(project: dict, dest: Path) -> Path:
    """Write a reproducible pure-Python wheel of pysrc/<name> (no pip or setuptools needed).

    Holds every .py of the package and its subpackages and the files matched by
    [tool.setuptools.package-data], with fixed timestamps so the same sources give the same bytes.
    """
    name, version = project["name"], project["version"]
    pkg_root = ROOT / "pysrc" / name
    if not (pkg_root / "__init__.py").exists():
        raise BuildError(f"{pkg_root}/__init__.py not found: nothing to package")
    patterns = project["package_data"].get(name, [])
    files: dict[str, bytes] = {}
    compiled: dict[str, object] = {}
    for path in sorted(pkg_root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(pkg_root)
        if rel.parent.as_posix() == "data" and path.suffix == ".toml":
            # The browser gets the knowledge base pre-parsed: json.loads is C code in Pyodide, while
            # tomllib is pure Python and took ~0.1 s of the engine's start-up there.
            compiled[path.name] = tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".py" or any(rel.match(p) for p in patterns):
            files[f"{name}/{rel.as_posix()}"] = path.read_bytes()
    if compiled:
        header = {"_generated": "by build.py from data/*.toml; do not edit"}
        files[f"{name}/data/compiled.json"] = json.dumps({**header, **compiled}, ensure_ascii=False).encode()
        # (no sort_keys: tables keep their TOML order, which the reports' key order follows)
    dist_info = f"{name}-{version}.dist-info"
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {project['summary']}",
    ]
    if project["requires_python"]:
        metadata.append(f"Requires-Python: {project['requires_python']}")
    metadata += [f"Requires-Dist: {d}" for d in project["dependencies"]]
    files[f"{dist_info}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: mikiwame-build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ).encode()
    files[f"{dist_info}/top_level.txt"] = f"{name}\n".encode()
    record = []
    for rel, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{rel},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    out = dest / f"{name}-{version}-py3-none-any.whl"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for rel, data in files.items():
            info = zipfile.ZipInfo(rel, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    out.write_bytes(buf.getvalue())
    return out


def requirement_name(req: str) -> str:
    return normalize(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req).group(1))


def download_dependency(req: str) -> Path:
    """The pure-Python wheel for one requirement, downloaded once with pip and then kept in .cache/."""
    key = hashlib.sha256(req.encode()).hexdigest()[:16]
    folder = CACHE / "deps" / f"{requirement_name(req)}-{key}"
    wheels = sorted(folder.glob("*.whl")) if folder.exists() else []
    if len(wheels) != 1:
        log(f"downloading {req} with pip")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--only-binary=:all:", "--no-deps", "--platform", "any", "--implementation", "py",
             "--python-version", "3.14", "--abi", "none", "--dest", str(folder), req])
        wheels = sorted(folder.glob("*.whl"))
        if len(wheels) != 1 or not wheels[0].name.endswith("-none-any.whl"):
            shutil.rmtree(folder, ignore_errors=True)
            raise BuildError(f"no pure-Python wheel for {req}: mikiwame can only ship pure-Python deps")
    return wheels[0]


def wheel_metadata(path: Path) -> dict:
    """Name, version, import names and unconditional dependencies of a wheel."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        meta_name = next(n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode("utf-8"))
        top = {n.split("/")[0] for n in names if "/" in n and not n.split("/")[0].endswith(
            (".dist-info", ".data"))}
        top |= {n[:-3] for n in names if "/" not in n and n.endswith(".py")}
    depends = []
    for req in meta.get_all("Requires-Dist") or []:
        _, _, marker = req.partition(";")
        if "extra" in marker:
            continue
        if marker.strip():
            raise BuildError(f"{path.name}: dependency with a marker ({req}): add it to the build by hand")
        depends.append(req.strip())
    return {
        "name": meta["Name"],
        "version": meta["Version"],
        "imports": sorted(t for t in top if t.isidentifier()),
        "requires": depends,
    }


def collect_wheels(project: dict, stage: Path) -> list[tuple[Path, dict]]:
    """mikiwame's wheel and, transitively, its dependencies' wheels."""
    own = build_wheel(project, stage)
    result = [(own, wheel_metadata(own))]
    queue = list(project["dependencies"])
    seen = {normalize(project["name"])}
    while queue:
        req = queue.pop(0)
        if requirement_name(req) in seen:
            continue
        seen.add(requirement_name(req))
        cached = download_dependency(req)
        wheel = stage / cached.name
        shutil.copyfile(cached, wheel)
        meta = wheel_metadata(wheel)
        result.append((wheel, meta))
        queue.extend(meta["requires"])
    return result


# --- 3. Compiling with Pyodide under Node ----------------------------------------------------------


def pyodide_task(pyo: Path, mount: Path, *args: str, lock: Path | None = None,
                 packages: tuple[str, ...] = ()) -> None:
    cmd = ["node", str(ROOT / "scripts" / "pyodide_run.mjs"), "--index", str(pyo), "--mount", str(mount)]
    if lock:
        cmd += ["--lock", str(lock), "--packages", ",".join(packages)]
    cmd += [str(ROOT / "scripts" / "pyodide_tasks.py"), *args]
    run(cmd)


def tasks_key(*parts: str) -> str:
    h = hashlib.sha256()
    for part in (COMPILE_SCHEME, PYODIDE_INTEGRITY, sha256_file(ROOT / "scripts" / "pyodide_tasks.py"),
                 *ZIP_ARGS, *parts):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:20]


def compile_wheel(pyo: Path, wheel: Path) -> Path:
    """The wheel with __pycache__/*.pyc added by Pyodide's Python (cached by content)."""
    cached = CACHE / "pyc-wheels" / tasks_key(sha256_file(wheel)) / wheel.name
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            shutil.copyfile(wheel, Path(tmp) / "in.whl")
            pyodide_task(pyo, Path(tmp), "compile-wheel", "/host/in.whl", "/host/out.whl", *ZIP_ARGS)
            shutil.move(Path(tmp) / "out.whl", cached)
    return cached


def trace_texts() -> list[str]:
    """Texts run while tracing imports: the test corpus plus inputs that take unusual paths."""
    texts = ["", "x", "https://xn--amazon-9k4d.example/ 0120-123-456 a@b.example", "😀" * 3, "ＡＢＣ１２３"]
    for path in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    # Pasted e-mail sources (the email package, html.parser, base64/quoted-printable, Japanese codecs).
    for path in sorted((ROOT / "tests" / "fixtures" / "email").glob("*.eml")):
        texts.append(path.read_bytes().decode("latin-1"))
    return texts


def build_stdlib(pyo: Path, stage: Path, lock: Path, mode: str) -> Path:
    """The stdlib zip to ship (see STDLIB_MODE)."""
    source = pyo / PYODIDE_STDLIB
    if mode == "source":
        return source
    if mode not in ("full", "trim"):
        raise BuildError(f"MIKIWAME_STDLIB must be full, trim or source, not {mode!r}")
    keep_json = None
    key_parts = [mode]
    if mode == "trim":
        (stage / "trace-texts.json").write_text(json.dumps(trace_texts(), ensure_ascii=False), "utf-8")
        pyodide_task(pyo, stage, "trace", "/host/trace.json", "/host/trace-texts.json", lock=lock,
                     packages=("mikiwame",))
        modules = set(json.loads((stage / "trace.json").read_text("utf-8")))
        with zipfile.ZipFile(source) as zf:
            for name in zf.namelist():
                if name.endswith(".py"):
                    mod = name[:-3].removesuffix("/__init__").replace("/", ".")
                    if mod.split(".")[0] in STDLIB_ALWAYS_KEEP:
                        modules.add(mod)
        keep_json = json.dumps(sorted(modules))
        key_parts.append(keep_json)
    cached = CACHE / "stdlib" / tasks_key(*key_parts) / PYODIDE_STDLIB
    if not cached.exists():
        log(f"compiling the standard library to .pyc ({mode})")
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            shutil.copyfile(source, Path(tmp) / "in.zip")
            args = ["compile-zip", "/host/in.zip", "/host/out.zip", *ZIP_ARGS]
            if keep_json:
                (Path(tmp) / "keep.json").write_text(keep_json, "utf-8")
                args += ["--keep", "/host/keep.json"]
            pyodide_task(pyo, Path(tmp), *args)
            shutil.move(Path(tmp) / "out.zip", cached)
    return cached


# --- 4. Lockfile ------------------------------------------------------------------------------------


def build_snapshot(pyo: Path, stdlib: Path, wheels: list[Path]) -> Path:
    """Pyodide's memory snapshot with mikiwame imported and warmed up (scripts/make_snapshot.mjs).

    The wheels are unpacked here, on the host, into the tree that the script copies into site-packages.
    Cached by everything it depends on: the Pyodide build, the stdlib zip, the wheels and the script.
    """
    script = ROOT / "scripts" / "make_snapshot.mjs"
    key = tasks_key(sha256_file(script), sha256_file(ROOT / "web" / "snapshot.js"), sha256_file(stdlib),
                    *(sha256_file(w) for w in wheels))
    cached = CACHE / "snapshot" / key / SNAPSHOT
    if not cached.exists():
        log("making the start-up snapshot with Pyodide under Node")
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        with tempfile.TemporaryDirectory(dir=CACHE) as site:
            for wheel in wheels:
                with zipfile.ZipFile(wheel) as zf:
                    zf.extractall(site)
            run(["node", str(script), str(pyo), str(stdlib), str(partial), site])
        partial.rename(cached)
    return cached


def write_lockfile(pyo: Path, wheels: list[tuple[Path, dict]], dest: Path) -> Path:
    """Our own pyodide-lock.json: the runtime's `info` and only our wheels."""
    stock = json.loads((pyo / "pyodide-lock.json").read_text("utf-8"))
    packages = {}
    for wheel, meta in wheels:
        name = normalize(meta["name"])
        packages[name] = {
            "name": name,
            "version": meta["version"],
            "file_name": wheel.name,
            "install_dir": "site",
            "sha256": sha256_file(wheel),
            "package_type": "package",
            "imports": meta["imports"],
            "depends": sorted(requirement_name(r) for r in meta["requires"]),
            "unvendored_tests": False,
        }
    lock = {"info": stock["info"], "packages": dict(sorted(packages.items()))}
    path = dest / "pyodide-lock.json"
    path.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", "utf-8")
    return path


# --- 5. Site ----------------------------------------------------------------------------------------


def ico_from_png(png: bytes) -> bytes:
    """A one-image .ico holding the PNG as it is (valid since Windows Vista and in every browser).

    Browsers ask for /favicon.ico on a page that names no icon, and tools still do: served, it is no 404.
    """
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise BuildError("the favicon source is not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    entry = struct.pack("<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return struct.pack("<HHH", 0, 1, 1) + entry + png


def sync_tree(files: dict[str, Path | bytes], out: Path) -> None:
    """Make `out` hold exactly `files` (relative path -> source file or bytes), touching only changes."""
    out.mkdir(parents=True, exist_ok=True)
    for rel, src in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(src, bytes):
            write_if_changed(target, src)
        elif not (target.exists() and target.stat().st_size == src.stat().st_size
                  and sha256_file(target) == sha256_file(src)):
            shutil.copyfile(src, target)
    for path in sorted(out.rglob("*"), reverse=True):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def build(out: Path | None = None, web: Path | None = None) -> Path:
    """Build the site into `out` (default dist/) and return its path."""
    started = time.perf_counter()
    out = (out or ROOT / "dist").absolute()
    CACHE.mkdir(exist_ok=True)
    pyo = pyodide_dir()
    project = load_project()
    # The files that need neither Node nor the wheels come first, so that their brotli copies (the
    # Wasm's alone takes ~20 s) are made in the background while Node traces and compiles.
    files = runtime_files(pyo)
    add_web_files(files, (web or ROOT / "web").absolute())
    with compressing_in_background(), tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        precompress(files)
        stage = Path(tmp)
        raw = collect_wheels(project, stage)
        lock_dir = stage / "lock"
        lock_dir.mkdir()
        for wheel, _ in raw:
            shutil.copyfile(wheel, lock_dir / wheel.name)
        lock = write_lockfile(pyo, raw, lock_dir)
        mode = STDLIB_MODE
        stdlib = build_stdlib(pyo, stage, lock, mode)
        if mode != "source":
            shipped = [(compile_wheel(pyo, wheel), meta) for wheel, meta in raw]
        else:
            shipped = raw
        files[f"pyodide/{PYODIDE_STDLIB}"] = stdlib
        for wheel, _ in shipped:
            files[f"pyodide/{wheel.name}"] = wheel
        final_lock = write_lockfile(pyo, shipped, stage)
        files["pyodide/pyodide-lock.json"] = final_lock.read_bytes()
        precompress(files)  # the stdlib and the wheels, while Node makes the snapshot
        if SNAPSHOT_ENABLED:
            files[f"pyodide/{SNAPSHOT}"] = build_snapshot(pyo, stdlib, [wheel for wheel, _ in shipped])
        files["engine-files.js"] = engine_files_module(files, files["pyodide/pyodide-lock.json"])

        # The version is a hash of everything the service worker precaches.
        precache = sorted(f for f in files if f not in ("sw.js", "asset-manifest.json")
                          and not build_ocr.is_ocr_file(f))
        h = hashlib.sha256()
        for rel in precache:
            src = files[rel]
            digest = hashlib.sha256(src).hexdigest() if isinstance(src, bytes) else sha256_file(src)
            h.update(f"{rel}\0{digest}\n".encode())
        version = h.hexdigest()[:16]
        urls = [f"./{rel}" for rel in precache]
        # The service worker names its cache with the version; the engine worker's entry (and boot.js, for
        # it) reads the large files straight from that cache (README "Repeat visit"). The version hashes both files as written
        # in web/, placeholders and all, so writing it into them changes nothing it covers.
        fill_placeholders(files, "sw.js", {"__MIKIWAME_VERSION__": version,
                                           "__MIKIWAME_PRECACHE__": json.dumps(urls, ensure_ascii=False)})
        fill_placeholders(files, "engine-worker.js", {"__MIKIWAME_VERSION__": version})
        fill_placeholders(files, "boot.js", {"__MIKIWAME_VERSION__": version})
        manifest = {"version": version, "files": urls}
        files["asset-manifest.json"] = (json.dumps(manifest, indent=1) + "\n").encode()
        plain = len(files)
        total = sum(file_size(src) for src in files.values())
        add_compressed(files)  # last: every file above, sw.js included, gets its .br and .gz
        sync_tree(files, out)
    log(f"{out} ready: {plain} files ({len(files) - plain} compressed copies), {total / 1e6:.1f} MB, "
        f"version {version}, stdlib {mode}, {time.perf_counter() - started:.1f} s")
    return out


def runtime_files(pyo: Path) -> dict[str, Path | bytes]:
    """Pyodide's runtime files as the site ships them (the eager-compile hint put first where wanted)."""
    return {f"pyodide/{name}": EAGER_COMPILE_HINT + (pyo / name).read_bytes() if name in EAGER_FILES
            else pyo / name for name in PYODIDE_RUNTIME_FILES}


def add_web_files(files: dict[str, Path | bytes], web: Path) -> None:
    """The page's own files from `web`, the favicon made from its icon, and the image reader's files."""
    for path in sorted(web.rglob("*")) if web.exists() else []:
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."):
            files[path.relative_to(web).as_posix()] = path
    icon = web / "icons" / "icon-192.png"
    if icon.exists():
        files["favicon.ico"] = ico_from_png(icon.read_bytes())
    add_ocr_files(files)


def add_ocr_files(files: dict[str, Path | bytes]) -> None:
    """The image reader's files (build_ocr.py), shipped under ocr/ but left out of the precache list: a
    visit that reads no image downloads none of them; the service worker keeps them once used."""
    try:
        build_ocr.add_to_site(files, CACHE)
    except build_ocr.OcrBuildError as e:
        raise BuildError(str(e)) from e


# --- 6. Precompressed copies -----------------------------------------------------------------------

# What a static host compresses: text, Wasm, and the archives whose entries are stored (ZIP_ARGS). Images
# and the gzip snapshot are compressed already. A copy is kept only if it saves at least COMPRESS_MIN_GAIN.
COMPRESSIBLE = {".wasm", ".mjs", ".js", ".json", ".webmanifest", ".html", ".css", ".svg", ".txt", ".zip",
                ".whl", ".ico", ".bin"}
COMPRESS_MIN_BYTES = 256
COMPRESS_MIN_GAIN = 0.05
ENCODINGS = {"br": ".br", "gzip": ".gz"}  # Content-Encoding -> file suffix
BROTLI_QUALITY = 11  # the highest


def brotli_module():
    """The `brotli` package (a build-time dependency), or None: the build then writes .gz copies only."""
    try:
        import brotli
    except ImportError:
        return None
    return brotli


@functools.cache
def warn_no_brotli() -> None:
    log("warning: the brotli package is not installed (pip install brotli): writing .gz copies only")


# Brotli copies made ahead in spawned processes (build() runs them beside the Node steps, on both cores),
# by the sha256 of their input. Spawned, not forked: the tests call build() from a process with threads.
_POOL: concurrent.futures.ProcessPoolExecutor | None = None
_PENDING: dict[str, concurrent.futures.Future] = {}


@contextlib.contextmanager
def compressing_in_background():  # noqa: ANN201 - a context manager
    """Lets `precompress` hand brotli work to up to two processes while the block runs; on a machine
    with one core or without brotli it does nothing, and compressed_copies compresses in turn as before."""
    global _POOL
    workers = min(2, os.cpu_count() or 1)
    if brotli_module() is None or workers < 2:
        yield
        return
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        _POOL = pool
        try:
            yield
        finally:
            _POOL = None
            for future in _PENDING.values():
                future.cancel()
            _PENDING.clear()


def precompress(files: dict[str, Path | bytes]) -> None:
    """Start the brotli copy of every compressible file not yet cached or started (the same call
    as compressed_copies makes, so the bytes are those compressed_copies would make)."""
    if _POOL is None:
        return
    brotli = brotli_module()
    for rel in sorted(files):
        if Path(rel).suffix not in COMPRESSIBLE or file_size(files[rel]) < COMPRESS_MIN_BYTES:
            continue
        data = source_bytes(files[rel])
        digest = hashlib.sha256(data).hexdigest()
        if digest not in _PENDING and not (CACHE / "compressed" / digest[:2] / (digest + ".br")).exists():
            _PENDING[digest] = _POOL.submit(brotli.compress, data, quality=BROTLI_QUALITY)


def compressed_copies(data: bytes) -> dict[str, bytes]:
    """{encoding: bytes} for the encodings worth sending, cached in .cache/ by content (brotli at its
    highest quality takes ~40 s for Pyodide's Wasm)."""
    digest = hashlib.sha256(data).hexdigest()
    out = {}
    for encoding, suffix in ENCODINGS.items():
        cached = CACHE / "compressed" / digest[:2] / (digest + suffix)
        if cached.exists():
            packed = cached.read_bytes()
        elif encoding == "br" and digest in _PENDING:
            packed = _PENDING.pop(digest).result()
        elif encoding == "br":
            brotli = brotli_module()
            if brotli is None:
                warn_no_brotli()
                continue
            packed = brotli.compress(data, quality=BROTLI_QUALITY)
        else:
            # mtime=0: the same input gives the same bytes.
            packed = gzip.compress(data, compresslevel=9, mtime=0)
        if not cached.exists():
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".part")
            tmp.write_bytes(packed)
            tmp.replace(cached)
        if len(packed) <= len(data) * (1 - COMPRESS_MIN_GAIN):
            out[encoding] = packed
    return out


def source_bytes(src: Path | bytes) -> bytes:
    return src if isinstance(src, bytes) else src.read_bytes()


def add_compressed(files: dict[str, Path | bytes]) -> dict[str, dict[str, int]]:
    """Add `<file>.br` / `<file>.gz` to `files` for every compressible file; return {rel: {"size": raw,
    "br": n, "gzip": n}} (the encodings written) for the engine's progress bar."""
    sizes = {}
    for rel in sorted(files):
        src = files[rel]
        if Path(rel).suffix not in COMPRESSIBLE:
            continue
        data = source_bytes(src)
        entry = {"size": len(data)}
        if len(data) >= COMPRESS_MIN_BYTES:
            for encoding, packed in compressed_copies(data).items():
                files[rel + ENCODINGS[encoding]] = packed
                entry[encoding] = len(packed)
        sizes[rel] = entry
    return sizes


def fill_placeholders(files: dict[str, Path | bytes], name: str, values: dict[str, str]) -> None:
    """Writes each value in place of its placeholder in files[name] (when the site has that file): a
    placeholder that is missing is a build error, so that a renamed one cannot go unnoticed."""
    if name not in files:
        return
    text = source_bytes(files[name]).decode("utf-8")
    for placeholder, value in values.items():
        if placeholder not in text:
            raise BuildError(f"web/{name} lacks the placeholder {placeholder}")
        text = text.replace(placeholder, value)
    files[name] = text.encode("utf-8")


def file_size(src: Path | bytes) -> int:
    return len(src) if isinstance(src, bytes) else src.stat().st_size


def engine_files_module(files: dict[str, Path | bytes], lock: bytes) -> bytes:
    """engine-files.js: the files the engine worker downloads with their sizes per encoding, and the
    lockfile (inlined: one round trip less on a phone network).

    The worker shows "3.1 / 5.4 MB" from these sizes before any response has arrived, and a retry keeps
    what arrived under a name made from BUILD, so that files of two builds are never mixed.
    """
    engine = {rel: src for rel, src in files.items() if rel.startswith("pyodide/")
              and rel not in ("pyodide/pyodide.mjs", "pyodide/pyodide-lock.json")}
    table = {}
    h = hashlib.sha256()
    for rel in sorted(engine):
        data = source_bytes(engine[rel])
        h.update(f"{rel}\0{hashlib.sha256(data).hexdigest()}\n".encode())
        entry = {"size": len(data)}
        if Path(rel).suffix in COMPRESSIBLE and len(data) >= COMPRESS_MIN_BYTES:
            entry.update({enc: len(packed) for enc, packed in compressed_copies(data).items()})
        table[rel] = entry
    text = (
        "// Generated by build.py: the files the engine worker downloads (sizes in bytes: plain and as sent\n"
        "// with each Content-Encoding), the build they belong to, and the inlined pyodide-lock.json.\n"
        f"export const BUILD = {json.dumps(h.hexdigest()[:16])};\n"
        f"export const FILES = {json.dumps(table, indent=1, sort_keys=True)};\n"
        f"export const LOCK = {lock.decode('utf-8').strip()};\n"
    )
    return text.encode("utf-8")


# --- Serving ----------------------------------------------------------------------------------------


def accepted_encodings(header: str | None) -> set[str]:
    """The codings an Accept-Encoding header accepts ("br;q=0" refuses br; "*" is not honoured)."""
    accepted = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name and q > 0:
            accepted.add(name.strip().lower())
    return accepted


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single `bytes=a-b` / `bytes=a-` / `bytes=-n` range within `size`, else None."""
    m = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header or "")
    if not m or not (m.group(1) or m.group(2)):
        return None
    if m.group(1):
        first = int(m.group(1))
        last = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
    else:
        first, last = max(0, size - int(m.group(2))), size - 1
    return (first, last) if first <= last < size else None


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves dist/ as a good static host does: the .br or .gz copy beside a file when the request
    accepts it (Content-Encoding, Vary: Accept-Encoding), else the file itself; ETag and Last-Modified
    with 304s; single byte ranges of the plain file (a request with Range asks for identity)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if os.environ.get("MIKIWAME_SERVE_LOG"):
            super().log_message(format, *args)

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()  # directories without a slash, 404s
        size = os.stat(path).st_size
        byte_range = self.headers.get("Range")
        encoding = None
        if not byte_range:
            accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
            encoding = next((e for e, suffix in ENCODINGS.items()
                             if e in accepted and os.path.isfile(path + suffix)), None)
        has_variants = any(os.path.isfile(path + suffix) for suffix in ENCODINGS.values())
        body_path = path + ENCODINGS[encoding] if encoding else path
        stat = os.stat(body_path)
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}{"-" + encoding if encoding else ""}"'
        # The plain file's date for every representation: a retry that got a compressed copy first resumes
        # the plain file with If-Range on this date.
        mtime = os.stat(path).st_mtime
        modified = self.date_time_string(int(mtime))
        if self.not_modified(etag, mtime):
            self.send_response(304)
            self.send_validators(etag, modified, has_variants)
            self.end_headers()
            return None
        first, last, status = 0, stat.st_size - 1, 200
        if byte_range and self.headers.get("If-Range", etag) in (etag, modified):
            wanted = parse_range(byte_range, size)
            if wanted is None:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            (first, last), status = wanted, 206
        f = open(body_path, "rb")
        f.seek(first)
        body = io.BytesIO(f.read(last - first + 1)) if status == 206 else f
        if status == 206:
            f.close()
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(path))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if status == 206:
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.send_validators(etag, modified, has_variants)
        self.end_headers()
        return body

    def not_modified(self, etag: str, mtime: float) -> bool:
        """A conditional GET whose copy is current (If-None-Match wins over If-Modified-Since)."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
        return False

    def send_validators(self, etag: str, modified: str, vary: bool) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Accept-Ranges", "bytes")
        if vary:
            self.send_header("Vary", "Accept-Encoding")


# A browser that abandons a download (a reload, a closed tab, an aborted fetch) resets the connection; the
# handler's next write then fails. That is the client's choice, not a server error: no traceback.
CLIENT_GONE = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def handle_error(self, request, client_address) -> None:
        """Quiet for a client that went away; the standard traceback for anything else."""
        if isinstance(sys.exc_info()[1], CLIENT_GONE):
            return
        super().handle_error(request, client_address)


def serve(directory: Path | str, port: int = 0) -> tuple[Server, str]:
    """Serve `directory` on 127.0.0.1 in a background thread; return (server, base URL).

    Port 0, or a busy port, gives a free one. Stop it with server.shutdown().
    """
    handler = functools.partial(Handler, directory=str(directory))
    try:
        server = Server(("127.0.0.1", port), handler)
    except OSError as e:
        if e.errno != errno.EADDRINUSE:
            raise
        server = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="mikiwame-serve", daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output directory (default dist/)")
    parser.add_argument("--port", type=int, default=8000, help="port for serve (default 8000)")
    parser.add_argument("--no-build", action="store_true", help="serve the existing output")
    parser.add_argument("--web", type=Path, default=None, help="page sources to use instead of web/")
    args = parser.parse_args(argv)
    try:
        if not (args.command == "serve" and args.no_build):
            build(args.out, args.web)
    except BuildError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        return 1
    if args.command == "serve":
        if not (args.out / "index.html").exists():
            print(f"build.py: error: {args.out}/index.html not found; build first", file=sys.stderr)
            return 1
        server, url = serve(args.out, args.port)
        print(f"Serving mikiwame at {url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
