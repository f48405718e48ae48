"""Household metrics: the stock figures of registered households."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import ONE, Col, is_, month
from fieldapp.households.models import Household

# Stock figures: each household counts from the month it was registered; state as of a
# month is the sum of all periods up to it (see indicators.Figures.stock).
source(Household, Group(Household, month(Household.registered_on), {
    "hh_households": ONE,
    "hh_members": Col(Household.members),
    "hh_adults": Col(Household.adults),
    "hh_adults_dvctt": Col(Household.adults_dvctt),
    "hh_adults_vneid2": Col(Household.adults_vneid2),
    "hh_consent": is_(Household.consent_given, True),
}))
