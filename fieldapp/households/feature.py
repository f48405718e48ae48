"""Households: registration, search, consent; the stock figures of the plan."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, MEMBER, OFFICER, SEES_PERSONAL_DATA
from fieldapp.features import Feature, Link, Screen, Tab
from fieldapp.households import exports, imports, metrics, models, sync  # noqa: F401  (register on import)
from fieldapp.households.cli import households
from fieldapp.households.routes import bp

FEATURE = Feature(
    "households",
    blueprints=(bp,),
    tabs=(Tab("households.index", _l("Households"), "house", {MEMBER: 20}),),
    links=(Link("households.index", _l("Households"), {OFFICER: 10, ADMIN: 70}),),
    commands=(households,),
    screens=(Screen("households.new", frozenset(SEES_PERSONAL_DATA), _l("Register a household")),),
    personal_pages={"households.index": ("q", "thon", "page"), "households.show": (), "households.edit": ()},
)
