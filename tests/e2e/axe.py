"""axe-core for the accessibility tests, from npm like build.py gets Pyodide: `npm pack` of a pinned version,
checked against its pinned sha512 integrity, cached in .cache/ (never from a CDN, never unchecked).

`python tests/e2e/axe.py` fetches it ahead (./test.sh does, so that a missing npm fails early).
"""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"
sys.path.insert(0, str(ROOT))
import npm_pinned  # noqa: E402

AXE_VERSION = "4.14.1"
# `npm view axe-core@4.14.1 dist.integrity`; every tarball is checked against it before use.
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="


def axe_source() -> str:
    """The text of axe.min.js from the integrity-checked package (fetched with npm pack once, then cached)."""
    target = CACHE / f"axe-core-{AXE_VERSION}" / "axe.min.js"
    stamp = target.with_name(".integrity")
    if target.exists() and stamp.exists() and stamp.read_text() == AXE_INTEGRITY:
        return target.read_text("utf-8")
    tarball = npm_pinned.tarball(CACHE, "axe-core", AXE_VERSION, AXE_INTEGRITY, log=lambda m: None)
    with tarfile.open(tarball) as tar:
        source = tar.extractfile("package/axe.min.js").read()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source)
    stamp.write_text(AXE_INTEGRITY)
    return source.decode("utf-8")


def run_axe(page_or_frame) -> list[dict]:
    """axe's violations (every impact, WCAG 2.x A/AA and best practices) for the document in view."""
    if not page_or_frame.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's strict CSP does not govern.
        page_or_frame.evaluate(axe_source())
    result = page_or_frame.evaluate("async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
                                    " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                                    " nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary)}));"
                                    " }")
    return result


if __name__ == "__main__":
    print(f"axe-core {AXE_VERSION}: {len(axe_source()):,} characters, integrity checked", file=sys.stderr)
