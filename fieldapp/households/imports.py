"""Household import: the office's household lists (police, thôn heads, census) into records.

A row matches a stored household on thôn + folded head name + folded address, as the
duplicate warning does. A matched row updates only the columns the file gives (a blank cell
changes nothing); the head name and address are the match itself and stay as stored.
Names typed in capitals are stored as names ("NGUYỄN VĂN AN" -> "Nguyễn Văn An").
"""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree
from fieldapp.db import utcnow
from fieldapp.households import figures
from fieldapp.households.models import CHANGED, Household, HouseholdIn
from fieldapp.households.services import create_households, derived
from fieldapp.i18n import clean_text, fold, local_today
from fieldapp.imports.engine import Importer, RowError, register
from fieldapp.imports.headers import Column
from fieldapp.imports.places import find_thon, thon_index
from fieldapp.records.models import new_uuid
from fieldapp.records.services import change_many
from fieldapp.records.validation import validate

COLUMNS = (
    Column("thon", _l("Thôn"), ("thon", "thon to", "to", "thon xom", "ten thon", "thon to dan pho",
                                "to dan pho", "thon ap", "dia ban", "xom"), required=True),
    Column("head_name", _l("Head of household"), (
        "ho va ten chu ho", "ho ten chu ho", "chu ho", "ten chu ho", "ho va ten", "ho ten",
        "head of household"), required=True),
    Column("address", _l("Address"), ("dia chi", "so nha", "dia chi thuong tru", "noi o", "noi o hien nay",
                                      "address")),
    Column("phone", _l("Phone"), ("so dt", "so dien thoai", "dien thoai", "sdt", "dt", "dien thoai lien he",
                                  "phone")),
    Column("members", _l("Household members"), (
        "so nhan khau", "nhan khau", "so khau", "tong so nhan khau", "so thanh vien", "tong so",
        "so nguoi trong ho", "household members")),
    Column("adults", _l("Adults (18 and over)"), (
        "trong do tu 18 tuoi", "tu 18 tuoi", "tu 18 tuoi tro len", "so nguoi tu 18 tuoi", "nguoi lon",
        "so nguoi truong thanh", "18 tuoi tro len", "adults 18 and over")),
    Column("adults_dvctt", _l("Adults who used online public services"), (
        "su dung dvctt", "da su dung dvctt", "dung dvctt", "dich vu cong truc tuyen",
        "da su dung dich vu cong truc tuyen", "so nguoi dung dvctt", "dvctt")),
    Column("adults_vneid2", _l("Adults with VNeID level 2"), (
        "vneid muc 2", "vneid 2", "dinh danh muc 2", "tai khoan dinh danh dien tu muc 2",
        "co vneid muc 2", "vneid")),
    Column("consent_given", _l("Consent"), ("dong y", "dong y ghi nhan", "dong y thu thap thong tin",
                                            "consent")),
    Column("note", _l("Note"), ("ghi chu", "note")),
    Column("registered_on", _l("Registered on"), ("ngay dang ky", "ngay ghi nhan", "registered on")),
)
# Fields a later file may change on a stored household (thôn, name and address are its match;
# the registration day is only corrected by hand, with a reason).
UPDATABLE = ("phone", "members", "adults", "adults_dvctt", "adults_vneid2", "consent_given", "note")
STORED = ("head_name", "address", "phone", "members", "adults", "adults_dvctt", "adults_vneid2",
          "consent_given", "note", "registered_on")
NO_PHONE = {"khong co", "khong", "k", "ko", "chua co", "0", "x", "na", "n a"}
YES = {"co", "c", "x", "yes", "y", "1", "dong y", "da dong y", "true", "v"}
NO = {"khong", "k", "ko", "no", "n", "0", "khong dong y", "chua", "false"}


def _phone(text: str) -> str | None:
    """A phone cell as the schema reads it: None for "không có", "-", 0; the 0 Excel dropped back."""
    if fold(text).strip(" .-/") in NO_PHONE or not fold(text).strip(" .-/"):
        return None
    digits = re.sub(r"[\s.\-()/]", "", text)
    return "0" + digits if re.fullmatch(r"[1-9]\d{8}", digits) else digits


def _yes_no(text: str) -> bool:
    word = fold(text).strip(" .")
    if word in YES:
        return True
    if word in NO:
        return False
    raise RowError(_("Consent: write Có or Không, or leave it empty."))


def _day(text: str) -> str:
    """dd/mm/yyyy (the Vietnamese way) as ISO; other text left to the schema."""
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text.strip())
    return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}" if m else text


def _name(text: str) -> str:
    """A name typed in capitals written as a name."""
    text = clean_text(text)
    return text.title() if text.isupper() else text


@dataclass
class Context:
    """The thôn of the area, and its live households by match key."""

    thon: dict
    areas: dict[int, Area]
    stored: dict[tuple, dict]


class HouseholdImporter(Importer):
    """Households from the office's lists."""

    kind = "households"
    label = _l("Households")
    columns = COLUMNS
    model = Household
    example = ("Phước Lộc Đông", "Nguyễn Văn An", "Số 12, xóm Đông", "0912345678", 4, 3, 1, 2, "Có", "", "")

    def context(self, session: Session, area: Area) -> Context:
        index = thon_index(session, area)
        areas = {a.id: a for a in index.values() if a is not None}
        cols = [getattr(Household, name) for name in ("id", "area_id", *STORED)]
        stmt = (select(*cols).join(Area, Area.id == Household.area_id)
                .where(in_subtree(Area.path, area), Household.deleted_at.is_(None)))
        stored = {}
        for row in session.exec(stmt):
            values = dict(zip(("id", "area_id", *STORED), row, strict=True))
            stored.setdefault((values["area_id"], fold(values["head_name"]), fold(values["address"])), values)
        return Context(index, areas, stored)

    def key(self, values: dict[str, str], ctx: Context) -> tuple:
        thon = find_thon(ctx.thon, values.get("thon", ""))
        name = fold(values.get("head_name"))
        if not name:
            raise RowError(_("%(column)s: This field is required.", column=_("Head of household")))
        return thon.id, name, fold(clean_text(values.get("address", "")))

    def find(self, ctx: Context, key: tuple):
        return ctx.stored.get(key)

    def validate(self, values: dict[str, str], existing, ctx: Context) -> HouseholdIn:
        raw = {k: v for k, v in (existing or {}).items() if k in STORED}
        given = {k: v for k, v in values.items() if k != "thon"}
        if "head_name" in given:
            given["head_name"] = _name(given["head_name"])
        if "phone" in given:
            given["phone"] = _phone(given["phone"])
        if "consent_given" in given:
            given["consent_given"] = _yes_no(given["consent_given"])
        if "registered_on" in given:
            given["registered_on"] = _day(given["registered_on"])
        if existing is not None:  # the stored household keeps its name, address and day
            given = {k: v for k, v in given.items() if k in UPDATABLE}
        raw |= given
        raw["thon_id"] = find_thon(ctx.thon, values["thon"]).id
        return validate(HouseholdIn, raw)

    def changes(self, existing: dict, data: HouseholdIn, present: set[str]) -> dict:
        return {name: (existing[name], getattr(data, name)) for name in UPDATABLE
                if name in present and existing[name] != getattr(data, name)}

    def row_label(self, values: dict[str, str]) -> str:
        return _name(values.get("head_name", ""))[:80]

    def write(self, *, session, user, ctx: Context, new, changed, note) -> list[int]:
        created = []
        if new:
            uuids = [new_uuid() for _row in new]
            ids = create_households(session=session, user=user, reason=note, items=[
                (ctx.areas[row.data.thon_id], row.data, uuid, None)
                for row, uuid in zip(new, uuids, strict=True)])
            created = [ids[uuid] for uuid in uuids]
        if changed:
            self._update(session, user, changed, note)
        return created

    def _update(self, session, user, changed, note) -> None:
        """Changed rows: moved figures dated today (a change that happened), the rest as edits."""
        households = {h.id: h for h in session.exec(select(Household).where(
            Household.id.in_([row.existing["id"] for row in changed])))}
        edits, dated = [], []
        for row in changed:
            household = households[row.existing["id"]]
            values = {name: after for name, (_before, after) in row.changes.items()}
            moved = {name: values.pop(name) for name in figures.FIGURES if name in values}
            if moved:
                dated.append((household, local_today(), moved, CHANGED, None))
            if "phone" in values:
                values |= derived(row.data)
            if values.get("consent_given"):
                values |= {"consent_by": user.id, "consent_at": utcnow(),
                           "consent_notice_version": row.data.consent_notice_version}
            elif "consent_given" in values:
                values |= {"consent_by": None, "consent_at": None, "consent_notice_version": None}
            edits.append((household, values))
        moved = figures.change_batch(session=session, user=user, items=dated) if dated else {}
        change_many(session=session, user=user, reason=note,
                    changes=[(h, values | moved.get(h.id, {})) for h, values in edits])


HOUSEHOLDS = register(HouseholdImporter())
