"""Home: each role's landing page, built from the features' panels."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ROLES
from fieldapp.features import Feature, Screen, Tab
from fieldapp.home.routes import bp

FEATURE = Feature(
    "home",
    blueprints=(bp,),
    tabs=(Tab("home.index", _l("Home"), "home", dict.fromkeys(ROLES, 0)),),
    screens=(Screen("home.index", frozenset(ROLES), _l("Home")),),
)
