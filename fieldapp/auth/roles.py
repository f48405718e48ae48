"""The six roles, what area level each is scoped to, and their labels."""

from flask_babel import lazy_gettext as _l

from fieldapp.areas.models import COMMUNE, PROVINCE, THON

ADMIN, OFFICER, MEMBER, TEACHER, LEADER, VIEWER = (
    "admin", "officer", "member", "teacher", "leader", "viewer",
)
ROLES = (ADMIN, OFFICER, MEMBER, TEACHER, LEADER, VIEWER)

ROLE_LABELS = {
    ADMIN: _l("Administrator"),
    OFFICER: _l("Commune officer"),
    MEMBER: _l("Community digital team member"),
    TEACHER: _l("Teacher"),
    LEADER: _l("Organization leader"),
    VIEWER: _l("Leadership (read only)"),
}

# The area levels a role may be scoped to: a team member works in one thôn, etc.
ROLE_LEVELS = {
    ADMIN: (PROVINCE, COMMUNE),
    OFFICER: (COMMUNE,),
    MEMBER: (THON,),
    TEACHER: (COMMUNE,),
    LEADER: (COMMUNE,),
    VIEWER: (PROVINCE, COMMUNE),
}

# Roles that must be tied to a school or an organization.
NEEDS_SCHOOL = {TEACHER}
NEEDS_ORGANIZATION = {LEADER}

# Roles that may see households' personal data (names, phones, addresses).
SEES_PERSONAL_DATA = {ADMIN, OFFICER, MEMBER}
