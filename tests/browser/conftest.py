"""A live server on 127.0.0.1 and a headless Chromium for real-browser tests."""

import os
import threading
import time

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


class InFlight:
    """WSGI middleware counting requests still running, so teardown can wait for them."""

    def __init__(self, app):
        self.app = app
        self.running = {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        key = object()
        with self.lock:
            self.running[key] = (f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}",
                                 threading.current_thread())
        done = lambda: self.running.pop(key, None)  # noqa: E731
        try:
            body = self.app(environ, start_response)
        except BaseException:
            done()
            raise
        return _Closing(body, done)

    def wait(self, timeout=15.0):
        """Block until no request runs (each returns its database connection when it ends).

        A request has ended when its body was closed or its thread is gone: werkzeug skips
        the close when the client resets the connection right after the answer.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                left = [what for what, thread in self.running.values() if thread.is_alive()]
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.02)


class _Closing:
    """A response body that reports when the server has closed it."""

    def __init__(self, body, on_close):
        self.body, self.on_close = body, on_close

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.on_close()


@pytest.fixture
def live_server(app, demo):
    """The test app with demo data, served by werkzeug in a daemon thread; yields its base URL.

    Teardown waits for requests still running (a service worker's background fetch may
    outlive the test): otherwise a request would hold a database connection past the
    engine's dispose and leave it to the garbage collector.
    """
    inflight = InFlight(app)
    server = make_server("127.0.0.1", 0, inflight, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()
    assert inflight.wait() == [], "requests still running 15 s after the test"


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
