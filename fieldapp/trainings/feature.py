"""Training sessions and attendance ticked from the rosters (targets a, b, f)."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import OFFICER
from fieldapp.features import Feature, Panel, Tab
from fieldapp.trainings import demo, exports, metrics, models  # noqa: F401  (register on import)
from fieldapp.trainings.routes import bp

FEATURE = Feature(
    "trainings",
    blueprints=(bp,),
    tabs=(Tab("trainings.index", _l("Trainings"), "book", {OFFICER: 10}),),
    panels=(Panel("trainings/_home.html", frozenset({OFFICER}), order=10),),
    demo=demo.load,
)
