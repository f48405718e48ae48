"""Exports: CSV with BOM and XLSX, formula-safe, scoped per role and area, logged, streamed."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import insert
from sqlmodel import select

from fieldapp.aggregates.models import Aggregate
from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.communication.models import CommunicationActivity, CommunicationUnit
from fieldapp.exports.models import ExportLog
from fieldapp.exports.registry import EXPORTERS
from fieldapp.exports.writers import neutralise, neutralise_phone
from fieldapp.feedback.models import Feedback
from fieldapp.figures.models import MonthlyFigure
from fieldapp.households.models import Household
from fieldapp.improvements.models import ImprovementAction
from fieldapp.lessons.models import Lesson, School
from fieldapp.outreach.models import Branch, Organization, OutreachActivity
from fieldapp.population.models import OfficialPopulation
from fieldapp.rosters.models import RosterPerson
from fieldapp.surveys.models import Survey
from fieldapp.targets.models import Target
from fieldapp.trainings.models import Attendance, TrainingSession
from fieldapp.visits.models import Visit

FORMULAS = ["=1+1", "+84912345678", "-5", "@SUM(A1)", "\t=cmd", "=HYPERLINK(\"http://x\")", "\r=2"]


def household(user, area, name, **fields) -> dict:
    """Column values of one household row, for direct inserts."""
    return {"head_name": name, "address": fields.pop("address", "Tổ 1"), "members": 4, "adults": 3,
            "registered_on": fields.pop("registered_on", date(2025, 5, 10)), "area_id": area.id,
            "created_by": user.id, "updated_by": user.id, **fields}


def add(db, model, rows):
    """Insert rows straight into a table (no aggregates: exports read raw records) and commit."""
    db.execute(insert(model), rows)
    db.commit()


@pytest.fixture
def world(app, db, demo):
    """The demo commune's thôn and users, plus a second commune with a household of its own."""
    with app.app_context():
        users = {u.username: u for u in db.exec(select(User)).all()}
        thon = db.exec(select(Area).where(Area.parent_id == demo.id).order_by(Area.id)).all()
        far = create_area(session=db, name="Xã Kiểm Thử", level=COMMUNE, parent=db.get(Area, demo.parent_id))
        far_thon = create_area(session=db, name="Thôn Xa", level=THON, parent=far)
        db.commit()
    admin = users["admin"]
    add(db, Household, [
        household(admin, thon[0], "Nguyễn Văn Đức", phone="0912345678"),
        household(admin, thon[1], "Trần Thị Ơn", registered_on=date(2025, 7, 1)),
        household(admin, far_thon, "Người Xã Khác"),
        household(admin, thon[0], "Lê Đã Xóa", deleted_at=datetime(2025, 6, 1, tzinfo=UTC),
                  deleted_by=admin.id),
    ])
    return {"users": users, "thon": thon, "far": far, "far_thon": far_thon, "commune": demo}


def read_csv(resp) -> list[list[str]]:
    body = resp.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(resp):
    return load_workbook(io.BytesIO(resp.get_data())).active


def full(client, url, purpose="report", note=""):
    """An export with its personal columns: POSTed with a stated purpose (officers, admins)."""
    return client.post(url, {"purpose": purpose, "purpose_note": note})


def names(rows, column=2) -> set[str]:
    return {r[column] for r in rows[1:]}


def test_csv_has_a_bom_a_translated_header_and_vietnamese_intact(world, login, app):
    resp = full(login("canbo"), "/exports/households.csv")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv" and resp.mimetype_params["charset"] == "utf-8"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.headers["Cache-Control"] == "no-store"
    rows = read_csv(resp)
    with app.test_request_context(), force_locale("vi"):
        assert rows[0] == [str(c.label) for c in EXPORTERS["households"].columns]
    assert names(rows) == {"Nguyễn Văn Đức", "Trần Thị Ơn"}
    duc = next(r for r in rows if r[2] == "Nguyễn Văn Đức")
    assert duc[1] == "Phước Lộc Đông" and duc[4] == "0912345678" and "10/05/2025" in duc


def test_english_user_gets_english_headers(world, login, db):
    user = db.get(User, world["users"]["canbo"].id)
    user.locale = "en"
    db.add(user)
    db.commit()
    rows = read_csv(full(login("canbo"), "/exports/households.csv"))
    assert rows[0][:3] == ["ID", "Thôn", "Head of household"]


def test_xlsx_opens_with_the_rows_and_typed_dates(world, login, app):
    resp = full(login("canbo"), "/exports/households.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = read_xlsx(resp)
    rows = list(ws.iter_rows(values_only=True))
    with app.test_request_context(), force_locale("vi"):
        assert list(rows[0]) == [str(c.label) for c in EXPORTERS["households"].columns]
    assert len(rows) == 3
    duc = next(r for r in rows if r[2] == "Nguyễn Văn Đức")
    assert duc[4] == "0912345678"
    assert datetime(2025, 5, 10) in duc  # a real date cell, shown dd/mm/yyyy
    assert {r[2] for r in rows[1:]} == {"Nguyễn Văn Đức", "Trần Thị Ơn"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_looking_values_are_neutralised_and_phones_stay_intact(world, login, db, fmt):
    admin, thon = world["users"]["admin"], world["thon"][2]
    add(db, Household, [household(admin, thon, name, address=name) for name in FORMULAS] + [
        household(admin, thon, "Số quốc tế", phone="+84912345678"),
        household(admin, thon, "Số trong nước", phone="0987654321"),
    ])
    resp = full(login("canbo"), f"/exports/households.{fmt}?area={thon.id}")
    if fmt == "csv":
        rows = read_csv(resp)
    else:
        ws = read_xlsx(resp)
        cells = [c for row in ws.iter_rows() for c in row]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        rows = [[c.value for c in row] for row in ws.iter_rows()]
    by_name = {r[2]: r for r in rows[1:]}
    for value in FORMULAS:
        # XML reads a carriage return back as a line feed: XLSX keeps line breaks as "\n".
        safe = "'" + (value.replace("\r", "\n") if fmt == "xlsx" else value)
        assert safe in by_name, value
        assert by_name[safe][3] == by_name[safe][2]  # the address was neutralised the same way
    assert by_name["Số quốc tế"][4] == "+84912345678"
    assert by_name["Số trong nước"][4] == "0987654321"


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+84 912", "'+84 912"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"), ("\r=x", "'\r=x"), ("\0=x", "'=x"), ("  =1", "'  =1"),
    ("Nguyễn Văn Đức", "Nguyễn Văn Đức"), ("a=b", "a=b"), ("", ""), ("x\x07y", "xy"),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_phone_columns_keep_bare_numbers_but_not_formulas():
    assert neutralise_phone("+84912345678") == "+84912345678"
    assert neutralise_phone("0912345678") == "0912345678"
    assert neutralise_phone("+1+cmd") == "'+1+cmd"


def test_member_exports_only_their_thon_and_other_communes_never_appear(world, login):
    rows = read_csv(login("tocns").get("/exports/households.csv"))
    assert len(rows) == 2 and rows[1][1] == "Phước Lộc Đông"  # their thôn's one household
    for user in ("canbo", "admin"):
        assert "Người Xã Khác" not in names(read_csv(full(login(user), "/exports/households.csv")))
    assert login("tocns").get(f"/exports/households.csv?area={world['thon'][1].id}").status_code == 404
    assert full(login("canbo"), f"/exports/households.csv?area={world['far'].id}").status_code == 404


def test_area_and_date_filters(world, login):
    c = login("canbo")
    assert names(read_csv(full(c, f"/exports/households.csv?area={world['thon'][1].id}"))) == {"Trần Thị Ơn"}
    assert names(read_csv(full(c, "/exports/households.csv?from=2025-06-01"))) == {"Trần Thị Ơn"}
    assert names(read_csv(full(c, "/exports/households.csv?to=10/05/2025"))) == {"Nguyễn Văn Đức"}
    assert c.get("/exports/households.csv?from=hôm-qua").status_code == 400
    assert c.get("/exports/households.csv?from=2025-07-01&to=2025-06-01").status_code == 400


def test_visit_dates_are_commune_days_and_times(world, login, db):
    admin, thon = world["users"]["admin"], world["thon"][0]
    hh = db.exec(select(Household).where(Household.head_name == "Nguyễn Văn Đức")).one()
    # 17:30 UTC on 31 May is 00:30 on 1 June in Vietnam.
    add(db, Visit, [{"household_id": hh.id, "visited_at": datetime(2025, 5, 31, 17, 30, tzinfo=UTC),
                     "result": "helped", "services_mask": 3, "area_id": thon.id, "created_by": admin.id,
                     "updated_by": admin.id}])
    c = login("tocns")
    [_header, row] = read_csv(c.get("/exports/visits.csv?from=2025-06-01&to=2025-06-01"))
    # A team member's export has no household names: the thôn, the member, the result.
    assert row[1] == "01/06/2025 00:30" and row[3] == "Trần Thị Quản Trị" and "Nguyễn Văn Đức" not in row
    assert len(row[5].split("; ")) == 2  # two services, by their labels
    assert len(read_csv(c.get("/exports/visits.csv?to=2025-05-31"))) == 1


@pytest.mark.parametrize("username", ["giaovien", "phunu", "lanhdao"])
@pytest.mark.parametrize("name", ["households", "visits", "feedback"])
def test_roles_without_personal_data_are_refused(world, login, username, name):
    c = login(username)
    assert c.get(f"/exports/{name}.csv").status_code == 403
    assert c.get(f"/exports/{name}.xlsx").status_code == 403


def test_viewer_exports_aggregates_of_their_area_only(world, login, db):
    add(db, Aggregate, [
        {"area_id": world["thon"][0].id, "period": "2025-05", "metric": "hh_households", "value": 7},
        {"area_id": world["thon"][0].id, "period": "2025", "metric": "staff_trained", "value": 2},
        {"area_id": world["far_thon"].id, "period": "2025-05", "metric": "hh_households", "value": 99},
    ])
    c = login("lanhdao")
    rows = read_csv(c.get("/exports/aggregates.csv"))
    # Key order: area, then each metric's periods in turn.
    assert [r[2:] for r in rows[1:]] == [["05/2025", "hh_households", "7"], ["2025", "staff_trained", "2"]]
    assert len(read_csv(c.get("/exports/aggregates.csv?from=2025-06-01"))) == 2  # the yearly row
    assert len(read_csv(c.get("/exports/aggregates.csv?from=2026-01-01"))) == 1
    html = c.get("/exports").get_data(as_text=True)
    assert "/exports/aggregates.csv" in html and "/exports/households.csv" not in html


def test_teacher_gets_only_her_schools_lessons_and_leader_only_his_organization(world, login, db):
    users, commune, thon = world["users"], world["commune"], world["thon"][0]
    other_school = School(area_id=commune.id, name="Trường THCS Khác")
    other_org = Organization(area_id=commune.id, name="Hội Nông dân", kind="nongdan")
    db.add_all([other_school, other_org])
    db.commit()
    admin = users["admin"]
    meta = {"area_id": commune.id, "created_by": admin.id, "updated_by": admin.id}
    own = ((users["giaovien"].school_id, "Của trường mình"), (other_school.id, "Trường khác"))
    add(db, Lesson, [{"school_id": school, "class_name": "8A", "grade": 8, "held_on": date(2025, 9, 10),
                      "kind": "lesson", "topic": topic, "pupils_present": 30, **meta} for school, topic in own
                     ])
    add(db, Branch, [{"organization_id": org, "name": f"Chi hội {org}", "members": 50, **meta,
                      "area_id": thon.id} for org in (users["phunu"].organization_id, other_org.id)])
    branches = db.exec(select(Branch).order_by(Branch.id)).all()
    add(db, OutreachActivity, [
        {"organization_id": b.organization_id, "branch_id": b.id, "held_on": date(2025, 9, 1),
         "form": "door_to_door", "members_reached": 5, "note": f"org {b.organization_id}", **meta,
         "area_id": thon.id} for b in branches
    ])
    lessons = read_csv(login("giaovien").get("/exports/lessons.csv"))
    assert [r[8] for r in lessons[1:]] == ["Của trường mình"]
    outreach = read_csv(login("phunu").get("/exports/outreach.csv"))
    assert [r[-1] for r in outreach[1:]] == [f"org {users['phunu'].organization_id}"]
    assert len(read_csv(login("canbo").get("/exports/lessons.csv"))) == 3
    assert login("giaovien").get("/exports/outreach.csv").status_code == 403


def test_every_export_is_logged_and_admins_read_the_log(world, login, db):
    login("tocns").get("/exports/households.xlsx?from=2025-01-01").get_data()
    [entry] = db.exec(select(ExportLog)).all()
    assert entry.user_id == world["users"]["tocns"].id
    assert (entry.record_type, entry.format, entry.row_count) == ("households", "xlsx", 1)
    assert entry.filters == {"area_id": world["thon"][0].id, "area": "Phước Lộc Đông",
                             "from": "2025-01-01", "to": None}
    assert entry.finished_at is not None
    db.commit()
    html = login("admin").get("/exports/log").get_data(as_text=True)
    assert "Nguyễn Thị Ánh" in html and "XLSX" in html
    assert login("canbo").get("/exports/log").status_code == 403


def test_log_row_is_written_before_the_body_is_read(world, login, db):
    resp = full(login("canbo"), "/exports/households.csv")
    [entry] = db.exec(select(ExportLog)).all()
    assert entry.row_count is None  # nothing streamed yet
    db.commit()
    resp.get_data()
    db.refresh(entry)
    assert entry.row_count == 2


def test_ten_thousand_rows_stream_in_chunks_and_arrive_complete(world, login, db):
    admin, thon = world["users"]["admin"], world["thon"][3]
    add(db, Household, [household(admin, thon, f"Hộ số {i}", phone=f"09{i:08d}") for i in range(10_000)])
    resp = full(login("canbo"), f"/exports/households.csv?area={thon.id}")
    assert resp.is_streamed and "Content-Length" not in resp.headers
    chunks = list(resp.response)
    assert len(chunks) >= 6  # the header, then one block per 2,000 rows
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert len(rows) == 10_001
    assert rows[-1][2] == "Hộ số 9999" and rows[1][4] == "0900000000"


def test_unknown_list_is_404_and_signed_out_visitors_go_to_login(world, client, login):
    assert login("canbo").get("/exports/passwords.csv").status_code == 404
    assert full(login("canbo"), "/exports/households.pdf").status_code == 404
    assert client.get("/exports/households.csv").status_code == 302


def test_export_page_lists_what_each_role_may_export(world, login):
    html = login("tocns").get("/exports").get_data(as_text=True)
    assert "/exports/households.xlsx" in html and "/exports/trainings.csv" not in html
    html = login("giaovien").get("/exports").get_data(as_text=True)
    assert "/exports/lessons.csv" in html and "/exports/households.csv" not in html



def test_every_list_exports_one_record_of_each_kind_as_csv_and_xlsx(world, login, db):
    commune, thon, admin = world["commune"], world["thon"][0], world["users"]["admin"]
    meta = {"created_by": admin.id, "updated_by": admin.id}
    unit = CommunicationUnit(area_id=commune.id, name="Đài truyền thanh", kind="grassroots")
    department = CommunicationUnit(area_id=commune.id, name="Phòng Văn hóa – Xã hội", kind="department")
    person = RosterPerson(kind="staff", full_name="Đặng Văn Ấn", staff_category="cong_chuc",
                          phone="0911111111", area_id=commune.id, **meta)
    session = TrainingSession(kind="awareness", audience="staff", held_on=date(2025, 8, 1), title="Tập huấn",
                              area_id=commune.id, **meta)
    db.add_all([unit, department, person, session])
    db.commit()
    hh = db.exec(select(Household).where(Household.head_name == "Nguyễn Văn Đức")).one()
    on = {"area_id": thon.id, **meta}
    add(db, Visit, [{"household_id": hh.id, "visited_at": datetime(2025, 8, 1, 3, tzinfo=UTC), **on}])
    add(db, Survey, [{"surveyed_on": date(2025, 8, 1), "domain": "land", "channel": "one_stop",
                      "sipas_access": 4, "overall": 5, "trips": 1, **on}])
    add(db, Feedback, [{"text": "=cmd|' /C calc'!A0", "received_on": date(2025, 8, 1), "source": "direct",
                        "status": "published", "answer": "Đã trả lời",
                        "published_at": datetime(2025, 8, 2, tzinfo=UTC), **on}])
    add(db, Attendance, [{"session_id": session.id, "person_id": person.id, "area_id": commune.id, **meta}])
    add(db, CommunicationActivity, [{"unit_id": unit.id, "channel": "radio", "held_on": date(2025, 8, 1),
                                     "title": "Phát thanh", "area_id": commune.id, **meta}])
    add(db, ImprovementAction, [{"unit_id": department.id, "held_on": date(2025, 8, 1), "score_766": 81.5,
                                 "action": "Niêm yết thủ tục", "area_id": commune.id, **meta}])
    add(db, MonthlyFigure, [{"indicator": "g", "month": "2025-07", "numerator": 80, "denominator": 100,
                             "area_id": commune.id, **meta}])
    add(db, Target, [{"indicator": "a", "area_id": commune.id, "year": 2025, "value": 0.855, **meta}])
    add(db, Aggregate, [{"area_id": thon.id, "period": "2025-08", "metric": "visits", "value": 1}])
    add(db, OfficialPopulation, [{"year": 2025, "adults": 3480, "adults_vneid2": 2390, "source": "Công an xã",
                                  "source_date": date(2025, 1, 15), "area_id": commune.id, **meta}])
    c = login("admin")
    for name in EXPORTERS:
        if name in ("lessons", "outreach"):
            continue  # covered with their own narrowing above
        rows = read_csv(c.get(f"/exports/{name}.csv"))
        ws = read_xlsx(c.get(f"/exports/{name}.xlsx"))
        assert ws.max_row == len(rows) > 1, name
    [_h, target] = read_csv(c.get("/exports/targets.csv"))
    assert target[-1] == "85,5%"
    [_h, feedback] = read_csv(full(c, "/exports/feedback.csv"))
    assert feedback[4] == "'=cmd|' /C calc'!A0"
    [_h, official] = read_csv(c.get("/exports/population.csv"))
    assert official[2:6] == ["2025", "3480", "2390", "Công an xã"]
    [_h, figure] = read_csv(c.get("/exports/figures.csv"))
    assert figure[1] == "07/2025" and figure[4:6] == ["80", "100"]


def test_xlsx_continues_on_a_new_sheet_past_the_row_limit(world, login, monkeypatch):
    monkeypatch.setattr("fieldapp.exports.writers.SHEET_ROWS", 1)
    wb = load_workbook(io.BytesIO(full(login("canbo"), "/exports/households.xlsx").get_data()))
    assert len(wb.worksheets) == 2
    assert [ws.max_row for ws in wb.worksheets] == [2, 2]  # header and one row each
    assert wb.worksheets[1].title.endswith("(2)")


@pytest.mark.parametrize("username", ["tocns", "canbo", "admin"])
def test_without_a_purpose_household_lists_leave_without_personal_data(world, login, username):
    rows = read_csv(login(username).get("/exports/households.csv"))
    text = "\n".join(",".join(r) for r in rows)
    assert len(rows) > 1
    for personal in ("Nguyễn Văn Đức", "0912345678", "Họ tên chủ hộ", "Số điện thoại", "Địa chỉ"):
        assert personal not in text


@pytest.mark.parametrize("username", ["tocns", "giaovien", "phunu", "lanhdao"])
@pytest.mark.parametrize("name", ["households", "visits", "feedback", "rosters"])
def test_only_officers_and_admins_export_personal_data(world, login, db, username, name):
    resp = full(login(username), f"/exports/{name}.csv")
    assert resp.status_code == 403
    db.rollback()
    assert db.exec(select(ExportLog)).all() == []


@pytest.mark.parametrize("purpose, note, message", [
    ("", "", "Hãy chọn mục đích của việc xuất dữ liệu có thông tin cá nhân."),
    ("other", "  ", "Hãy ghi rõ mục đích của việc xuất dữ liệu có thông tin cá nhân."),
    ("ban-het", "", "Hãy chọn mục đích của việc xuất dữ liệu có thông tin cá nhân."),
])
def test_a_personal_export_needs_a_purpose(world, login, db, purpose, note, message):
    resp = full(login("canbo"), "/exports/households.csv", purpose, note)
    assert resp.status_code == 400 and resp.mimetype == "text/html"
    assert message in resp.get_data(as_text=True)
    db.rollback()
    assert db.exec(select(ExportLog)).all() == []


def test_the_purpose_is_logged_and_shown_to_admins(world, login, db):
    rows = read_csv(full(login("canbo"), "/exports/households.csv", "other",
                         "Gửi danh sách cho Hội Nông dân, gọi 0912345678"))
    assert "0912345678" in "\n".join(",".join(r) for r in rows)  # the phone column is there
    login("tocns").get("/exports/households.csv").get_data()
    db.rollback()
    full_log, plain_log = db.exec(select(ExportLog).order_by(ExportLog.id)).all()
    assert (full_log.personal, full_log.purpose) == (True, "other")
    assert full_log.purpose_note.startswith("Gửi danh sách cho Hội Nông dân") and "0912345678" not in \
        full_log.purpose_note
    assert (plain_log.personal, plain_log.purpose, plain_log.purpose_note) == (False, None, None)
    db.commit()
    html = login("admin").get("/exports/log").get_data(as_text=True)
    assert "Khác (ghi rõ): Gửi danh sách cho Hội Nông dân" in html
    assert "không có thông tin cá nhân" in html
    page = login("canbo").get("/exports").get_data(as_text=True)
    assert "Báo cáo cấp trên" in page and "Có thông tin cá nhân" in page
    assert "Báo cáo cấp trên" not in login("tocns").get("/exports").get_data(as_text=True)
