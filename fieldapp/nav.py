"""Navigation per role: the bottom bar (at most five tabs) and the home screen's other links."""

from dataclasses import dataclass

from flask import current_app, g
from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, LEADER, MEMBER, OFFICER, TEACHER, VIEWER


@dataclass(frozen=True)
class NavItem:
    """One destination."""

    endpoint: str
    label: object
    icon: str = "list"


HOME = NavItem("home.index", _l("Home"), "home")
ME = NavItem("auth.account", _l("Me"), "user")
PROGRESS = NavItem("reports.dashboard", _l("Progress"), "chart")

# The bottom bar: what each role does most, in the order of their day.
TABS = {
    MEMBER: [HOME, NavItem("visits.worklist", _l("Worklist"), "list"),
             NavItem("households.index", _l("Households"), "house"),
             NavItem("surveys.index", _l("Surveys"), "star"), ME],
    OFFICER: [HOME, NavItem("trainings.index", _l("Trainings"), "book"),
              NavItem("feedback.index", _l("Feedback"), "chat"), PROGRESS, ME],
    ADMIN: [HOME, NavItem("users.index", _l("Accounts"), "users"),
            NavItem("areas.index", _l("Thôn"), "map"), PROGRESS, ME],
    TEACHER: [HOME, NavItem("lessons.index", _l("Lessons"), "book"), PROGRESS, ME],
    LEADER: [HOME, NavItem("outreach.index", _l("Outreach"), "megaphone"), PROGRESS, ME],
    VIEWER: [HOME, PROGRESS, NavItem("reports.monthly", _l("Report"), "list"), ME],
}

# Everything else a role may open, listed on its home screen under "More".
MORE = {
    MEMBER: [("visits.index", _l("Visits")), ("feedback.index", _l("Feedback")),
             ("rosters.index", _l("Team roster")), ("reports.dashboard", _l("Progress")),
             ("pwa.outbox", _l("Records not sent yet"))],
    OFFICER: [("households.index", _l("Households")), ("visits.worklist", _l("Worklist")),
              ("surveys.index", _l("Surveys")), ("rosters.index", _l("Rosters")),
              ("communication.index", _l("Communication")),
              ("improvements.index", _l("Service improvements")), ("figures.index", _l("Monthly figures")),
              ("lessons.index", _l("Lessons")), ("outreach.summary_page", _l("Outreach")),
              ("targets.index", _l("Targets")), ("reports.monthly", _l("Monthly report")),
              ("exports.index", _l("Exports"))],
    ADMIN: [("rosters.index", _l("Rosters")), ("schools.index", _l("Schools")),
            ("organizations.index", _l("Organizations")),
            ("communication.units", _l("Communication units")),
            ("improvements.index", _l("Service improvements")), ("targets.index", _l("Targets")),
            ("households.index", _l("Households")), ("reports.monthly", _l("Monthly report")),
            ("exports.index", _l("Exports")), ("exports.log", _l("Export log")),
            ("privacy.index", _l("Personal data"))],
    TEACHER: [("lessons.new", _l("Log a lesson"))],
    LEADER: [("outreach.summary_page", _l("Outreach by branch and month")),
             ("organizations.index", _l("My organization")),
             ("feedback.new", _l("Record citizen feedback")), ("feedback.index", _l("Feedback"))],
    VIEWER: [("figures.index", _l("Monthly figures")), ("targets.index", _l("Targets")),
             ("outreach.summary_page", _l("Outreach")), ("exports.index", _l("Exports")),
             ("reports.public", _l("Public page"))],
}


def nav_items() -> list[NavItem]:
    """The tabs of the signed-in user's role."""
    user = g.get("user")
    return TABS.get(user.role, [HOME, ME]) if user is not None else []


def more_links() -> list[tuple[str, object]]:
    """The role's other destinations that this app has (every endpoint must exist)."""
    user = g.get("user")
    if user is None:
        return []
    return [(e, label) for e, label in MORE.get(user.role, []) if e in current_app.view_functions]
