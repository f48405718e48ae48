"""Household metrics: the stock figures, dated when they became true, and consent.

Each row of a household's dated figures counts from the month of its valid_from and is taken
back in the month of its valid_to, in the thôn it names; the state as of a month is the sum
of all periods up to it (see indicators.Figures.stock). A deleted household counts nowhere.
"""

from flask_babel import lazy_gettext as _l

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import ONE, Col, Const, Neg, is_, is_not, month
from fieldapp.households.models import Household, HouseholdFigures

F = HouseholdFigures
_joins = ((Household, F.household_id),)
_live = is_(Household.deleted_at, None)
_counted = {"hh_members": Col(F.members), "hh_adults": Col(F.adults),
            "hh_adults_dvctt": Col(F.adults_dvctt), "hh_adults_vneid2": Col(F.adults_vneid2)}
source(
    F,
    Group(F, month(F.valid_from), {"hh_households": ONE, **_counted}, joins=_joins, where=(_live,)),
    Group(F, month(F.valid_to), {"hh_households": Const(-1), **{k: Neg(v) for k, v in _counted.items()}},
          joins=_joins, where=(_live, is_not(F.valid_to, None))),
    household=("household_id", {"deleted_at"}),
    label=_l("Dated household figures"),
)

# Consent is counted in the month the household was registered.
source(Household, Group(Household, month(Household.registered_on), {
    "hh_consent": is_(Household.consent_given, True),
}))
