"""Visit metrics: monthly flow, help per service, each member's work, households visited."""

from fieldapp.aggregates.metrics import CURRENT, Group, source, work_metric
from fieldapp.aggregates.spec import ONE, Bit, Col, Const, is_, month, year
from fieldapp.catalog import SERVICE_BIT, SERVICE_CODES
from fieldapp.households.models import Household
from fieldapp.visits.models import Visit

# Each member's work (the commendation, IV.3.g), by who recorded the visit, at its thôn.
WORK = {"visits": ONE, "helped": is_(Visit.result, "helped"), "adults": Col(Visit.adults_guided),
        "dossiers": Col(Visit.dossiers_submitted)}

# Households visited (distinct; only live households count, in the household's own thôn):
# in each year, and ever (a current figure under CURRENT, like the rosters: "never visited"
# is the households registered today that are not in it).
_household = {"key": Col(Visit.household_id), "area": Col(Household.area_id),
              "joins": ((Household, Visit.household_id),), "where": (is_(Household.deleted_at, None),)}
source(
    Visit,
    Group(Visit, month(Visit.visited_at, local=True), {
        "visits": ONE,
        "visits_helped": is_(Visit.result, "helped"),
        "adults_guided": Col(Visit.adults_guided),
        "dossiers_online": Col(Visit.dossiers_submitted),
        **{f"svc_{code}": Bit(Visit.services_mask, SERVICE_BIT[code]) for code in SERVICE_CODES},
    }),
    Group(Visit, month(Visit.visited_at, local=True),
          {work_metric(name, "{}"): node for name, node in WORK.items()}, label=Col(Visit.created_by)),
    Group(Visit, year(Visit.visited_at, local=True), {"hh_visited": ONE}, **_household),
    Group(Visit, Const(CURRENT), {"hh_seen": ONE}, **_household),
    household=("household_id", {"deleted_at", "area_id"}),
)
