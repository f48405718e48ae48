"""Organizations, their branches and outreach to members."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, LEADER, OFFICER, VIEWER
from fieldapp.features import Feature, Link, Panel, Screen, Tab
from fieldapp.outreach import demo, exports, metrics, models, sync  # noqa: F401  (register on import)
from fieldapp.outreach.organizations import bp as organizations_bp
from fieldapp.outreach.routes import bp
from fieldapp.outreach.summary import leader_home

FEATURE = Feature(
    "outreach",
    blueprints=(organizations_bp, bp),
    tabs=(Tab("outreach.index", _l("Outreach"), "megaphone", {LEADER: 10}),),
    links=(
        Link("outreach.summary_page", _l("Outreach"), {OFFICER: 90, VIEWER: 30}),
        Link("outreach.summary_page", _l("Outreach by branch and month"), {LEADER: 10}),
        Link("organizations.index", _l("Organizations"), {ADMIN: 30}),
        Link("organizations.index", _l("My organization"), {LEADER: 20}),
    ),
    panels=(Panel("outreach/_home.html", frozenset({LEADER}), leader_home),),
    screens=(Screen("outreach.new", frozenset({LEADER}), _l("Outreach activity")),),
    demo=demo.load,
)
