"""A headless Chromium for real-browser tests (the live server is in tests/conftest.py)."""

import os

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system; a missing binary fails the tests, it never skips them."""
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True, args=CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    """A fresh 360x740 touch page with no shared cookies."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()
