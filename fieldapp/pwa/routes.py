"""The installable app's server side: service worker, offline page, outbox page, offline visits.

What the service worker may cache (decided here, enforced in static/js/sw.js):
- the app shell (CSS, JS, icons, manifest, /offline), precached and versioned by BUILD;
- PAGES: form shells and the outbox page, network-first. They carry no personal data (empty
  forms, the user's own menu), so keeping them despite the server's `no-store` reveals nothing
  that the phone does not already hold; they are dropped at logout.
- Never pages that show households or people (lists, details, the worklist, a household's
  visit form). Offline, those addresses open STANDINS instead: the offline visit page, whose
  household list comes from the reference data in IndexedDB.
"""

import hashlib
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from fieldapp.auth.access import login_required, roles_required
from fieldapp.auth.roles import LEADER, ROLES, SEES_PERSONAL_DATA, TEACHER
from fieldapp.catalog import SERVICES
from fieldapp.feedback.services import FEEDBACK_ROLES
from fieldapp.i18n import LOCAL_TZ
from fieldapp.surveys.services import SURVEY_ROLES
from fieldapp.visits.forms import VisitForm
from fieldapp.visits.models import RESULTS, commune_today

bp = Blueprint("pwa", __name__)

SHELL_DIRS = ("css", "js", "img")
# Screens that open offline once cached, and the roles that may open them.
PAGES = [
    ("home.index", ROLES),
    ("households.new", SEES_PERSONAL_DATA),
    ("pwa.quick_visit", SEES_PERSONAL_DATA),
    ("surveys.new", SURVEY_ROLES),
    ("feedback.new", FEEDBACK_ROLES),
    ("lessons.new", (TEACHER,)),
    ("outreach.new", (LEADER,)),
    ("pwa.outbox", ROLES),
    ("pwa.offline", ROLES),
]
# Record type -> the form that creates it (re-opened pre-filled to correct a record).
FORMS = {"household": "households.new", "visit": "pwa.quick_visit", "survey": "surveys.new",
         "feedback": "feedback.new", "lesson": "lessons.new", "outreach": "outreach.new"}
TYPE_LABELS = {
    "household": _l("Household"), "visit": _l("Visit"), "survey": _l("Satisfaction survey"),
    "feedback": _l("Feedback"), "attendance": _l("Attendance"), "lesson": _l("Lesson"),
    "outreach": _l("Outreach activity"),
}


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


def _standins() -> list[list[str]]:
    """[path pattern, cached page] pairs: what an uncached personal-data page opens offline."""
    quick = url_for("pwa.quick_visit")
    paths = [_url("households.index"), _url("visits.worklist"), _url("visits.index")]
    rules = [[f"^{re.escape(p.rstrip('/'))}/?$", quick] for p in paths if p]
    rules.append([r"^/households/\d+/visits/new$", quick])
    return rules


@bp.get("/sw.js")
def service_worker():
    """The service worker from the root so its scope is the whole app, with its build id."""
    source = (_static_root() / "js" / "sw.js").read_text(encoding="utf-8")
    build = build_id()
    config = {
        "BUILD": build,
        "SHELL": [url_for("static", filename=n) for n in _shell_files()] + [url_for("pwa.offline")],
        "PAGES": sorted({u for u in (_url(e) for e, _r in PAGES) if u}),
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
        labels = {"households.new": _("Register a household"), "pwa.quick_visit": _("Record a visit"),
                  "surveys.new": _("Satisfaction survey form"), "feedback.new": _("Record feedback"),
                  "lessons.new": _("Lesson"), "outreach.new": _("Outreach activity"),
                  "pwa.outbox": _("Records not sent yet"), "home.index": _("Home")}
        links = [(url, labels[e]) for e, roles in PAGES
                 if e in labels and g.user.role in roles and (url := _url(e))]
    return render_template("pwa/offline.html", links=links)


@bp.get("/outbox")
@login_required
def outbox():
    """The records still on this phone; the list itself is drawn from IndexedDB by outbox-page.js."""
    forms = {t: u for t, e in FORMS.items() if (u := _url(e))}
    strings = {
        "types": {k: str(v) for k, v in TYPE_LABELS.items()},
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


@bp.get("/visits/quick")
@roles_required(*SEES_PERSONAL_DATA)
def quick_visit():
    """Record a visit with no connection: the household is picked from the phone's copy."""
    form = VisitForm()
    form.visited_at.data = commune_today()
    strings = {
        "notSent": _("Not sent yet"), "noHousehold": _("No household found."),
        "noReference": _("The household list is not on this phone yet. Open this page once with a "
                         "connection."),
        "pick": _("Choose a household first."),
        "adults": _("%(n)s adults", n="{n}"),
    }
    return render_template("pwa/quick_visit.html", form=form, results=RESULTS, services=SERVICES,
                           today=commune_today(), strings=strings)


@bp.app_context_processor
def _pwa_globals():
    return {"pwa_config": pwa_config}


def pwa_config() -> dict:
    """What outbox.js needs on every signed-in page: texts, sync order, screens to keep offline."""
    from fieldapp.sync.registry import TYPES

    user = g.user
    return {
        "user": user.username,
        "outbox": url_for("pwa.outbox"),
        "today": datetime.now(LOCAL_TZ).date().isoformat(),
        "order": {name: rt.order for name, rt in TYPES.items()},
        "warm": [u for e, roles in PAGES if user.role in roles and (u := _url(e))],
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
