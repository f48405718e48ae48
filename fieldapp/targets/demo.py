"""Demo target override: the commune aims above the plan in 2026."""

from fieldapp.targets.services import set_targets


def load(ctx) -> None:
    """One local target above the plan: 55% of adults using DVCTT in 2026 (commits)."""
    if ctx.records:
        set_targets(session=ctx.session, user=ctx.users["admin"], area=ctx.commune, year=2026,
                    percents={"j": "55"})
