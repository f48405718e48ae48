"""Areas: the province → commune → thôn tree, the admin's thôn pages and imports."""

from flask_babel import lazy_gettext as _l

from fieldapp.areas import models  # noqa: F401  (the area table)
from fieldapp.areas.cli import areas
from fieldapp.areas.routes import bp
from fieldapp.areas.services import thon_count
from fieldapp.auth.roles import ADMIN
from fieldapp.features import Feature, Panel, Tab

FEATURE = Feature(
    "areas",
    blueprints=(bp,),
    commands=(areas,),
    tabs=(Tab("areas.index", _l("Thôn"), "map", {ADMIN: 20}),),
    panels=(
        Panel("areas/_home.html", frozenset({ADMIN}),
              lambda db, user, area: {"thon_count": thon_count(db, area)}, order=10),
        Panel("areas/_home_import.html", frozenset({ADMIN}), order=30),
    ),
)
