"""Official denominators: the adult population per year of the commune or its thôn (j, n, h)."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.features import Feature, Link
from fieldapp.population import demo, exports, models  # noqa: F401  (register on import)
from fieldapp.population.routes import bp

FEATURE = Feature(
    "population",
    blueprints=(bp,),
    links=(Link("population.index", _l("Official population figures"), {OFFICER: 95, ADMIN: 58}),),
    demo=demo.load,
)
