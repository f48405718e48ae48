"""Who is signed in, and the decorators every page and action uses to check it."""

from functools import wraps

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import Area
from fieldapp.auth.services import resolve_session
from fieldapp.db import get_session


def load_current_user() -> None:
    """Resolve the session cookie to a live user on g.user (None when signed out)."""
    g.user = None
    g.user_area = None
    if request.endpoint == "static":
        return
    token = session.get("sid")
    if not token:
        return
    db = get_session()
    user = resolve_session(session=db, token=token)
    if user is None:
        session.clear()
        flash(_("Your session has expired. Please sign in again."), "warning")
        return
    g.user = user
    g.user_area = db.get(Area, user.area_id)


def login_required(view):
    """Send signed-out visitors to the login page (API callers get 401)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            if request.path.startswith("/api/"):
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: str):
    """Allow only the given roles; everyone else gets 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if g.user.role not in roles:
                current_app.logger.info("forbidden role=%s path=%s", g.user.role, request.path)
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_in_scope(area: Area | None) -> Area:
    """Abort with 404 unless area lies in the signed-in user's subtree."""
    # 404 rather than 403: a guessed id must not confirm that a record exists elsewhere.
    if area is None or g.user_area is None or not g.user_area.contains(area):
        abort(404)
    return area


def get_in_scope(model, row_id: int):
    """The row of model (it has an area_id) with that id if its area lies in the user's subtree, else 404."""
    db = get_session()
    row = db.get(model, row_id)
    if row is None:
        abort(404)
    require_in_scope(db.get(Area, row.area_id))
    return row
