"""The pasted text never leaves the device: no request while checking, none to another origin, ever."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"


def corpus(ids):
    items = {}
    for name in ("scam.jsonl", "legit.jsonl"):
        for line in (CORPUS / name).read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                items[item["id"]] = item["text"]
    return [items[i] for i in ids]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_checking_makes_no_requests_and_nothing_leaves_the_origin(browser, server_url, wait_engine_ready):
    context = browser.new_context(locale="ja-JP")
    requests: list[str] = []
    # Context-level: the page, its engine worker and the service worker.
    context.on("request", lambda r: requests.append(r.url))
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(server_url)
        wait_engine_ready(page)
        # The service worker has finished precaching once it controls the page.
        page.locator("html[data-sw=ready]").wait_for(state="attached", timeout=60_000)
        page.locator("#examples-list button").first.wait_for()

        before = len(requests)
        texts = corpus(["scam-seed-1", "scam-seed-2", "legit-amazon-otp-001"])
        texts.append("【Amazon】アカウントを確認してください https://amazon-verify.example-login.top/a 03-1234-5678")
        texts += corpus(["legit-personal-001"])
        for text in texts:
            page.locator("#clear-btn").click()
            page.locator("#result").wait_for(state="hidden")
            page.get_by_label("メッセージ本文").fill(text)
            page.get_by_role("button", name="チェック").click()
            page.locator("#result[data-verdict]").wait_for(timeout=30_000)
        # Switching the language checks again, still without a request.
        page.get_by_role("button", name="English").click()
        page.locator("#result .verdict-headline", has_text="No known scam signs found").wait_for()
        page.locator("#check-status").wait_for(state="hidden")
        page.locator("[data-example=scam-seed-3]").click()
        page.locator("#result[data-verdict=scam]").wait_for(timeout=30_000)
        assert requests[before:] == []

        own = origin(server_url)
        foreign = [u for u in requests if not u.startswith(("data:", "blob:")) and origin(u) != own]
        assert foreign == []
        # Nothing of the text was kept in storage: only the language the reader chose ("en" here).
        stored = page.evaluate("JSON.stringify([Object.entries(localStorage), Object.keys(sessionStorage), document.cookie])")
        assert stored == '[[["mikiwame.lang","en"]],[],""]'
    finally:
        context.close()
