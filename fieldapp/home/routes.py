"""The landing page of each role: the panels the installed features declare for it."""

from functools import cache

from flask import Blueprint, g, render_template

from fieldapp.auth.access import login_required
from fieldapp.auth.roles import ROLE_LABELS
from fieldapp.db import get_session
from fieldapp.features import installed

bp = Blueprint("home", __name__)


@cache
def panels_of(role: str) -> tuple:
    """The role's home panels, in their declared order (then feature order)."""
    panels = [p for f in installed() for p in f.panels if role in p.roles]
    return tuple(sorted(panels, key=lambda p: p.order))


@bp.get("/")
@login_required
def index():
    """Render the signed-in role's home screen."""
    db = get_session()
    panels = [(p.template, p.context(db, g.user, g.user_area) if p.context else {})
              for p in panels_of(g.user.role)]
    return render_template("home/index.html", role_label=ROLE_LABELS[g.user.role], area=g.user_area,
                           panels=panels)
