"""Feedback metrics (target l): received and published answers."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import ONE, is_, month
from fieldapp.feedback.models import Feedback

# Feedback (target l): counted in the month received.
source(Feedback, Group(Feedback, month(Feedback.received_on), {
    "fb_received": ONE,
    "fb_published": is_(Feedback.status, "published"),
}))
