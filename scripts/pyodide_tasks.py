"""Build-time tasks that must run on Pyodide's own Python (run through scripts/pyodide_run.mjs).

Bytecode is only valid for the interpreter that wrote it, so the .pyc files shipped to the browser are
compiled here, by the same CPython 3.14 build that runs in the page.

    compile-zip IN.zip OUT.zip [--keep MODULES.json] [--stored]
        Replace every .py of a zip (the standard library) with an unchecked-hash .pyc beside it (sourceless,
        which zipimport loads without looking for the source). With --keep, drop the modules not listed.
    compile-wheel IN.whl OUT.whl [--stored]
        Add __pycache__/*.cpython-XY.pyc (unchecked-hash) for every .py of a pure-Python wheel; keep the .py
        files for tracebacks and update RECORD.
        --stored (both tasks): entries are stored, not deflated, because the web server compresses the whole
        file with brotli, which finds far more to share across entries than deflate does within each one.
    trace OUT.json TEXTS.json
        Import mikiwame, warm it up, check every text of TEXTS.json in ja and en, and write the names of the
        standard-library modules that were imported.

All paths are paths inside Pyodide's file system (the host directory is mounted at /host).
"""

import base64
import hashlib
import importlib.util
import json
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

STDLIB_ZIP_PREFIX = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
SITE_PACKAGES = f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages/"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def to_pyc(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def entry(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_DATE)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def module_of(name: str) -> str:
    """'json/__init__.py' -> 'json', 'json/decoder.py' -> 'json.decoder'."""
    stem = name[:-3]
    if stem.endswith("/__init__"):
        stem = stem[: -len("/__init__")]
    return stem.replace("/", ".")


def compile_zip(src: str, dst: str, keep_file: str | None, stored: bool) -> None:
    keep = None
    if keep_file:
        with open(keep_file, encoding="utf-8") as f:
            keep = set(json.load(f))
    compress = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    kept = dropped = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compresslevel=9) as zout:
        for info in sorted(zin.infolist(), key=lambda i: i.filename):
            name = info.filename
            if name.endswith("/"):
                continue  # zipimport needs no directory entries
            if name.endswith(".py"):
                if keep is not None and module_of(name) not in keep:
                    dropped += 1
                    continue
                pyc = to_pyc(zin.read(name), STDLIB_ZIP_PREFIX + name)
                zout.writestr(entry(name + "c", compress), pyc)
                kept += 1
            elif name.endswith("py.typed"):
                continue
            else:
                zout.writestr(entry(name, compress), zin.read(name))
    print(f"compile-zip: {kept} modules compiled, {dropped} dropped")


def compile_wheel(src: str, dst: str, stored: bool = False) -> None:
    tag = sys.implementation.cache_tag
    with zipfile.ZipFile(src) as zin:
        names = zin.namelist()
        files = {n: zin.read(n) for n in names if not n.endswith("/")}
    record_name = next(n for n in files if n.endswith(".dist-info/RECORD"))
    for name in sorted(files):
        if name.endswith(".py"):
            head, _, base = name.rpartition("/")
            pyc_name = f"{head + '/' if head else ''}__pycache__/{base[:-3]}.{tag}.pyc"
            files[pyc_name] = to_pyc(files[name], SITE_PACKAGES + name)
    rows = []
    for name in sorted(files):
        if name == record_name:
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(files[name]).digest()).rstrip(b"=").decode()
        rows.append(f"{name},sha256={digest},{len(files[name])}")
    rows.append(f"{record_name},,")
    files[record_name] = ("\n".join(rows) + "\n").encode()
    compress = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(dst, "w", compress, compresslevel=9) as zout:
        # dist-info last, as wheels customarily have it.
        for name in sorted(files, key=lambda n: (".dist-info/" in n, n)):
            zout.writestr(entry(name, compress), files[name])
    print(f"compile-wheel: {dst}")


def trace(out: str, texts_file: str) -> None:
    with open(texts_file, encoding="utf-8") as f:
        texts = json.load(f)
    import mikiwame

    mikiwame.warm_up()
    for text in texts:
        for lang in ("ja", "en"):
            mikiwame.check_json(text, lang)
    modules = set()
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) or ""
        if origin.startswith(STDLIB_ZIP_PREFIX):
            modules.add(name)
            # A package's parents are needed too (they are imported first anyway).
            while "." in name:
                name = name.rpartition(".")[0]
                modules.add(name)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(sorted(modules), f, indent=0)
    print(f"trace: {len(modules)} standard-library modules imported")


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    task, a, b, *rest = argv
    if task == "compile-zip":
        keep = rest[rest.index("--keep") + 1] if "--keep" in rest else None
        compile_zip(a, b, keep, "--stored" in rest)
    elif task == "compile-wheel":
        compile_wheel(a, b, "--stored" in rest)
    elif task == "trace":
        trace(a, b)
    else:
        print(f"unknown task {task!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
