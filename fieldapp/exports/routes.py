"""Export pages: what the user may export (with filters), the downloads, the admin's log.

CSV leaves the server chunk by chunk as rows are read; XLSX is built in a temporary file
first (openpyxl write-only, flat memory) and then sent in blocks. Both read the database
through one streaming cursor and log the export before the first byte.
"""

from datetime import date, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import gettext as _

from fieldapp.areas.models import LEVEL_LABELS, Area
from fieldapp.areas.services import subtree
from fieldapp.auth.access import login_required, require_in_scope, roles_required
from fieldapp.auth.roles import ADMIN
from fieldapp.db import get_engine, get_session
from fieldapp.exports.registry import (
    EXPORTERS,
    OTHER,
    PURPOSES,
    allowed,
    available,
    deidentified,
    may_export_personal,
    statement,
)
from fieldapp.exports.services import CountedRows, finish_log, logs_query, start_log
from fieldapp.exports.writers import csv_chunks, xlsx_chunks
from fieldapp.i18n import clean_text, local_today
from fieldapp.privacy import mask_personal
from fieldapp.records.views import paged

bp = Blueprint("exports", __name__, url_prefix="/exports")

MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _day(name: str) -> date | None:
    """A date argument from a date input (2025-04-22) or typed the Vietnamese way (22/04/2025)."""
    text = request.values.get(name, "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    abort(400)


def _filters() -> tuple[Area, date | None, date | None]:
    """The chosen area (404 outside the user's scope) and date range of the query string."""
    root = g.user_area
    wanted = request.values.get("area", "").strip()
    if wanted:
        if not wanted.isdigit():
            abort(400)
        root = require_in_scope(get_session().get(Area, int(wanted)))
    start, end = _day("from"), _day("to")
    if start and end and start > end:
        abort(400)
    return root, start, end


@bp.get("")
@login_required
def index(status: int = 200):
    """The lists this user may export, with the area and date filters; officers and admins
    also get the personal-data form, which asks for a purpose."""
    exporters = available(g.user)
    if not exporters:
        abort(403)
    areas = subtree(get_session(), g.user_area)
    areas.sort(key=lambda a: a.id != g.user_area.id)  # the user's own area first
    return render_template(
        "exports/index.html", exporters=exporters, areas=areas, levels=dict(LEVEL_LABELS),
        args=request.values, personal=[e for e in exporters if may_export_personal(e, g.user)],
        purposes=PURPOSES,
    ), status


def _purpose() -> tuple[str, str | None] | None:
    """The stated purpose of a personal-data export (code, note), or None after flashing why not."""
    code = request.form.get("purpose", "")
    # A purpose is not the place for a phone number: it would sit in the log for years.
    note = mask_personal(clean_text(request.form.get("purpose_note", "")))[:200] or None
    if code not in dict(PURPOSES):
        flash(_("Choose what the export with personal data is for."), "error")
        return None
    if code == OTHER and not note:
        flash(_("Say what the export with personal data is for."), "error")
        return None
    return code, note


@bp.route("/<name>.<any(csv, xlsx):fmt>", methods=["GET", "POST"])
@login_required
def download(name: str, fmt: str):
    """One list as CSV or XLSX, scoped to the user, filtered, logged and streamed.

    GET gives the de-identified columns to every role allowed the list; POST, for officers and
    admins with a stated purpose, adds the personal columns (names, phones, addresses, notes).
    """
    exporter = EXPORTERS.get(name)
    if exporter is None:
        abort(404)
    personal = request.method == "POST"
    if not allowed(exporter, g.user) or (personal and not may_export_personal(exporter, g.user)):
        current_app.logger.info("export refused role=%s list=%s", g.user.role, name)
        abort(403)
    purpose = _purpose() if personal else None
    if personal and purpose is None:
        return index(status=400)
    columns = exporter.columns if personal else deidentified(exporter)
    root, start, end = _filters()
    stmt = statement(exporter, user=g.user, root=root, start=start, end=end, columns=columns)
    engine = get_engine()
    filters = {"area_id": root.id, "area": root.name,
               "from": start.isoformat() if start else None, "to": end.isoformat() if end else None}
    # End the request's read transaction: the export reads on a connection of its own.
    get_session().commit()
    log_id = start_log(engine=engine, user=g.user, record_type=name, fmt=fmt, root=root, filters=filters,
                       purpose=purpose)
    rows = CountedRows(engine, stmt)
    if fmt == "csv":
        chunks = csv_chunks(columns, rows)
    else:
        chunks = xlsx_chunks(columns, rows, title=str(exporter.label))

    def body():
        yield from chunks
        # Only a download that ran to its end gets a row count.
        finish_log(engine=engine, log_id=log_id, row_count=rows.count)

    response = Response(stream_with_context(body()), mimetype=MIMETYPES[fmt])
    filename = f"{name}_{root.id}_{local_today():%Y%m%d}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/log")
@roles_required(ADMIN)
def log():
    """Who exported what, newest first, for exports within the admin's area."""
    page = paged(logs_query(g.user_area))
    labels = {name: e.label for name, e in EXPORTERS.items()}
    return render_template("exports/log.html", page=page, labels=labels, purposes=dict(PURPOSES))
