"""Visit metrics: monthly flow, help per service, households visited per year."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import ONE, Bit, Col, is_, month, year
from fieldapp.catalog import SERVICE_BIT, SERVICE_CODES
from fieldapp.households.models import Household
from fieldapp.visits.models import Visit

# Visits: monthly flow, services per category, households visited per year (distinct; only
# live households count, in the household's own thôn).
source(
    Visit,
    Group(Visit, month(Visit.visited_at, local=True), {
        "visits": ONE,
        "visits_helped": is_(Visit.result, "helped"),
        "adults_guided": Col(Visit.adults_guided),
        "dossiers_online": Col(Visit.dossiers_submitted),
        **{f"svc_{code}": Bit(Visit.services_mask, SERVICE_BIT[code]) for code in SERVICE_CODES},
    }),
    Group(Visit, year(Visit.visited_at, local=True), {"hh_visited": ONE}, key=Col(Visit.household_id),
          area=Col(Household.area_id), joins=((Household, Visit.household_id),),
          where=(is_(Household.deleted_at, None),)),
    household=("household_id", {"deleted_at", "area_id"}),
)
