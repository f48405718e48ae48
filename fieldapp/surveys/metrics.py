"""Survey metrics: target k (valid and satisfied responses) and the SIPAS details."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import ONE, Col, all_, is_, is_not, month
from fieldapp.catalog import SATISFIED, SIPAS_FACTORS, STRICT_DOMAINS
from fieldapp.surveys.models import Survey

# Satisfaction surveys (target k): valid responses and satisfied ones (4 or 5), overall and
# for land, construction and investment.
_strict = is_(Survey.domain, *sorted(STRICT_DOMAINS))
_happy = is_(Survey.overall, *sorted(SATISFIED))
_month = month(Survey.surveyed_on)


def _factor(code: str) -> dict:
    """A SIPAS factor's answers, answers of 4 or 5, and the sum of its scores (for the mean)."""
    col = getattr(Survey, f"sipas_{code}")
    return {f"sv_{code}_n": is_not(col, None), f"sv_{code}_ok": is_(col, *sorted(SATISFIED)),
            f"sv_{code}_sum": Col(col)}


source(
    Survey,
    Group(Survey, _month, {
        "sv_total": ONE,
        "sv_satisfied": _happy,
        "sv_strict_total": _strict,
        "sv_strict_satisfied": all_(_strict, _happy),
        **{f"sv_trips_{n}": is_(Survey.trips, n) for n in (0, 1, 2)},
        **{k: v for code, _label in SIPAS_FACTORS for k, v in _factor(code).items()},
    }),
    # Overall satisfaction by domain and by channel ("sv_dom_land", "sv_ch_ok_online_full").
    Group(Survey, _month, {"sv_dom_{}": ONE, "sv_dom_ok_{}": _happy}, label=Col(Survey.domain)),
    Group(Survey, _month, {"sv_ch_{}": ONE, "sv_ch_ok_{}": _happy}, label=Col(Survey.channel)),
)
