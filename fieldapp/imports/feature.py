"""Imports of the office's spreadsheets: the engine, the import log and undo."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.features import Feature, Link
from fieldapp.imports import models  # noqa: F401  (register on import)
from fieldapp.imports.routes import bp

FEATURE = Feature(
    "imports",
    blueprints=(bp,),
    links=(Link("imports.log", _l("Imports"), {OFFICER: 85, ADMIN: 85}),),
)
