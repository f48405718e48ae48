"""Closed periods: an officer closes a month or a year of the commune once its grace days have
passed; its reports keep the figures signed then."""

import os

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER, VIEWER
from fieldapp.closing import demo, models  # noqa: F401  (the period_close table)
from fieldapp.closing.routes import bp
from fieldapp.features import Feature, Link


def init_app(app) -> None:
    """Days after a period's end before it may be closed (late phones sync meanwhile)."""
    app.config.setdefault("CLOSE_GRACE_DAYS", int(os.environ.get("CLOSE_GRACE_DAYS", "5")))


FEATURE = Feature(
    "closing",
    blueprints=(bp,),
    links=(Link("closing.index", _l("Closed periods"), {OFFICER: 75, ADMIN: 85, VIEWER: 15}),),
    init_app=init_app,
    demo=demo.load,
)
