"""Reference lists of the plan: door-to-door service categories, survey domains and scales.

Codes are stored; labels are translated at display time. The offline app caches these too.
"""

from flask_babel import lazy_gettext as _l

# domain.md §4; each category owns one bit of Visit.services_mask (order is permanent).
SERVICES = [
    ("vneid_1", _l("VNeID: install and level-1 sign-up")),
    ("vneid_2", _l("VNeID: activate level 2")),
    ("portal", _l("National portal account and online filing")),
    ("birth", _l("Linked services: birth – residence – child health card")),
    ("death", _l("Linked services: death – residence removal – funeral benefit")),
    ("residence", _l("Residence: stay, temporary and permanent residence online")),
    ("civil", _l("Other civil status and certification")),
    ("insurance", _l("Social and health insurance: VssID, household card renewal")),
    ("cashless", _l("Cashless payment: accounts, QR, bills, fees")),
    ("ecommerce", _l("E-commerce for farm products")),
    ("safety", _l("Online safety and scam awareness")),
    ("feedback", _l("Complaints, petitions and rating services")),
]
SERVICE_CODES = [code for code, _label in SERVICES]
SERVICE_BIT = {code: 1 << i for i, code in enumerate(SERVICE_CODES)}


def services_to_mask(codes) -> int:
    """Bitmask of a list of service codes."""
    mask = 0
    for code in codes:
        mask |= SERVICE_BIT[code]
    return mask


def mask_to_services(mask: int) -> list[str]:
    """Service codes of a bitmask, in catalogue order."""
    return [code for code in SERVICE_CODES if mask & SERVICE_BIT[code]]


# Survey domains (lĩnh vực); land, construction and investment have their own 85% target.
DOMAINS = [
    ("land", _l("Land")),
    ("construction", _l("Construction")),
    ("investment", _l("Investment")),
    ("civil_status", _l("Civil status")),
    ("residence", _l("Residence")),
    ("insurance", _l("Social and health insurance")),
    ("other", _l("Other")),
]
STRICT_DOMAINS = {"land", "construction", "investment"}

CHANNELS = [
    ("online_full", _l("Fully online")),
    ("online_partial", _l("Partly online")),
    ("one_stop", _l("At the one-stop desk")),
]

# The SIPAS 1–5 scale (domain.md §3); 4 and 5 count as satisfied.
SCALE = [
    (1, _l("Very dissatisfied")),
    (2, _l("Dissatisfied")),
    (3, _l("Neutral")),
    (4, _l("Satisfied")),
    (5, _l("Very satisfied")),
]
SATISFIED = {4, 5}

SIPAS_FACTORS = [
    ("access", _l("Access to the service")),
    ("procedure", _l("The administrative procedure")),
    ("officials", _l("The officials who handled it")),
    ("result", _l("The result")),
    ("complaints", _l("Handling of feedback and complaints")),
]


def pairs(options) -> list[dict]:
    """An options list as the phone's reference data holds it: [{"code", "label"}]."""
    return [{"code": code, "label": str(lbl)} for code, lbl in options]


def label(options, code) -> str:
    """The translated label of a code in an options list ('' when unknown)."""
    return next((str(lbl) for c, lbl in options if c == code), "")
