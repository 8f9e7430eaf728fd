"""Small helpers shared by the end-to-end tests (imported as `helpers`: pytest puts this folder on sys.path)."""

from __future__ import annotations

import json
import os
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"


def corpus_text(message_id: str) -> str:
    """The text of a real message from the dev corpus, by id (scam or legit)."""
    for name in ("scam.jsonl", "legit.jsonl"):
        for line in (CORPUS / name).read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if item["id"] == message_id:
                    return item["text"]
    raise KeyError(message_id)


def linked_copy(src: Path, dest: Path, without: tuple[str, ...] = ()) -> Path:
    """A copy of a built site made of symlinks, leaving out the files named (paths relative to `src`)."""
    for path in src.rglob("*"):
        rel = path.relative_to(src)
        target = dest / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif rel.as_posix() not in without:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(path, target)
    return dest


class LocalServer:
    """build.py's own static server on a free loopback port, in a thread. Its directory can be swapped while
    it runs (same origin, same port: the update test), and it records each request's method and path (what
    reached the server: the privacy and share-target tests)."""

    def __init__(self, build_module, directory: Path):  # noqa: ANN001 - build.py, imported by the conftest
        import threading

        self.directory = Path(directory)
        self.seen: list[tuple[str, str]] = []
        holder = self

        class Handler(build_module.Handler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(holder.directory), **kwargs)

            def log_request(self, code="-", size="-"):  # noqa: ANN001
                holder.seen.append((self.command, self.path))

        self.server = build_module.Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def first_visit(page, url: str, timeout: int = 70_000) -> None:
    """Open ``url`` in ``page`` and wait until the service worker controls it (``html[data-sw=ready]``): the
    first visit that a repeat-visit test reloads after."""
    page.goto(url)
    page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=timeout)
