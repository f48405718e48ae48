"""Dashboard, public transparency page, the monthly and annual reports."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, LEADER, MEMBER, OFFICER, TEACHER, VIEWER
from fieldapp.features import Feature, Link, Panel, Tab
from fieldapp.reports import annual, monthly, papers  # noqa: F401  (report pages; closed-period reports)
from fieldapp.reports.routes import bp

FEATURE = Feature(
    "reports",
    blueprints=(bp,),
    tabs=(
        Tab("reports.dashboard", _l("Progress"), "chart",
            {OFFICER: 30, ADMIN: 30, TEACHER: 30, LEADER: 30, VIEWER: 10}),
        Tab("reports.monthly", _l("Report"), "list", {VIEWER: 20}),
    ),
    links=(
        Link("reports.dashboard", _l("Progress"), {MEMBER: 40}),
        Link("reports.monthly", _l("Monthly report"), {OFFICER: 110, ADMIN: 80}),
        Link("reports.annual", _l("Annual report"), {OFFICER: 112, ADMIN: 82, VIEWER: 25}),
        Link("reports.public", _l("Public page"), {VIEWER: 50}),
    ),
    panels=(Panel("reports/_home.html", frozenset({VIEWER})),),
)
