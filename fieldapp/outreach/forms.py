"""Organization, branch and outreach forms: labels and widgets only; rules live in the *In schemas."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField

from fieldapp.forms import BaseForm, options
from fieldapp.outreach.models import ORG_KINDS, OUTREACH_FORMS

ORG_FIELDS = ("name", "kind", "commune_id")
BRANCH_FIELDS = ("name", "members", "thon_id")
OUTREACH_FIELDS = ("branch_id", "held_on", "form", "members_reached", "non_members_reached",
                   "members_helped", "note")


class OrganizationForm(BaseForm):
    """The admin adds or edits an organization."""

    name = StringField(_l("Organization name"))
    kind = SelectField(_l("Kind of organization"), choices=options(ORG_KINDS), validate_choice=False)
    commune_id = SelectField(_l("Commune"), coerce=int, validate_choice=False)
    active = BooleanField(_l("In use"), default=True)


class BranchForm(BaseForm):
    """The admin adds or edits a branch and its member count."""

    thon_id = SelectField(_l("Thôn"), coerce=int, validate_choice=False)
    name = StringField(_l("Branch name"))
    members = IntegerField(_l("Members"))


class OutreachForm(BaseForm):
    """A leader logs or edits an outreach activity."""

    branch_id = SelectField(_l("Branch"), coerce=int, validate_choice=False)
    held_on = DateField(_l("Date"))
    form = RadioField(_l("Form of outreach"), choices=options(OUTREACH_FORMS), default="branch_meeting",
                      validate_choice=False)
    members_reached = IntegerField(_l("Members reached"), default=0)
    non_members_reached = IntegerField(_l("Non-members reached"), default=0)
    members_helped = IntegerField(_l("Members helped to use online public services"), default=0)
    note = TextAreaField(_l("Note"))
