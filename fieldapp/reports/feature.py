"""Dashboard, public transparency page, the monthly and annual reports."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, LEADER, MEMBER, OFFICER, TEACHER, VIEWER
from fieldapp.features import Feature, Link, Panel, Tab
from fieldapp.reports import annual, monthly, pages, papers  # noqa: F401  (report pages; closed-period reports)
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
        Link("reports.coverage", _l("Coverage of households"),
             {OFFICER: 113, ADMIN: 83, VIEWER: 26, MEMBER: 41}),
        Link("reports.help_given", _l("Help per service type"),
             {OFFICER: 114, ADMIN: 84, VIEWER: 27, MEMBER: 42}),
        Link("reports.satisfaction", _l("Satisfaction surveys in detail"),
             {OFFICER: 115, ADMIN: 85, VIEWER: 28, MEMBER: 43}),
        Link("reports.work", _l("Work per team member"), {OFFICER: 116, ADMIN: 86, VIEWER: 29}),
        Link("reports.work", _l("My work"), {MEMBER: 44}),
    ),
    panels=(Panel("reports/_home.html", frozenset({VIEWER})),),
)
