"""Roster pages: list and search, add, view with training history, edit, delete, import."""

from functools import partial

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, MEMBER, OFFICER
from fieldapp.catalog import label
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.records.args import int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems
from fieldapp.rosters import imports, services
from fieldapp.rosters.forms import CHECKBOXES, FIELDS, RosterImportForm, RosterPersonForm
from fieldapp.rosters.models import KINDS, STAFF_CATEGORIES, TEAM, RosterPerson, RosterPersonIn
from fieldapp.tabular import TableError, read_table
from fieldapp.trainings.models import KINDS as TRAINING_KINDS
from fieldapp.trainings.services import trainings_of

bp = Blueprint("rosters", __name__, url_prefix="/rosters")
MANAGE = (ADMIN, OFFICER)
READ = (ADMIN, OFFICER, MEMBER)


def _thon_choices(form: RosterPersonForm) -> None:
    thon = subtree(get_session(), g.user_area, THON)
    form.thon_id.choices = options([(0, "—")] + [(t.id, t.name) for t in thon])


@bp.get("/")
@roles_required(*READ)
def index():
    """People on the rosters in scope; a team member sees their own thôn's team only."""
    db = get_session()
    q = request.args.get("q", "")[:100]
    kind = request.args.get("kind") or None
    if g.user.role == MEMBER:
        kind = TEAM
    thon_id = int_arg("thon")
    active = {"1": True, "0": False}.get(request.args.get("active", "1"))
    stmt = services.search_people(g.user_area, q=q, kind=kind, thon_id=thon_id, active=active)
    page = paged(stmt)
    thon = subtree(db, g.user_area, THON)
    return render_template(
        "rosters/index.html", page=page, q=q, kind=kind, thon=thon, thon_id=thon_id,
        active=request.args.get("active", "1"), thon_names={t.id: t.name for t in thon},
        thon_options=[(t.id, t.name) for t in thon],
        kinds=KINDS, categories=dict(STAFF_CATEGORIES), manage=g.user.role in MANAGE,
    )


def _save(person: RosterPerson | None) -> RosterPerson:
    """Validate the post with RosterPersonIn, then add the person or edit them."""
    db = get_session()
    raw = raw_form(*FIELDS) | {name: name in request.form for name in CHECKBOXES}
    data = validate(RosterPersonIn, raw)
    area = services.resolve_area(db, g.user_area, data)
    if person is None:
        return services.create_person(session=db, user=g.user, area=area, data=data)
    return services.update_person(session=db, user=g.user, person=person, area=area, data=data)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def new():
    """Add a person to the staff roster or a thôn's team."""
    form = RosterPersonForm()
    _thon_choices(form)
    if request.args.get("kind") == TEAM and request.method == "GET":
        form.kind.data = TEAM
    person, problems = save_or_problems(form, lambda: _save(None))
    if person is not None:
        flash(_("Saved to the roster."), "info")
        return redirect(url_for("rosters.show", person_id=person.id))
    return render_form("rosters/form.html", form=form, person=None, problems=problems)


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def edit(person_id: int):
    """Edit a roster person; every change goes to the history."""
    person = get_scoped(get_session(), RosterPerson, person_id, g.user_area)
    form = RosterPersonForm(obj=person) if request.method == "GET" else RosterPersonForm()
    _thon_choices(form)
    if request.method == "GET":
        form.thon_id.data = person.area_id if person.kind == TEAM else 0
    saved, problems = save_or_problems(form, lambda: _save(person))
    if saved is not None:
        flash(_("Saved to the roster."), "info")
        return redirect(url_for("rosters.show", person_id=person.id))
    return render_form("rosters/form.html", form=form, person=person, problems=problems)


@bp.get("/<int:person_id>")
@roles_required(*READ)
def show(person_id: int):
    """One person: facts, the trainings they attended, history."""
    db = get_session()
    person = get_scoped(db, RosterPerson, person_id, g.user_area)
    return render_template(
        "rosters/show.html", person=person, trainings=trainings_of(db, person),
        history=history(db, person), delete_form=DeleteForm(), manage=g.user.role in MANAGE,
        kind_label=label(KINDS, person.kind), category_label=label(STAFF_CATEGORIES, person.staff_category),
        area=db.get(Area, person.area_id), kind_labels=dict(TRAINING_KINDS),
    )


@bp.post("/<int:person_id>/delete")
@roles_required(*MANAGE)
def delete(person_id: int):
    """Soft delete with a reason."""
    person = get_scoped(get_session(), RosterPerson, person_id, g.user_area)
    return delete_view(partial(services.delete_person, person=person), _("Removed from the roster."),
                       back=url_for("rosters.show", person_id=person_id), done=url_for("rosters.index"))


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*MANAGE)
def import_file():
    """Import people from CSV or XLSX; good rows are saved, each bad row is reported."""
    form = RosterImportForm()
    report = None
    if form.validate_on_submit():
        upload = request.files["file"]
        try:
            rows = list(read_table(upload.filename, upload.read()))
            report = imports.import_rows(session=get_session(), user=g.user, user_area=g.user_area,
                                         rows=rows)
        except TableError as err:
            form.file.errors.append(str(err))
        except RecordInvalid as err:
            form.file.errors.extend(m for msgs in err.errors.values() for m in msgs)
    return render_template("rosters/import.html", form=form, report=report), (
        422 if request.method == "POST" and report is None else 200)


@bp.get("/import/template.csv")
@roles_required(*MANAGE)
def import_template():
    """An example file with the accepted headers (UTF-8 with BOM so Excel shows diacritics)."""
    text = (
        "Họ và tên,Loại,Chức vụ,Đơn vị,Thôn,Vận hành hệ thống,Số điện thoại\r\n"
        "Nguyễn Văn An,Công chức,Chuyên viên,Văn phòng HĐND và UBND,,x,0912345678\r\n"
        "Trần Thị Bình,Tổ công nghệ số,Tổ viên,,Phước Lộc Đông,,\r\n"
    )
    return Response("\ufeff" + text, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=mau-danh-sach.csv"})
