"""Query arguments as the record views read them: junk or out of range is "not given", never a 500."""

from datetime import date

from flask import request

from fieldapp.i18n import local_today
from fieldapp.records.validation import PLAN_START


def int_arg(name: str, args=None) -> int | None:
    """An integer argument (of the query string unless args are given), or None when absent or junk."""
    try:
        return int((request.args if args is None else args).get(name, ""))
    except (TypeError, ValueError):
        return None


def page_arg(args=None) -> int:
    """The page= argument as a positive int (junk becomes 1)."""
    return max(1, int_arg("page", args) or 1)


def date_arg(name: str) -> date | None:
    """A yyyy-mm-dd query argument, or None when absent or junk."""
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def choice_arg(name: str, choices) -> str | None:
    """A query argument that is one of the (code, label) choices' codes, else None."""
    value = request.args.get(name)
    return value if value in dict(choices) else None


def plan_year_arg() -> int:
    """?year= from the plan's first year to this year; anything else is this year."""
    this_year = local_today().year
    year = int_arg("year")
    return year if year and PLAN_START.year <= year <= this_year else this_year


def plan_years() -> range:
    """The plan's years so far, newest first (for a year picker)."""
    return range(local_today().year, PLAN_START.year - 1, -1)
