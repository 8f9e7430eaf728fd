"""The offline image reader's files for build.py: tesseract.js, its core and the jpn/eng data, from npm.

Kept apart from build.py (which imports `ocr_files` and `OCR_DIR`) so that the OCR assets can change
without touching the Pyodide build. Like Pyodide, every package comes from the npm registry with the
ordinary client (`npm pack`), is checked against its pinned sha512 integrity and kept in .cache/npm/;
the shipped files go to dist/ocr/, on our own origin. None of them is precached: the page downloads them
only when an image is first read (web/ocr.js), and the service worker keeps them from then on
(web/sw-intake.js).

The variant shipped was chosen by measuring (benchmarks/ocr.py; README "Sharing, pasting and screenshots"):
* the LSTM-only cores (OEM 1; the legacy engine is left out), with and without SIMD (the page picks one by
  WebAssembly feature detection, as tesseract.js would, but loads the .wasm beside the .js instead of the
  base64-inlined .wasm.js, a third larger);
* the `4.0.0_best_int` models of @tesseract.js-data/jpn and /eng (2.0 and 2.9 MB gzip; the `4.0.0` ones
  also carry the legacy engine's data and are 16 and 11 MB).
"""

from __future__ import annotations

import hashlib
import shutil
import tarfile
from pathlib import Path

import npm_pinned
from npm_pinned import tarball_name

OCR_DIR = "ocr"

# name -> (version, `npm view NAME@VERSION dist.integrity`)
OCR_PACKAGES = {
    "tesseract.js": (
        "7.0.0",
        "sha512-exPBkd+z+wM1BuMkx/Bjv43OeLBxhL5kKWsz/9JY+DXcXdiBjiAch0V49QR3oAJqCaL5qURE0vx9Eo+G5YE7mA==",
    ),
    "tesseract.js-core": (
        "7.0.0",
        "sha512-WnNH518NzmbSq9zgTPeoF8c+xmilS8rFIl1YKbk/ptuuc7p6cLNELNuPAzcmsYw450ca6bLa8j3t0VAtq435Vw==",
    ),
    "@tesseract.js-data/jpn": (
        "1.0.0",
        "sha512-nUq2xHUjiWE6FRqkvLIIbByLZ39B8qNaBSOnVP4XIKGPKtZ1e0hiRnK7WhPfl8A+Fe7aNE1u/QoXXUym3TbSCA==",
    ),
    "@tesseract.js-data/eng": (
        "1.0.0",
        "sha512-mbTumm6KQPUHyzTPQaF3ObXYnx0SqqfV2nabqFVQBwD6Kl7PhGSLSzOlfFTWy0P3BjghaSKA2W9GB19Jk+ZcTg==",
    ),
}

# Path under dist/ -> (package, path inside its tarball).
OCR_FILES = {
    f"{OCR_DIR}/tesseract.esm.min.js": ("tesseract.js", "package/dist/tesseract.esm.min.js"),
    f"{OCR_DIR}/worker.min.js": ("tesseract.js", "package/dist/worker.min.js"),
    f"{OCR_DIR}/tesseract-core-simd-lstm.js": ("tesseract.js-core", "package/tesseract-core-simd-lstm.js"),
    f"{OCR_DIR}/tesseract-core-simd-lstm.wasm": ("tesseract.js-core", "package/tesseract-core-simd-lstm.wasm"),
    f"{OCR_DIR}/tesseract-core-lstm.js": ("tesseract.js-core", "package/tesseract-core-lstm.js"),
    f"{OCR_DIR}/tesseract-core-lstm.wasm": ("tesseract.js-core", "package/tesseract-core-lstm.wasm"),
    f"{OCR_DIR}/LICENSE": ("tesseract.js-core", "package/LICENSE"),
    f"{OCR_DIR}/lang/jpn.traineddata.gz": ("@tesseract.js-data/jpn", "package/4.0.0_best_int/jpn.traineddata.gz"),
    f"{OCR_DIR}/lang/eng.traineddata.gz": ("@tesseract.js-data/eng", "package/4.0.0_best_int/eng.traineddata.gz"),
}


class OcrBuildError(Exception):
    """An OCR package could not be fetched, failed its integrity check or lacks a file."""


def npm_tarball(cache: Path, name: str) -> Path:
    """The pinned tarball of `name`, fetched once with `npm pack` and checked on every use."""
    version, expected = OCR_PACKAGES[name]
    try:
        return npm_pinned.tarball(cache, name, version, expected, log=lambda m: print(f"build: {m}", flush=True))
    except npm_pinned.IntegrityError as e:
        raise OcrBuildError(str(e)) from e


def unpacked(cache: Path, name: str) -> Path:
    """The checked tarball unpacked into .cache/ocr/<name>-<version>/ (redone when the stamp differs)."""
    version, expected = OCR_PACKAGES[name]
    target = cache / "ocr" / tarball_name(name, version).removesuffix(".tgz")
    stamp = target / ".integrity"
    if stamp.exists() and stamp.read_text() == expected:
        return target
    tarball = npm_tarball(cache, name)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    wanted = {inner for pkg, inner in OCR_FILES.values() if pkg == name}
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if member.name in wanted and member.isfile():
                dest = target / member.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(tar.extractfile(member).read())
                wanted.discard(member.name)
    if wanted:
        raise OcrBuildError(f"{name}@{version} lacks {sorted(wanted)}")
    stamp.write_text(expected)
    return target


def ocr_files(cache: Path) -> dict[str, Path]:
    """dist-relative path -> file in the cache, for every file the image reader ships."""
    roots = {name: unpacked(cache, name) for name in OCR_PACKAGES}
    return {rel: roots[pkg] / inner for rel, (pkg, inner) in OCR_FILES.items()}


def ocr_version(files: dict[str, Path]) -> str:
    """A hash of the OCR files: the name of the service worker's cache for them (sw-intake.js)."""
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(f"{rel}\0{hashlib.sha256(files[rel].read_bytes()).hexdigest()}\n".encode())
    return h.hexdigest()[:16]


def add_to_site(files: dict[str, Path | bytes], cache: Path) -> None:
    """Add the OCR files to the site's files, and their version to web/sw-intake.js (if it is there)."""
    ocr = ocr_files(cache)
    files.update(ocr)
    if "sw-intake.js" not in files:
        return
    src = files["sw-intake.js"]
    text = src.decode("utf-8") if isinstance(src, bytes) else Path(src).read_text("utf-8")
    if "__MIKIWAME_OCR_VERSION__" not in text:
        raise OcrBuildError("web/sw-intake.js lacks the placeholder __MIKIWAME_OCR_VERSION__")
    files["sw-intake.js"] = text.replace("__MIKIWAME_OCR_VERSION__", ocr_version(ocr)).encode("utf-8")


def is_ocr_file(rel: str) -> bool:
    """True for the files that are fetched on first use, never precached."""
    return rel.startswith(f"{OCR_DIR}/")
