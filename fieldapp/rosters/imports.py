"""Roster import from CSV/XLSX: Vietnamese headers, a report per row, repeatable.

A row matches an existing person on kind + area + folded name + folded unit; only the
columns present in the file are compared, so a file without phones never erases them.
"""

from flask_babel import gettext as _
from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.areas.services import children
from fieldapp.auth.models import User
from fieldapp.i18n import fold
from fieldapp.records.services import change_record
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.rosters import services
from fieldapp.rosters.forms import LABELS
from fieldapp.rosters.models import STAFF, TEAM, RosterPersonIn
from fieldapp.tabular import pick

# Accepted header spellings, folded (fieldapp.tabular folds the file's header row).
HEADERS = {
    "full_name": ("ho va ten", "ho ten", "ten", "full name", "name"),
    "kind": ("loai", "doi tuong", "kind"),
    "staff_category": ("phan loai", "ngach", "category"),
    "position": ("chuc vu", "position"),
    "unit": ("don vi", "phong ban", "co quan", "unit"),
    "thon": ("thon", "thon, to dan pho", "thon/to dan pho", "to dan pho"),
    "is_operator": ("van hanh he thong", "van hanh", "operator"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone"),
}
CATEGORY_WORDS = {
    "can bo": "can_bo", "cong chuc": "cong_chuc", "vien chuc": "vien_chuc",
    "nguoi lao dong": "nguoi_lao_dong", "lao dong": "nguoi_lao_dong",
}
STAFF_WORDS = {"staff", "cbccvc", "can bo, cong chuc, vien chuc, nguoi lao dong", "can bo cong chuc"}
YES = {"x", "co", "c", "yes", "y", "1", "true", "v", "✓", "✔"}
NO = {"", "khong", "k", "no", "n", "0", "false", "-"}
# Fields an import may update on a matched person (the rest are the match key, or set by hand).
UPDATABLE = ("staff_category", "position", "is_operator", "phone")


class RowError(ValueError):
    """One row cannot be read; the message is for the user."""


def _kind_and_category(row: dict) -> tuple[str, str | None]:
    kind_text = fold(pick(row, *HEADERS["kind"]))
    category_text = fold(pick(row, *HEADERS["staff_category"]))
    category = CATEGORY_WORDS.get(category_text) or category_text or None
    if "cong nghe so" in kind_text or kind_text.replace(" ", "") in ("tocnscd", "tocns", "team"):
        return TEAM, None
    if kind_text in CATEGORY_WORDS:
        return STAFF, CATEGORY_WORDS[kind_text]
    if kind_text in STAFF_WORDS:
        return STAFF, category
    if not kind_text and category:
        return STAFF, category
    if not kind_text and pick(row, *HEADERS["thon"]):
        return TEAM, None
    if not kind_text:
        raise RowError(_("The type (Loại) is empty."))
    raise RowError(_("Unknown type “%(value)s”: write Cán bộ, Công chức, Viên chức, Người lao động "
                     "or Tổ công nghệ số.", value=pick(row, *HEADERS["kind"])))


def _yes_no(text: str) -> bool:
    value = fold(text)
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(_("Write x or Có for people who run the systems, or leave it empty."))


def _thon_id(row: dict, thon: dict[str, Area]) -> int:
    name = fold(pick(row, *HEADERS["thon"]))
    if not name:
        raise RowError(_("Team members need a thôn."))
    area = thon.get(name) or thon.get(name.removeprefix("thon ").strip())
    if area is None:
        raise RowError(_("No thôn named “%(name)s” in this commune.", name=pick(row, *HEADERS["thon"])))
    return area.id


def row_data(row: dict, thon: dict[str, Area]) -> dict:
    """The raw RosterPersonIn data of one file row (raises RowError for unreadable cells)."""
    kind, category = _kind_and_category(row)
    data = {
        "kind": kind, "staff_category": category, "full_name": pick(row, *HEADERS["full_name"]),
        "position": pick(row, *HEADERS["position"]), "unit": pick(row, *HEADERS["unit"]),
        "is_operator": _yes_no(pick(row, *HEADERS["is_operator"])),
        "phone": pick(row, *HEADERS["phone"]),
    }
    if kind == TEAM:
        data["thon_id"] = _thon_id(row, thon)
    return data


def _present(row: dict) -> set[str]:
    return {field for field, names in HEADERS.items() if any(n in row for n in names)}


def _invalid_text(err: RecordInvalid) -> str:
    return " ".join(
        f"{LABELS.get(field, '')}: {' '.join(msgs)}" if field in LABELS else " ".join(msgs)
        for field, msgs in err.errors.items()
    )


def import_rows(*, session: Session, user: User, user_area: Area, rows) -> list[dict]:
    """Create or update roster people from (row number, row) pairs. Commits the good rows.

    Returns one line per row: {"row", "name", "status": created|unchanged|updated|error, "error"}.
    """
    commune = services.user_commune(session, user_area)
    thon = {}
    for area in children(session, commune):
        thon[area.name_folded] = area
        thon.setdefault(area.name_folded.removeprefix("thon ").strip(), area)
    report = []
    for number, row in rows:
        name = pick(row, *HEADERS["full_name"])
        line = {"row": number, "name": name[:60], "status": "error", "error": ""}
        report.append(line)
        try:
            data = validate(RosterPersonIn, row_data(row, thon))
        except RowError as err:
            line["error"] = str(err)
            continue
        except RecordInvalid as err:
            line["error"] = _invalid_text(err)
            continue
        area = thon_by_id(thon, data.thon_id) if data.kind == TEAM else commune
        same = services.find_same(session, kind=data.kind, area_id=area.id, name=data.full_name,
                                  unit=data.unit)
        if same is None:
            services.add_person(session=session, user=user, area=area, data=data)
            line["status"] = "created"
            continue
        present = _present(row) | {"staff_category"}
        changes = {k: v for k, v in data.model_dump().items() if k in UPDATABLE and k in present}
        changed = change_record(session=session, user=user, record=same, changes=changes)
        line["status"] = "updated" if changed else "unchanged"
    session.commit()
    return report


def thon_by_id(thon: dict[str, Area], area_id: int | None) -> Area:
    """The thôn with that id among the commune's thôn."""
    return next(a for a in thon.values() if a.id == area_id)
