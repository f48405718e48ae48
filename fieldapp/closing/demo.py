"""Demo closes: every month of the demo commune but the last two, and last year, closed as
the office does after each report (after every feature's demo records are in)."""

from fieldapp.closing.services import closable_on, close_period
from fieldapp.i18n import local_today


def load(ctx) -> None:
    """Close what the office would have closed by today (commits)."""
    if not ctx.records:
        return
    today = local_today()
    officer = ctx.users["canbo"]
    periods = [f"{y}-{m:02d}" for y in range(2025, today.year + 1) for m in range(1, 13)]
    periods = [p for p in periods if closable_on(p) <= today][:-1]  # the last ready month stays open
    periods += [str(y) for y in range(2025, today.year) if closable_on(str(y)) <= today]
    for period in periods:
        close_period(session=ctx.session, user=officer, commune=ctx.commune, period=period, today=today)
