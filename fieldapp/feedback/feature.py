"""Citizens' feedback (target l): recorded in the field, answered and published by officers."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import LEADER, MEMBER, OFFICER
from fieldapp.features import Feature, Link, Panel, Screen, Tab
from fieldapp.feedback import exports, metrics, models, sync  # noqa: F401  (register on import)
from fieldapp.feedback.routes import bp
from fieldapp.feedback.services import FEEDBACK_ROLES, status_counts

FEATURE = Feature(
    "feedback",
    blueprints=(bp,),
    tabs=(Tab("feedback.index", _l("Feedback"), "chat", {OFFICER: 20}),),
    links=(
        Link("feedback.index", _l("Feedback"), {MEMBER: 20, LEADER: 40}),
        Link("feedback.new", _l("Record citizen feedback"), {LEADER: 30}),
    ),
    panels=(Panel("feedback/_home.html", frozenset({OFFICER}),
                  lambda db, user, area: status_counts(db, area), order=20),),
    screens=(Screen("feedback.new", frozenset(FEEDBACK_ROLES), _l("Record feedback")),),
)
