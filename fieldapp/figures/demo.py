"""Demo monthly figures (targets g, i); the closing feature closes the months. Deterministic."""

import random

from fieldapp.figures import services as figures
from fieldapp.figures.models import MonthlyFigureIn, current_month

SEED = 4245


def _months(until: str) -> list[str]:
    out, year, month = [], 2025, 1
    while f"{year}-{month:02d}" <= until:
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _figures(session, rng, commune, officer) -> None:
    months = _months(current_month())
    procedures, applications = 205, 380
    for n, month in enumerate(months):
        online = min(procedures, 150 + n * 2 + rng.randint(0, 3))
        applications += rng.randint(-30, 40)
        share = min(0.95, 0.62 + n * 0.012 + rng.uniform(-0.03, 0.03))
        pairs = (("g", online, procedures), ("i", round(applications * share), applications))
        for indicator, num, den in pairs:
            data = MonthlyFigureIn(indicator=indicator, month=month, numerator=num, denominator=den,
                                   source="Hệ thống thông tin giải quyết TTHC tỉnh Quảng Ngãi")
            figures.create_figure(session=session, user=officer, commune=commune, data=data)


def load(ctx) -> None:
    """Figures of every month since January 2025 (commits)."""
    if ctx.records:
        _figures(ctx.session, random.Random(SEED), ctx.commune, ctx.users["canbo"])
