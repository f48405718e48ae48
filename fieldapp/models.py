"""Imports every feature's table models so Alembic and the mappers see them all."""

from fieldapp.aggregates.models import Aggregate, AggregateMember  # noqa: F401
from fieldapp.areas.models import Area  # noqa: F401
from fieldapp.auth.models import LoginAttempt, User, UserSession  # noqa: F401
from fieldapp.backups.models import BackupLog  # noqa: F401
from fieldapp.communication.models import CommunicationActivity, CommunicationUnit  # noqa: F401
from fieldapp.exports.models import ExportLog  # noqa: F401
from fieldapp.feedback.models import Feedback  # noqa: F401
from fieldapp.figures.models import FigureMonthClose, MonthlyFigure  # noqa: F401
from fieldapp.households.models import Household  # noqa: F401
from fieldapp.improvements.models import ImprovementAction  # noqa: F401
from fieldapp.lessons.models import Lesson, School  # noqa: F401
from fieldapp.outreach.models import Branch, Organization, OutreachActivity  # noqa: F401
from fieldapp.privacy.models import PersonalDataAccess  # noqa: F401
from fieldapp.records.models import RecordHistory  # noqa: F401
from fieldapp.rosters.models import RosterPerson  # noqa: F401
from fieldapp.surveys.models import Survey  # noqa: F401
from fieldapp.sync.models import DeviceToken  # noqa: F401
from fieldapp.targets.models import Target  # noqa: F401
from fieldapp.trainings.models import Attendance, TrainingSession  # noqa: F401
from fieldapp.visits.models import Visit  # noqa: F401
