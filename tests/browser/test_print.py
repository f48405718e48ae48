"""The monthly and annual reports print on A4 in real Chromium, on a known number of pages."""

import re

import pytest

from .test_roles_phone import sign_in


def _pages(pdf: bytes) -> int:
    """Pages of a PDF (its page objects; /Pages is the tree, not a page)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("path,pages", [("/reports/monthly?month=2025-12", 2),
                                        ("/reports/annual?year=2025", 2)])
def test_report_prints_on_a4(browser, live_server, path, pages):
    context = browser.new_context(viewport={"width": 1024, "height": 1400}, locale="vi-VN")
    page = context.new_page()
    try:
        sign_in(page, live_server, "canbo")
        page.goto(f"{live_server}{path}")
        page.emulate_media(media="print")
        assert page.locator(".topbar").is_hidden() and page.locator("form.filters").is_hidden()
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert _pages(pdf) == pages
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.locator("article.a4").inner_text()
    finally:
        context.close()
