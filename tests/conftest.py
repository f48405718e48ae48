"""Fixtures in the flaskr style: app (fresh database per test), client, login, demo data.

SQLite by default; set TEST_DATABASE_URL=postgresql+psycopg://… to run the same suite on
PostgreSQL.
"""

import os
import re
import threading
import time
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel
from werkzeug.serving import make_server

import fieldapp.models  # noqa: F401  (every table on the metadata)
from fieldapp import create_app
from fieldapp.db import make_engine
from fieldapp.demo import DEMO_PASSWORD, load_demo

PG_URL = os.environ.get("TEST_DATABASE_URL")
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def pg_schema():
    """On PostgreSQL, build the schema once; tests then empty the tables after themselves."""
    if not PG_URL:
        yield None
        return
    engine = make_engine(PG_URL)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_url(tmp_path, pg_schema):
    """A fresh, empty database for one test."""
    if pg_schema is None:
        url = f"sqlite:///{tmp_path / 'test.db'}"
        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        yield url
        return
    yield PG_URL
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with pg_schema.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def empty_database(tmp_path):
    """An empty database of the test's engine: a new SQLite file, or a scratch PostgreSQL
    database (named after the test database, dropped afterwards)."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty' / 'fieldapp.db'}"
        return
    name = f"{make_url(PG_URL).database}_scratch_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def app(db_url):
    """The app on the test database, with cheap password hashing."""
    app = create_app({
        "FIELDAPP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": db_url,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KB": 256,
    })
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def db(app):
    """A session on the app's database, for arranging (commit!) and checking rows.

    No app context is held open here: requests in the test must each get their own `g`.
    Test clients end this session's transaction before each request, so the test never
    holds a lock a request needs and its next read sees what the request wrote.
    """
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        app.config["TEST_DB_SESSION"] = session
        yield session
        app.config.pop("TEST_DB_SESSION", None)


@pytest.fixture
def demo(app, db):
    """The demo commune: 10 thôn and one user per role (password demo1234)."""
    with app.app_context():
        return load_demo(db)


@pytest.fixture
def demo_records(app, db, monkeypatch):
    """The demo commune with records of every type (smaller than `flask demo load`)."""
    import functools

    from fieldapp.figures import demo as figures
    from fieldapp.lessons import demo as lessons
    from fieldapp.outreach import demo as outreach
    from fieldapp.surveys import demo as surveys
    from fieldapp.visits import demo as visits

    monkeypatch.setattr(visits, "household_rows", functools.partial(visits.household_rows, total=30))
    monkeypatch.setattr(surveys, "MONTHS", [(2025, 1), (2025, 2), (2025, 3)])
    monkeypatch.setattr(lessons, "months_until", lambda today: [(2025, 9), (2025, 10)])
    monkeypatch.setattr(outreach, "months_until", lambda today: [(2025, 9), (2025, 10)])
    monkeypatch.setattr(figures, "_months", lambda until: ["2025-01", "2025-02", "2025-03"])
    with app.app_context():
        load_demo(db, records=True)
    return db


class Client:
    """A test client that signs in through the real form and sends the CSRF token."""

    def __init__(self, flask_client):
        self.c = flask_client
        self.csrf = None

    def __getattr__(self, name):
        return getattr(self.c, name)

    def _settle(self):
        session = self.c.application.config.get("TEST_DB_SESSION")
        if session is not None:
            session.rollback()

    def get(self, *args, **kwargs):
        """GET after releasing the test's read snapshot."""
        self._settle()
        return self.c.get(*args, **kwargs)

    def token(self, path="/login"):
        """Read a CSRF token from a page of the current session."""
        html = self.get(path).get_data(as_text=True)
        m = CSRF_RE.search(html)
        assert m, f"no CSRF token on {path}"
        self.csrf = m.group(1) or m.group(2)
        return self.csrf

    def post(self, path, data=None, csrf=True, **kwargs):
        """POST with the session's CSRF token unless csrf=False."""
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            data["csrf_token"] = self.csrf or self.token()
        self._settle()
        return self.c.post(path, data=data, **kwargs)

    def login(self, username, password=DEMO_PASSWORD):
        """Sign in; returns the response of the login POST."""
        self.csrf = None
        self.token("/login")
        resp = self.post("/login", {"username": username, "password": password})
        self.csrf = None  # the session was renewed at login; read a fresh token lazily
        if resp.status_code == 302:
            self.token("/account")
        return resp


@pytest.fixture
def client(app):
    """An anonymous browser."""
    return Client(app.test_client())


@pytest.fixture
def login(app):
    """login('tocns') -> a Client signed in as that demo user."""

    def _login(username, password=DEMO_PASSWORD):
        c = Client(app.test_client())
        resp = c.login(username, password)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return c

    return _login


@pytest.fixture
def runner(app):
    """Flask CLI runner."""
    return app.test_cli_runner()


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
