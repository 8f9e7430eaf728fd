#!/usr/bin/env python3
"""Write pysrc/mikiwame/data/scam_templates.json: the reported scams that rule MK120 compares a message with.

    python scripts/build_template_library.py [--check]

The library is every scam message of the corpus's **dev** split (tests/corpus, ``tests/corpus_data.py``) of
at most ``learned.READ_LIMIT`` characters (what the wording model reads), each with its id, text, source page and date: real messages,
quoted on public warning pages, that the page can show beside a message worded like them. The blind split is
never read. Run it after the corpus changes (as ``train_wording_model.py`` is); ``--check`` only says whether
the file is up to date (tests/test_templates.py makes the same check).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pysrc"))
sys.path.insert(0, str(ROOT / "tests"))

from corpus_data import SCAM  # noqa: E402
from mikiwame.learned import READ_LIMIT  # noqa: E402

OUT = ROOT / "pysrc" / "mikiwame" / "data" / "scam_templates.json"


def library() -> dict:
    """The file's content: dev scams within READ_LIMIT, in the corpus's order."""
    rows = [[m["id"], m["text"], m["source"], str(m.get("date") or "")]
            for m in SCAM if m["split"] == "dev" and len(m["text"]) <= READ_LIMIT]
    return {"_generated": "by scripts/build_template_library.py from tests/corpus (dev split); do not edit",
            "fields": ["id", "text", "source", "date"], "templates": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when the file is not what the corpus gives")
    args = ap.parse_args(argv)
    content = library()
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":")) + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.relative_to(ROOT)}: {'up to date' if same else 'out of date: run this script'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(content['templates'])} dev scams, {len(text.encode()) // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
