"""Login, password and account forms; every message goes through gettext."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp

from fieldapp.auth.roles import ROLE_LABELS
from fieldapp.forms import BaseForm, options

REQUIRED = _l("This field is required.")


class LoginForm(BaseForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[InputRequired(REQUIRED), Length(max=50)])
    password = PasswordField(_l("Password"), validators=[InputRequired(REQUIRED), Length(max=200)])


class PasswordForm(BaseForm):
    """A user changes their own password."""

    current = PasswordField(_l("Current password"), validators=[InputRequired(REQUIRED)])
    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(REQUIRED),
            Length(min=8, max=200, message=_l("The password must have at least 8 characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("The two passwords do not match."))],
    )


class UserForm(BaseForm):
    """The admin creates or edits an account."""

    username = StringField(
        _l("Username"),
        validators=[
            InputRequired(REQUIRED),
            Length(min=3, max=50, message=_l("Between 3 and 50 characters.")),
            Regexp(r"^[a-zA-Z0-9._-]+$", message=_l("Only letters without accents, digits, . _ -")),
        ],
    )
    full_name = StringField(_l("Full name"), validators=[InputRequired(REQUIRED), Length(max=120)])
    role = SelectField(_l("Role"), choices=options(ROLE_LABELS.items()))
    area_id = SelectField(_l("Area"), coerce=int, validate_choice=True)
    school_id = SelectField(_l("School"), coerce=int, validate_choice=True)
    organization_id = SelectField(_l("Organization"), coerce=int, validate_choice=True)
    password = PasswordField(
        _l("Password"),
        validators=[
            Optional(),
            Length(min=8, max=200, message=_l("The password must have at least 8 characters.")),
        ],
    )
    active = BooleanField(_l("Account is active"), default=True)
