"""Imports every feature's table models so Alembic and the mappers see them all."""

from fieldapp.areas.models import Area  # noqa: F401
from fieldapp.auth.models import LoginAttempt, User, UserSession  # noqa: F401
from fieldapp.households.models import Household  # noqa: F401
from fieldapp.lessons.models import School  # noqa: F401
from fieldapp.outreach.models import Organization  # noqa: F401
from fieldapp.records.models import RecordHistory  # noqa: F401
from fieldapp.aggregates.models import Aggregate, AggregateMember  # noqa: F401
