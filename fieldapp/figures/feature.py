"""Monthly figures from external systems (targets g, i) and the month close."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import OFFICER, VIEWER
from fieldapp.features import Feature, Link, Panel
from fieldapp.figures import demo, exports, metrics, models  # noqa: F401  (register on import)
from fieldapp.figures.routes import bp

FEATURE = Feature(
    "figures",
    blueprints=(bp,),
    links=(Link("figures.index", _l("Monthly figures"), {OFFICER: 70, VIEWER: 10}),),
    panels=(Panel("figures/_home.html", frozenset({OFFICER}), order=30),),
    demo=demo.load,
)
