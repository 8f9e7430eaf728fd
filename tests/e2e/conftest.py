"""Shared fixtures for the Playwright tests: build dist/ once, serve it, drive Debian's Chromium.

* `dist_dir`     – `built_dist` (tests/conftest.py): `python3 build.py` once per run (skipped with
                   MIKIWAME_SKIP_BUILD=1; another output directory with MIKIWAME_DIST=DIR).
* `server_url`   – dist/ served on a free 127.0.0.1 port from a thread (build.serve).
* `browser`      – Playwright's sync API on /usr/bin/chromium. A missing Chromium is an error, never a skip.
* `context`, `page` – a new browser context (empty cache and storage) for each test.
* `wait_engine_ready(page)` – waits, with a locator, for <html data-engine="ready">.

The page has a strict CSP, so waits use locators (`page.locator(...).wait_for()`), never string
`wait_for_function` expressions. Screenshots go to test-artifacts/ (`save_screenshot`, and automatically
when a test fails).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("MIKIWAME_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Cold loads take about a second; this leaves room for a slow, busy CI machine.
ENGINE_READY_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def dist_dir(built_dist) -> Path:
    dist = built_dist
    if not (dist / "index.html").exists():
        pytest.fail(f"{dist}/index.html is missing: run python3 build.py")
    return dist


@pytest.fixture(scope="session")
def server_url(dist_dir, build_module):
    server, url = build_module.serve(dist_dir, 0)
    yield url
    server.shutdown()
    server.server_close()


def launch_chromium(playwright):
    """Debian's Chromium with the project's flags (also used by benchmarks/startup.py)."""
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium); "
            "the browser tests never skip"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    try:
        browser = launch_chromium(playwright_instance)
    except RuntimeError as e:
        pytest.fail(str(e))
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="ja-JP")
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.page_errors = errors  # tests may assert on uncaught page errors
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_screenshot(page, f"FAILED-{request.node.name}")


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^A-Za-z0-9._-]+", "_", name) + ".png")
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as e:  # a crashed page must not hide the test's own failure
        print(f"screenshot {name} failed: {e}", file=sys.stderr)
    return path


def wait_engine_ready(page, timeout: float = ENGINE_READY_TIMEOUT_MS) -> None:
    """Wait until the page reports <html data-engine="ready">; fail at once if it reports "error"."""
    ready = page.locator("html[data-engine=ready]")
    failed = page.locator("html[data-engine=error]")
    page.locator("html[data-engine=ready], html[data-engine=error]").wait_for(
        state="attached", timeout=timeout
    )
    if failed.count():
        raise AssertionError(f"the engine failed to load: {page.locator('body').inner_text()[:500]}")
    assert ready.count() == 1


@pytest.fixture(name="wait_engine_ready")
def wait_engine_ready_fixture():
    """The `wait_engine_ready(page)` helper, for tests that prefer a fixture to an import."""
    return wait_engine_ready


@pytest.fixture
def ready_page(page, server_url):
    """A page of the app with the engine loaded."""
    page.goto(server_url)
    wait_engine_ready(page)
    return page
