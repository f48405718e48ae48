"""Yearly targets per indicator and area (defaults: the plan's 2025 and 2030 figures)."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER, VIEWER
from fieldapp.features import Feature, Link
from fieldapp.targets import demo, exports, models  # noqa: F401  (register on import)
from fieldapp.targets.routes import bp

FEATURE = Feature(
    "targets",
    blueprints=(bp,),
    links=(Link("targets.index", _l("Targets"), {OFFICER: 100, ADMIN: 60, VIEWER: 20}),),
    demo=demo.load,
)
