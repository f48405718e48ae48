"""The import log: every import of the user's area (who, when, file, counts), and undo."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlmodel import select

from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.db import get_session
from fieldapp.imports import engine
from fieldapp.imports.forms import UndoForm
from fieldapp.imports.models import ImportLog
from fieldapp.records.args import int_arg
from fieldapp.records.views import paged

bp = Blueprint("imports", __name__, url_prefix="/imports")
MANAGE = (ADMIN, OFFICER)


@bp.get("/")
@roles_required(*MANAGE)
def log():
    """Every import into the user's area, newest first."""
    stmt = (select(ImportLog, User, Area).join(User, User.id == ImportLog.user_id)
            .join(Area, Area.id == ImportLog.area_id).where(in_subtree(Area.path, g.user_area))
            .order_by(ImportLog.id.desc()))
    return render_template("imports/log.html", page=paged(stmt), form=UndoForm(), show=int_arg("show"),
                           labels={k: i.label for k, i in engine.IMPORTERS.items()},
                           endpoints=_endpoints())


def _endpoints() -> list:
    """(label, import page) of every importer the app has."""
    from flask import current_app

    out = []
    for kind, importer in engine.IMPORTERS.items():
        endpoint = f"{kind}.import_file"
        if endpoint in current_app.view_functions:
            out.append((importer.label, url_for(endpoint)))
    return out


@bp.post("/<int:import_id>/undo")
@roles_required(*MANAGE)
def undo(import_id: int):
    """Undo a whole import: the records it created are deleted, with the reason."""
    db = get_session()
    entry = db.get(ImportLog, import_id)
    area = db.get(Area, entry.area_id) if entry else None
    if entry is None or area is None or not g.user_area.contains(area):
        abort(404)
    form = UndoForm()
    if not form.validate():
        flash(" ".join(str(e) for e in form.reason.errors), "error")
    elif entry.undone_at is not None:
        flash(_("This import was already undone."), "error")
    else:
        done = engine.undo(session=db, user=g.user, log=entry, reason=form.reason.data)
        flash(_("Import undone: %(n)s records deleted.", n=done), "info")
    return redirect(url_for("imports.log"))
