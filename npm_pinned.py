"""One way to get a browser asset or test corpus from the npm registry: `npm pack NAME@VERSION` with the
ordinary client, checked against its pinned Subresource-Integrity string on every use, kept in .cache/npm/
(standard library only, so build.py, build_ocr.py, benchmarks and tests can all import it)."""

from __future__ import annotations

import base64
import hashlib
import subprocess
from pathlib import Path


class IntegrityError(Exception):
    """A package could not be fetched or does not match its pinned integrity."""


def integrity_of(data: bytes, algo: str = "sha512") -> str:
    """npm's Subresource-Integrity string for ``data``."""
    return f"{algo}-{base64.b64encode(hashlib.new(algo, data).digest()).decode()}"


def tarball_name(name: str, version: str) -> str:
    """The file `npm pack` writes: scope folded in (@a/b -> a-b-VERSION.tgz)."""
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def tarball(cache: Path, name: str, version: str, integrity: str, log=print) -> Path:  # noqa: ANN001
    """The pinned tarball of ``name@version`` in ``cache``/npm, fetched once and checked on every use."""
    folder = cache / "npm"
    path = folder / tarball_name(name, version)
    algo = integrity.partition("-")[0]
    if not path.exists() or integrity_of(path.read_bytes(), algo) != integrity:
        folder.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        log(f"fetching {name}@{version} with npm pack")
        try:
            subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(folder)],
                           check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as e:
            raise IntegrityError(f"npm pack {name}@{version} failed: {getattr(e, 'stderr', e)}") from e
    got = integrity_of(path.read_bytes(), algo)
    if got != integrity:
        path.unlink()
        raise IntegrityError(f"{name}@{version} integrity mismatch: expected {integrity}, got {got}")
    return path
