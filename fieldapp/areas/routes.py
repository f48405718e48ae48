"""Admin pages for the thôn of the admin's communes, with CSV/XLSX import."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from fieldapp.areas.forms import ThonForm, ThonImportForm
from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import (
    children,
    create_area,
    find_child,
    import_thon_rows,
    rename_area,
    subtree,
)
from fieldapp.auth.access import require_in_scope, roles_required
from fieldapp.auth.roles import ADMIN
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.tabular import TableError, read_table

bp = Blueprint("areas", __name__, url_prefix="/admin/thon")


def _communes() -> list[Area]:
    return subtree(get_session(), g.user_area, COMMUNE)


def _commune(commune_id: int) -> Area:
    area = require_in_scope(get_session().get(Area, commune_id))
    if area.level != COMMUNE:
        abort(404)
    return area


@bp.get("/")
@roles_required(ADMIN)
def index():
    """Thôn per commune, in Vietnamese order."""
    db = get_session()
    groups = [(c, children(db, c)) for c in _communes()]
    return render_template("areas/index.html", groups=groups)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:area_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(area_id: int | None = None):
    """Add a thôn, or rename or retire one (retired thôn keep their records)."""
    db = get_session()
    area = require_in_scope(db.get(Area, area_id)) if area_id else None
    if area is not None and area.level != THON:
        abort(404)
    form = ThonForm(obj=area)
    form.commune_id.choices = options((c.id, c.name) for c in _communes())
    if area is not None:
        form.commune_id.data = area.parent_id
    if form.validate_on_submit():
        commune = _commune(form.commune_id.data if area is None else area.parent_id)
        clash = find_child(db, commune, form.name.data)
        if clash is not None and clash.id != (area.id if area else None):
            form.name.errors.append(_("This commune already has a thôn with that name."))
        else:
            try:
                if area is None:
                    create_area(session=db, name=form.name.data, level=THON, parent=commune)
                else:
                    rename_area(session=db, area=area, name=form.name.data, active=form.active.data)
                db.commit()
            except IntegrityError:
                db.rollback()
                form.name.errors.append(_("This commune already has a thôn with that name."))
            else:
                flash(_("Thôn saved."), "info")
                return redirect(url_for("areas.index"))
    return render_template("areas/form.html", form=form, area=area)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(ADMIN)
def import_file():
    """Import thôn from a CSV or XLSX file with a 'Tên thôn' column; reports each row."""
    form = ThonImportForm()
    form.commune_id.choices = options((c.id, c.name) for c in _communes())
    report = None
    if form.validate_on_submit():
        commune = _commune(form.commune_id.data)
        upload = request.files["file"]
        try:
            rows = list(read_table(upload.filename, upload.read()))
        except TableError as err:
            form.file.errors.append(str(err))
        else:
            report = import_thon_rows(session=get_session(), commune=commune, rows=rows)
    return render_template("areas/import.html", form=form, report=report)
