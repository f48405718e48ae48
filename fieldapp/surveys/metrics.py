"""Survey metrics (target k): valid and satisfied responses."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import ONE, all_, is_, month
from fieldapp.catalog import SATISFIED, STRICT_DOMAINS
from fieldapp.surveys.models import Survey

# Satisfaction surveys (target k): valid responses and satisfied ones (4 or 5), overall and
# for land, construction and investment.
_strict = is_(Survey.domain, *sorted(STRICT_DOMAINS))
_happy = is_(Survey.overall, *sorted(SATISFIED))
source(Survey, Group(Survey, month(Survey.surveyed_on), {
    "sv_total": ONE,
    "sv_satisfied": _happy,
    "sv_strict_total": _strict,
    "sv_strict_satisfied": all_(_strict, _happy),
}))
