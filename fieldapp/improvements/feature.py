"""Service improvements of the commune's departments (target m)."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.features import Feature, Link
from fieldapp.improvements import demo, exports, metrics, models  # noqa: F401  (register on import)
from fieldapp.improvements.routes import bp

FEATURE = Feature(
    "improvements",
    blueprints=(bp,),
    links=(Link("improvements.index", _l("Service improvements"), {OFFICER: 60, ADMIN: 50}),),
    demo=demo.load,
)
