"""The installable app's server side: service worker, offline page, outbox page.

What the service worker may cache (decided here, enforced in static/js/sw.js):
- the app shell (CSS, JS, icons, manifest, /offline), precached and versioned by BUILD;
- PAGES: the features' offline screens (form shells, the outbox page), network-first. They
  carry no personal data (empty forms, the user's own menu), so keeping them despite the
  server's `no-store` reveals nothing that the phone does not already hold; they are dropped
  at logout.
- Never pages that show households or people (lists, details, the worklist, a household's
  visit form). Offline, those addresses open STANDINS instead: a screen that declares it
  stands in for them (the offline visit page, whose household list comes from the reference
  data in IndexedDB).
"""

import hashlib
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from fieldapp.auth.access import login_required
from fieldapp.features import installed
from fieldapp.i18n import LOCAL_TZ
from fieldapp.sync.registry import TYPES

bp = Blueprint("pwa", __name__)

SHELL_DIRS = ("css", "js", "img")


def _screens(role: str | None = None) -> list:
    """The installed features' offline screens (those role may open)."""
    return [s for f in installed() for s in f.screens if role is None or role in s.roles]


def _url(endpoint: str) -> str | None:
    try:
        return url_for(endpoint)
    except BuildError:  # that feature is not installed
        return None


def _static_root() -> Path:
    return Path(current_app.static_folder)


def _shell_files() -> list[str]:
    """Static files the service worker precaches, relative to static/."""
    root = _static_root()
    files = [p for d in SHELL_DIRS for p in sorted((root / d).rglob("*")) if p.is_file()]
    names = [p.relative_to(root).as_posix() for p in files]
    # The PNG icons are for installing the app: the browser fetches them itself, never offline.
    return [n for n in names if n != "js/sw.js" and not n.endswith(".png")] + ["manifest.webmanifest"]


@cache
def _digest(stamp: tuple) -> str:
    """Content hash of the shell files, keyed by their (name, mtime, size) stamp."""
    root, h = _static_root(), hashlib.sha256()
    for name, _mtime, _size in stamp:
        h.update(name.encode() + b"\0" + (root / name).read_bytes())
    return h.hexdigest()[:16]


def build_id() -> str:
    """Changes whenever a shell file or the service worker changes: new caches, old ones go."""
    root = _static_root()
    names = [*_shell_files(), "js/sw.js"]
    stamp = tuple((n, (root / n).stat().st_mtime_ns, (root / n).stat().st_size) for n in names)
    salt = current_app.config.get("PWA_BUILD_SALT", "")
    return _digest(stamp) + (f"-{salt}" if salt else "")


def _pattern(endpoint: str) -> str | None:
    """An endpoint's URL rule as a path regex (each <argument> one path segment)."""
    rules = list(current_app.url_map.iter_rules(endpoint)) if endpoint in current_app.view_functions else []
    if not rules:
        return None  # that feature is not installed
    parts = re.split(r"<[^>]+>", rules[0].rule.rstrip("/") or "/")
    return "^" + "[^/]+".join(re.escape(part) for part in parts) + "/?$"


def _standins() -> list[list[str]]:
    """[path pattern, cached page] pairs: what an uncached personal-data page opens offline."""
    return [[pattern, url] for screen in _screens() if (url := _url(screen.endpoint))
            for pattern in map(_pattern, screen.stands_in_for) if pattern]


@bp.get("/sw.js")
def service_worker():
    """The service worker from the root so its scope is the whole app, with its build id."""
    source = (_static_root() / "js" / "sw.js").read_text(encoding="utf-8")
    build = build_id()
    config = {
        "BUILD": build,
        "SHELL": [url_for("static", filename=n) for n in _shell_files()] + [url_for("pwa.offline")],
        "PAGES": sorted({u for s in _screens() if (u := _url(s.endpoint))}),
        "STANDINS": _standins(),
        "OFFLINE": url_for("pwa.offline"),
    }
    head = "".join(f"const {k} = {json.dumps(v)};\n" for k, v in config.items())
    resp = Response(head + source, mimetype="text/javascript")
    resp.headers["Service-Worker-Allowed"] = "/"
    resp.headers["Cache-Control"] = "no-cache"  # browsers compare it on every navigation
    resp.set_etag(build)
    return resp.make_conditional(request)


@bp.get("/offline")
def offline():
    """What an uncached screen shows with no connection (precached by the service worker)."""
    links = []
    if g.get("user") is not None:
        links = [(url, screen.label) for screen in _screens(g.user.role)
                 if screen.label and (url := _url(screen.endpoint))]
    return render_template("pwa/offline.html", links=links)


@bp.get("/outbox")
@login_required
def outbox():
    """The records still on this phone; the list itself is drawn from IndexedDB by outbox-page.js."""
    forms = {name: u for name, rt in TYPES.items() if (u := _url(rt.form))}
    strings = {
        "types": {name: str(rt.label) for name, rt in TYPES.items()},
        "status": {"pending": _("Waiting to be sent"), "rejected": _("Rejected: correct it and resend"),
                   "conflict": _("Conflict with the record on the server")},
        "edit": _("Edit and resend"), "delete": _("Delete from this phone"),
        "confirmDelete": _("Delete this record from this phone? It has not been sent and cannot be "
                           "recovered."),
        "empty": _("Every record has been sent."),
        "sending": _("Sending…"), "sent": _("Sent."),
        "offline": _("No connection. The records will be sent when the phone is back online."),
        "failed": _("The server did not confirm receipt. Sending will be retried automatically."),
        "otherUser": _("Recorded by %(user)s: sent when they sign in.", user="{user}"),
        "wrongPassword": _("Wrong username or password."),
    }
    return render_template("pwa/outbox.html", forms=forms, strings=strings)


@bp.app_context_processor
def _pwa_globals():
    return {"pwa_config": pwa_config}


def pwa_config() -> dict:
    """What outbox.js needs on every signed-in page: texts, sync order, screens to keep offline."""
    user = g.user
    return {
        "user": user.username,
        "outbox": url_for("pwa.outbox"),
        "today": datetime.now(LOCAL_TZ).date().isoformat(),
        "order": {name: rt.order for name, rt in TYPES.items()},
        "warm": [u for s in _screens(user.role) if (u := _url(s.endpoint))],
        "strings": {
            "saved": _("Saved on this phone; it will be sent when there is a connection."),
            "sent": _("Saved and sent to the server."),
            "unsent": _("Records not sent: %(n)s", n="{n}"),
            "needLogin": _("Sign in again to send"),
            "logoutWarn": _("Records not sent: %(n)s. They stay on this phone and will be sent "
                            "after you sign in again. Sign out anyway?", n="{n}"),
            "editing": _("You are correcting a record that has not been sent yet. Saving sends it "
                         "again."),
            "storeFailed": _("This phone could not store the record. Check the free storage and "
                             "try again."),
        },
    }
