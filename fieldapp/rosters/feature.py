"""Rosters: staff and team members, the denominators of targets a, b and f."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, MEMBER, OFFICER
from fieldapp.features import Feature, Link
from fieldapp.rosters import demo, exports, metrics, models  # noqa: F401  (register on import)
from fieldapp.rosters.routes import bp

FEATURE = Feature(
    "rosters",
    blueprints=(bp,),
    links=(
        Link("rosters.index", _l("Team roster"), {MEMBER: 30}),
        Link("rosters.index", _l("Rosters"), {OFFICER: 40, ADMIN: 10}),
    ),
    demo=demo.load,
)
