"""Door-to-door visits: the visit form (online and offline), the thôn's worklist."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import MEMBER, OFFICER, SEES_PERSONAL_DATA
from fieldapp.catalog import SERVICES, pairs
from fieldapp.features import Feature, Link, Panel, Screen, Tab
from fieldapp.visits import demo, exports, metrics, models, sync  # noqa: F401  (register on import)
from fieldapp.visits.routes import bp
from fieldapp.visits.services import worklist_counts

FEATURE = Feature(
    "visits",
    blueprints=(bp,),
    tabs=(Tab("visits.worklist", _l("Worklist"), "list", {MEMBER: 10}),),
    links=(
        Link("visits.index", _l("Visits"), {MEMBER: 10}),
        Link("visits.worklist", _l("Worklist"), {OFFICER: 20}),
    ),
    panels=(Panel("visits/_home.html", frozenset({MEMBER}),
                  lambda db, user, area: worklist_counts(db, area), order=10),),
    # Offline, the household list, the worklist and a household's visit form open the quick
    # visit, whose household list is the phone's copy.
    screens=(Screen("visits.quick", frozenset(SEES_PERSONAL_DATA), _l("Record a visit"),
                    stands_in_for=("households.index", "visits.worklist", "visits.index", "visits.new")),),
    personal_pages={"visits.worklist": ("q", "thon", "show", "page"), "visits.index": ("thon", "page"),
                    "visits.show": ()},
    reference=lambda db, user, area: {"services": pairs(SERVICES)},
    demo=demo.load,
)
