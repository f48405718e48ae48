"""The landing page of each role."""

from flask import Blueprint, g, render_template
from sqlalchemy import func
from sqlmodel import select

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.access import login_required
from fieldapp.auth.models import User
from fieldapp.auth.roles import ROLE_LABELS
from fieldapp.backups.services import home_context as backup_home
from fieldapp.db import get_session
from fieldapp.feedback.services import status_counts
from fieldapp.lessons.models import School
from fieldapp.lessons.services import teacher_home
from fieldapp.outreach.models import Organization
from fieldapp.outreach.summary import leader_home
from fieldapp.visits.services import worklist_counts

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    """Render the signed-in role's home screen."""
    db = get_session()
    ctx = {"role_label": ROLE_LABELS[g.user.role], "area": g.user_area}
    if g.user.role == "admin":
        ctx["thon_count"] = db.exec(
            select(func.count()).select_from(Area).where(
                Area.level == THON, in_subtree(Area.path, g.user_area)
            )
        ).one()
        ctx["user_count"] = db.exec(
            select(func.count()).select_from(User).join(Area, Area.id == User.area_id).where(
                in_subtree(Area.path, g.user_area)
            )
        ).one()
        ctx |= backup_home(db)
    if g.user.role == "member":
        ctx["work"] = worklist_counts(db, g.user_area)
    if g.user.role == "officer":
        ctx["feedback"] = status_counts(db, g.user_area)
    if g.user.role == "teacher":
        ctx |= teacher_home(db, g.user, g.user_area)
    if g.user.role == "leader":
        ctx |= leader_home(db, g.user)
    if g.user.school_id:
        ctx["school"] = db.get(School, g.user.school_id)
    if g.user.organization_id:
        ctx["organization"] = db.get(Organization, g.user.organization_id)
    return render_template(f"home/{g.user.role}.html", **ctx)
