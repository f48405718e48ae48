"""Communication metrics (targets c, d, e)."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import Col, First, all_, is_, month, year
from fieldapp.communication.models import CommunicationActivity, CommunicationUnit

# Communication (targets c, d, e): items by month, and units with at least one item of a
# channel in the year (distinct, in the unit's thôn or commune).
_ch = CommunicationActivity.channel
_kind = CommunicationUnit.kind
source(
    CommunicationActivity,
    Group(CommunicationActivity, month(CommunicationActivity.held_on),
          {"comm_items": Col(CommunicationActivity.count)}),
    Group(CommunicationActivity, year(CommunicationActivity.held_on), {
        "units_portal": all_(is_(_kind, "department"), is_(_ch, "portal_post")),
        "units_tthc_guide": all_(is_(_kind, "department"), is_(_ch, "tthc_guide")),
        "channels_active": all_(is_(_kind, "grassroots"), is_(_ch, "radio", "poster")),
    }, key=Col(CommunicationActivity.unit_id),
        area=First((CommunicationUnit.thon_id, CommunicationUnit.area_id)),
        joins=((CommunicationUnit, CommunicationActivity.unit_id),)),
    communication_unit=("unit_id", {"kind", "thon_id", "area_id"}),
)
