"""Exports of every registered list as CSV and XLSX, and the export log."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER, VIEWER
from fieldapp.exports import models  # noqa: F401  (the export log)
from fieldapp.exports.routes import bp
from fieldapp.features import Feature, Link

FEATURE = Feature(
    "exports",
    blueprints=(bp,),
    links=(
        Link("exports.index", _l("Exports"), {OFFICER: 120, ADMIN: 90, VIEWER: 40}),
        Link("exports.log", _l("Export log"), {ADMIN: 100}),
    ),
)
