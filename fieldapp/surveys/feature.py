"""Satisfaction surveys (target k): the SIPAS form, one group per screen."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import MEMBER, OFFICER
from fieldapp.catalog import CHANNELS, DOMAINS, SCALE, SIPAS_FACTORS, pairs
from fieldapp.features import Feature, Link, Panel, Screen, Tab
from fieldapp.surveys import demo, exports, metrics, models, sync  # noqa: F401  (register on import)
from fieldapp.surveys.routes import bp
from fieldapp.surveys.services import SURVEY_ROLES

FEATURE = Feature(
    "surveys",
    blueprints=(bp,),
    tabs=(Tab("surveys.index", _l("Surveys"), "star", {MEMBER: 30}),),
    links=(Link("surveys.index", _l("Surveys"), {OFFICER: 30}),),
    panels=(Panel("surveys/_home.html", frozenset({MEMBER}), order=20),),
    screens=(Screen("surveys.new", frozenset(SURVEY_ROLES), _l("Satisfaction survey form")),),
    reference=lambda db, user, area: {
        "domains": pairs(DOMAINS), "channels": pairs(CHANNELS), "scale": pairs(SCALE),
        "sipas_factors": pairs(SIPAS_FACTORS)},
    demo=demo.load,
)
