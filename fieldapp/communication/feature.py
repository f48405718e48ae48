"""Communication activities of the commune's units (targets c, d, e) and the units themselves."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.communication import demo, exports, metrics, models  # noqa: F401  (register on import)
from fieldapp.communication.routes import bp
from fieldapp.features import Feature, Link

FEATURE = Feature(
    "communication",
    blueprints=(bp,),
    links=(
        Link("communication.index", _l("Communication"), {OFFICER: 50}),
        Link("communication.units", _l("Communication units"), {ADMIN: 40}),
    ),
    demo=demo.load,
)
