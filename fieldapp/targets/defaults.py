"""The plan's indicators (a)–(n) and their default targets (Kế hoạch 42/KH-UBND, domain.md §1).

The dashboard reads the titles from here too; codes are permanent, titles are translated.
"""

from flask_babel import lazy_gettext as _l

INDICATORS = {
    "a": _l("Officials, civil servants, public employees and workers reached by awareness communication"),
    "b": _l("Staff who run the public-service systems trained"),
    "c": _l("Units posting online-service content on the e-portal"),
    "d": _l("Units publishing how-to guides on the procedure system"),
    "e": _l("Grassroots information channels covering online public services"),
    "f": _l("Community digital team members trained"),
    "g": _l("Eligible procedures offered fully online"),
    "h": _l("Users with seamless, unified electronic identification"),
    "i": _l("Applications processed fully online"),
    "j": _l("Adults using online public services"),
    "k": _l("Citizens satisfied with online public services"),
    "k_strict": _l("Citizens satisfied in land, construction and investment"),
    "l": _l("Feedback acknowledged publicly"),
    "m": _l("Providers continuously improving service quality"),
    "n": _l("Adults using online public services (2030 target)"),
}
CODES = tuple(INDICATORS)

_PLAN_2025 = {
    "a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0, "e": 1.0, "f": 1.0, "g": 1.0, "h": 1.0, "l": 1.0,
    "i": 0.8, "j": 0.5, "k": 0.9, "k_strict": 0.85,
}
# 2030 raises j and adds m and n; the plan sets no new figure for the others, so they carry over.
PLAN_DEFAULTS = {
    2025: _PLAN_2025,
    2030: _PLAN_2025 | {"j": 0.7, "m": 1.0, "n": 0.7},
}


def plan_year(year: int) -> int:
    """The plan year whose figures apply: the latest one not after year (2025 before that)."""
    earlier = [y for y in PLAN_DEFAULTS if y <= year]
    return max(earlier) if earlier else min(PLAN_DEFAULTS)


def default_target(indicator: str, year: int) -> float | None:
    """The plan's target for an indicator in a year, as a fraction (None when the plan sets none)."""
    return PLAN_DEFAULTS[plan_year(year)].get(indicator)
