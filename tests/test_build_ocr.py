"""build_ocr.py: the image reader's npm packages are pinned and checked, and never precached."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import sys

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import build_ocr  # noqa: E402
DIST = Path(os.environ.get("MIKIWAME_DIST", ROOT / "dist"))


def test_a_tarball_that_fails_its_integrity_is_refused_and_removed(tmp_path, monkeypatch):
    """What `npm pack` brings must match the pinned sha512, or the build stops (and keeps nothing)."""

    def fake_npm_pack(cmd, **kwargs):
        name, version = cmd[2].rsplit("@", 1)
        (Path(cmd[-1]) / build_ocr.tarball_name(name, version)).write_bytes(b"not the package")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(build_ocr.npm_pinned.subprocess, "run", fake_npm_pack)
    with pytest.raises(build_ocr.OcrBuildError, match="integrity mismatch"):
        build_ocr.npm_tarball(tmp_path, "@tesseract.js-data/eng")
    assert list((tmp_path / "npm").iterdir()) == []


def test_every_package_is_pinned_with_a_sha512():
    for name, (version, integrity) in build_ocr.OCR_PACKAGES.items():
        assert version.count(".") == 2 and not version.startswith(("^", "~")), name
        assert integrity.startswith("sha512-") and len(integrity) == 95, name
    assert {pkg for pkg, _ in build_ocr.OCR_FILES.values()} == set(build_ocr.OCR_PACKAGES)


def test_the_built_site_ships_the_reader_outside_the_precache():
    if not (DIST / "sw.js").exists():
        pytest.fail(f"{DIST}/sw.js is missing: build first (./test.sh does)")
    for rel in build_ocr.OCR_FILES:
        assert (DIST / rel).is_file(), rel
    precached = json.loads((DIST / "asset-manifest.json").read_text("utf-8"))["files"]
    assert "./sw-intake.js" in precached and "./ocr.js" in precached and "./ocr-text.js" in precached
    assert "./ocr-links.js" in precached  # imported by ocr.js: reading offline needs it too
    assert [f for f in precached if f.startswith("./ocr/")] == []
    intake = (DIST / "sw-intake.js").read_text("utf-8")
    assert "__MIKIWAME_OCR_VERSION__" not in intake
    # The page never lets tesseract.js pick its default CDN: all three paths are our own.
    ocr = (DIST / "ocr.js").read_text("utf-8")
    for option in ("workerPath: OCR_BASE", "corePath: `${OCR_BASE}", "langPath: OCR_BASE", "workerBlobURL: false"):
        assert option in ocr, option


def test_the_service_worker_gets_the_ocr_version_or_the_build_stops():
    cache = ROOT / ".cache"  # filled by the build (./test.sh builds before testing)
    files = {"sw-intake.js": b"const OCR_CACHE = `ocr-mikiwame-__MIKIWAME_OCR_VERSION__`;"}
    build_ocr.add_to_site(files, cache)
    version = build_ocr.ocr_version({k: v for k, v in files.items() if build_ocr.is_ocr_file(k)})
    assert files["sw-intake.js"] == f"const OCR_CACHE = `ocr-mikiwame-{version}`;".encode()
    assert set(build_ocr.OCR_FILES) <= set(files)
    with pytest.raises(build_ocr.OcrBuildError, match="placeholder"):
        build_ocr.add_to_site({"sw-intake.js": b"const OCR_CACHE = 'fixed';"}, cache)
