"""Engine-test options. Kept tiny on purpose; the Playwright fixtures live in tests/e2e/conftest.py."""

from __future__ import annotations


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/fixtures/messages/*.expected.json from the current engine (review the diff!)",
    )
