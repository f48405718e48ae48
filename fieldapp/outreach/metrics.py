"""Organization metrics: members of branches, outreach by month."""

from fieldapp.aggregates.metrics import CURRENT, Group, source
from fieldapp.aggregates.spec import ONE, Col, Const, month
from fieldapp.outreach.models import Branch, OutreachActivity

# Organizations: members of each organization's branches (a current list, like the rosters),
# and outreach by month, overall and per organization.
source(Branch, Group(Branch, Const(CURRENT), {"org_members": Col(Branch.members)}),
       Group(Branch, Const(CURRENT), {"org_members_o{}": Col(Branch.members)},
             label=Col(Branch.organization_id)))

_outreach = {"or_members_reached": Col(OutreachActivity.members_reached),
             "or_non_members_reached": Col(OutreachActivity.non_members_reached),
             "or_members_helped": Col(OutreachActivity.members_helped)}
source(OutreachActivity,
       Group(OutreachActivity, month(OutreachActivity.held_on), {**_outreach, "outreach": ONE}),
       Group(OutreachActivity, month(OutreachActivity.held_on),
             {f"{k}_o{{}}": v for k, v in _outreach.items()}, label=Col(OutreachActivity.organization_id)))
