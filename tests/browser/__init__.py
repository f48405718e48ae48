"""Real-browser tests (Chromium through Playwright)."""
