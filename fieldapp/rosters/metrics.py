"""Roster metrics: the denominators of targets a, b and f."""

from fieldapp.aggregates.metrics import CURRENT, Group, source
from fieldapp.aggregates.spec import Const, all_, is_
from fieldapp.rosters.models import RosterPerson

# A current list kept by the admin, not dated: counted in CURRENT, every period's denominator.
_active = is_(RosterPerson.active, True)
source(RosterPerson, Group(RosterPerson, Const(CURRENT), {
    "roster_staff": all_(_active, is_(RosterPerson.kind, "staff")),
    "roster_operators": all_(_active, is_(RosterPerson.kind, "staff"), is_(RosterPerson.is_operator, True)),
    "roster_team": all_(_active, is_(RosterPerson.kind, "team")),
}))
