"""Login, logout, language switch and the user's own account page."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from fieldapp.auth.access import login_required
from fieldapp.auth.forms import LoginForm, PasswordForm
from fieldapp.auth.models import DeviceToken
from fieldapp.auth.roles import ROLE_LABELS
from fieldapp.auth.services import (
    AccountError,
    authenticate,
    check_password,
    end_session,
    set_password,
    start_session,
)
from fieldapp.auth.tokens import list_tokens, revoke_tokens
from fieldapp.db import get_session, utcnow

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow same-site relative paths after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; a new session id is issued so a planted cookie is worthless."""
    if g.user is not None:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        db = get_session()
        result = authenticate(
            session=db, username=form.username.data, password=form.password.data,
            ip=request.remote_addr,
        )
        if result.throttled:
            flash(_("Too many failed attempts. Please wait %(minutes)s minutes and try again.",
                    minutes=result.wait_minutes), "error")
            return (render_template("auth/login.html", form=form), 429,
                    {"Retry-After": str(result.wait_minutes * 60)})
        if result.user is None:
            flash(_("Wrong username or password."), "error")
            return render_template("auth/login.html", form=form), 200
        locale = session.get("locale")
        session.clear()
        session.permanent = True
        session["sid"] = start_session(
            session=db, user=result.user, ip=request.remote_addr,
            user_agent=request.headers.get("User-Agent"),
        )
        if locale and result.user.locale != locale:
            session["locale"] = locale
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """End the session on the server and clear the cookie."""
    token = session.get("sid")
    if token:
        end_session(session=get_session(), token=token)
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/lang")
def set_language():
    """Switch the interface language; remembered on the account when signed in."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if g.user is not None:
            db = get_session()
            g.user.locale = lang
            db.add(g.user)
            db.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The user's own page: who they are, their scope, and a password change."""
    form = PasswordForm()
    if form.validate_on_submit():
        db = get_session()
        if not check_password(g.user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            try:
                set_password(
                    session=db, user=g.user, password=form.password.data,
                    keep_token=session.get("sid"),
                )
            except AccountError as err:
                form.password.errors.append(err.message)
            else:
                flash(_("Your password has been changed. Other devices were signed out."), "info")
                return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html", form=form, role_label=ROLE_LABELS[g.user.role], area=g.user_area,
        tokens=list_tokens(get_session(), g.user), now=utcnow(),
    )


@bp.post("/account/devices/<int:token_id>/revoke")
@login_required
def revoke_device(token_id: int):
    """Revoke one of the user's own device tokens (a lost phone)."""
    db = get_session()
    token = db.get(DeviceToken, token_id)
    if token is None or token.user_id != g.user.id:
        abort(404)
    revoke_tokens(session=db, user_id=g.user.id, token_id=token_id)
    db.commit()
    flash(_("The device was signed out."), "info")
    return redirect(url_for("auth.account"))
