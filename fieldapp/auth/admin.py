"""Admin pages: list, create and edit the accounts of the admin's area."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree, subtree
from fieldapp.auth.access import get_in_scope, roles_required
from fieldapp.auth.forms import UserForm
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, ROLE_LABELS
from fieldapp.auth.services import AccountError, create_user, set_password, unlock, update_user
from fieldapp.auth.throttle import locked
from fieldapp.db import get_session, utcnow
from fieldapp.forms import options
from fieldapp.i18n import vi_name_key
from fieldapp.lessons.models import School
from fieldapp.outreach.models import Organization

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _fill_choices(form: UserForm) -> None:
    """Areas, schools and organizations the admin may assign, all within their subtree."""
    db = get_session()
    areas = subtree(db, g.user_area)
    form.area_id.choices = options((a.id, _area_label(a)) for a in areas)
    area_ids = [a.id for a in areas]
    schools = db.exec(select(School).where(School.area_id.in_(area_ids))).all()
    orgs = db.exec(select(Organization).where(Organization.area_id.in_(area_ids))).all()
    form.school_id.choices = options([(0, "—")] + [(s.id, s.name) for s in schools])
    form.organization_id.choices = options([(0, "—")] + [(o.id, o.name) for o in orgs])


def _area_label(area: Area) -> str:
    levels = {"province": _("Province"), "commune": _("Commune"), "thon": _("Thôn")}
    return f"{area.name} ({levels[area.level]})"


def _form_data(form: UserForm) -> dict:
    return {
        "username": form.username.data, "full_name": form.full_name.data, "role": form.role.data,
        "area_id": form.area_id.data, "school_id": form.school_id.data or None,
        "organization_id": form.organization_id.data or None, "active": form.active.data,
    }


@bp.get("/")
@roles_required(ADMIN)
def index():
    """Accounts in the admin's area, sorted by given name."""
    db = get_session()
    rows = db.exec(
        select(User, Area).join(Area, Area.id == User.area_id).where(
            in_subtree(Area.path, g.user_area)
        )
    ).all()
    rows = sorted(rows, key=lambda r: vi_name_key(r[0].full_name))
    return render_template("auth/users.html", rows=rows, role_labels=ROLE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    """Create an account; the admin sets a first password to hand over in person."""
    form = UserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Set a first password for the new account."))
        else:
            try:
                create_user(session=get_session(), data=_form_data(form), password=form.password.data)
            except AccountError as err:
                getattr(form, err.field).errors.append(err.message)
            else:
                flash(_("Account created."), "info")
                return redirect(url_for("users.index"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(user_id: int):
    """Edit, disable or reset the password of an account in the admin's area."""
    user = get_in_scope(User, user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    _fill_choices(form)
    if request.method == "GET":
        form.school_id.data = user.school_id or 0
        form.organization_id.data = user.organization_id or 0
    if form.validate_on_submit():
        db = get_session()
        data = _form_data(form)
        data.pop("username")  # the login name is permanent: history refers to it
        if user.id == g.user.id and (not data["active"] or data["role"] != ADMIN):
            flash(_("You cannot disable your own account or remove your own admin role."), "error")
            return render_template("auth/user_form.html", form=form, user=user), 400
        try:
            update_user(session=db, user=user, data=data)
            if form.password.data:
                set_password(session=db, user=user, password=form.password.data)
        except AccountError as err:
            db.rollback()
            getattr(form, err.field).errors.append(err.message)
        else:
            flash(_("Account saved."), "info")
            return redirect(url_for("users.index"))
    return render_template("auth/user_form.html", form=form, user=user)


@bp.get("/locked")
@roles_required(ADMIN)
def locked_accounts():
    """Accounts of the admin's area whose sign-ins are delayed now, from which address, until when."""
    db = get_session()
    users = {u.username: u for u in db.exec(select(User).join(Area, Area.id == User.area_id)
                                            .where(in_subtree(Area.path, g.user_area)))}
    rows = [(users[name], ip, until) for name, ip, until in locked(db, usernames=list(users), now=utcnow())]
    return render_template("auth/locked.html", rows=rows)


@bp.post("/<int:user_id>/unlock")
@roles_required(ADMIN)
def unlock_account(user_id: int):
    """Lift an account's sign-in delays (the person called the commune office)."""
    user = get_in_scope(User, user_id)
    unlock(session=get_session(), user=user, actor=g.user)
    flash(_("%(name)s can sign in again.", name=user.full_name), "info")
    return redirect(url_for("users.locked_accounts"))
