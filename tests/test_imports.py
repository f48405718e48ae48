"""Household import (issue 16): a messy office file previewed and imported exactly, re-import,
later files, undo, the CLI, and bad files refused with a clear message."""

import io
import re
import unicodedata
import zipfile

import pytest
from flask_babel import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlmodel import func, select

from fieldapp.aggregates.services import check
from fieldapp.areas.models import COMMUNE, Area
from fieldapp.auth.models import User
from fieldapp.households.imports import HOUSEHOLDS
from fieldapp.households.models import Household
from fieldapp.imports import engine, reader
from fieldapp.imports.models import ImportLog, ImportMapping
from fieldapp.records.models import RecordHistory

DAMAGED = "The XLSX file is damaged or not a workbook: open it in Excel and save it again."
NFD_AN = unicodedata.normalize("NFD", "Nguyễn Văn An")


def t(app, msgid, **kw):
    with app.test_request_context():
        return gettext(msgid, **kw)


def messy_xlsx() -> bytes:
    """A household list as an office keeps it: title rows, merged cells, a two-row header,
    NFD and capitalised names, numeric phones, a repeated row, bad rows and a total row."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "UBND XÃ SƠN TỊNH"
    ws.merge_cells("A1:G1")
    ws["A2"] = "DANH SÁCH HỘ GIA ĐÌNH NĂM 2026"
    ws.merge_cells("A2:G2")
    ws.append([])
    ws.append(["STT", "Họ và tên chủ hộ", "Thôn/Tổ", "Địa chỉ", "Số ĐT", "Nhân khẩu", None])
    ws.merge_cells("F4:G4")
    ws.append([None, None, None, None, None, "Số nhân khẩu", "Trong đó: từ 18 tuổi"])
    rows = [
        [1, NFD_AN, "Phước Lộc Đông", "Số 1 xóm Đông", 912345678, 4, 3],
        [2, "TRẦN THỊ BÌNH", "thôn ngọc thạnh", "Số 2", "0905.123.456", 3, 2],
        [3, "Lê Văn Cường", "Phuoc Loc Tay", None, "không có", 2, 2],
        [4, NFD_AN, "Phước Lộc Đông", "Số 1 xóm Đông", 912345678, 4, 3],
        [5, "Phạm Thị Dung", "Thôn Không Có", "X", None, 2, 1],
        [6, "Hoàng Văn Em", "Đông Hòa", "Số 5", None, 2, 3],
        [7, None, "Đông Hòa", "Số 6", None, 2, 1],
        [],
        [None, "Tổng cộng", None, None, None, "=SUM(F6:F12)", "=SUM(G6:G12)"],
    ]
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(c, data: bytes, name: str):
    return c.post("/households/import", {"file": (io.BytesIO(data), name)},
                  content_type="multipart/form-data")


def counts(html: str) -> dict[str, int]:
    """The preview's counts table, by status label."""
    return {label: int(n.replace(".", "")) for label, n in
            re.findall(r'<th scope="row">([^<]+)</th><td>([\d.]+)</td>', html)}


def confirm(c, html: str, **extra):
    token = re.search(r'name="token" value="([0-9a-f]+)"', html)[1]
    filename = re.search(r'name="filename" value="([^"]+)"', html)[1]
    return c.post("/households/import", {"token": token, "filename": filename, "action": "import", **extra})


def live(db) -> int:
    return db.exec(select(func.count()).select_from(Household).where(Household.deleted_at.is_(None))).one()


def labels(app) -> dict[str, str]:
    return {s: t(app, m) for s, m in (("new", "New"), ("same", "Already present"), ("changed", "Changed"),
                                       ("rejected", "Rejected"), ("repeated", "Repeated in the file"),
                                       ("skipped", "Total rows skipped"))}


def test_messy_file_preview_import_reimport_and_undo(app, demo, login, db):
    c = login("canbo")
    L = labels(app)
    before = live(db)
    resp = upload(c, messy_xlsx(), "danh-sach.xlsx")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert counts(html) == {L["new"]: 3, L["same"]: 0, L["changed"]: 0, L["rejected"]: 3,
                            L["repeated"]: 1, L["skipped"]: 1}
    assert t(app, "No thôn named “%(name)s” in your area.", name="Thôn Không Có") in html
    assert t(app, "Adults cannot be more than household members.") in html
    assert t(app, "Same as row %(n)s: imported once.", n=6) in html
    for number in (10, 11, 12):  # the spreadsheet's own row numbers of the rejected rows
        assert f"<td>{number}</td>" in html
    assert live(db) == before  # the preview wrote nothing

    resp = confirm(c, html)
    assert resp.status_code == 302
    assert live(db) == before + 3
    an = db.exec(select(Household).where(Household.head_name == "Nguyễn Văn An")).one()
    assert (an.phone, an.members, an.adults, an.consent_given) == ("0912345678", 4, 3, False)
    binh = db.exec(select(Household).where(Household.head_name == "Trần Thị Bình")).one()
    assert binh.phone == "0905123456" and binh.area_id == thon_id(db, "Ngọc Thạnh")
    cuong = db.exec(select(Household).where(Household.head_name == "Lê Văn Cường",
                                            Household.area_id == thon_id(db, "Phước Lộc Tây"))).one()
    assert cuong.phone is None
    hist = db.exec(select(RecordHistory).where(RecordHistory.record_type == "household",
                                               RecordHistory.record_id == an.id)).one()
    assert hist.reason == t(app, "imported from file %(name)s", name="danh-sach.xlsx")
    log = db.exec(select(ImportLog)).one()
    assert (log.created, log.updated, log.unchanged, log.rejected, log.repeated) == (3, 0, 0, 3, 1)
    assert check(db) == []

    # The same file again creates nothing.
    html = upload(c, messy_xlsx(), "danh-sach.xlsx").get_data(as_text=True)
    assert counts(html)[L["new"]] == 0 and counts(html)[L["same"]] == 3
    confirm(c, html)
    assert live(db) == before + 3

    # A later file with fewer columns changes only what it has, and says so.
    later = ("Chủ hộ,Thôn,Địa chỉ,Số nhân khẩu\n"
             "Nguyễn Văn An,Phước Lộc Đông,Số 1 Xóm Đông,5\n").encode()
    html = upload(c, later, "cap-nhat.csv").get_data(as_text=True)
    assert counts(html)[L["changed"]] == 1
    assert "4 → 5" in html
    confirm(c, html)
    db.refresh(an)
    assert (an.members, an.adults, an.phone) == (5, 3, "0912345678")
    assert check(db) == []

    # Undo the first import: its households are deleted, the counts are back.
    c.post(f"/imports/{log.id}/undo", {"reason": "Nhập nhầm tệp"})
    assert live(db) == before
    db.refresh(log)
    assert log.undone_at is not None and log.undo_reason == "Nhập nhầm tệp"
    assert check(db) == []
    page = c.get("/imports/").get_data(as_text=True)
    assert "danh-sach.xlsx" in page and "Nhập nhầm tệp" in page


def thon_id(db, name):
    return db.exec(select(Area).where(Area.name == name)).one().id


def test_unknown_headers_are_mapped_by_hand_and_remembered(app, demo, login, db):
    c = login("canbo")
    data = "Tên người đại diện;Xóm ấp;Khẩu;Người lớn\nĐinh Văn Tư;Bình Nam;3;2\n".encode()
    html = upload(c, data, "a.csv").get_data(as_text=True)
    assert 'name="map-head_name"' in html
    mapping = {"mapped": "1", "map-head_name": "0", "map-thon": "1", "map-members": "2", "map-adults": "3",
               "action": "preview"}
    token = re.search(r'name="token" value="([0-9a-f]+)"', html)[1]
    html = c.post("/households/import", {"token": token, "filename": "a.csv", **mapping}).get_data(
        as_text=True)
    assert counts(html)[labels(app)["new"]] == 1
    confirm(c, html, **{k: v for k, v in mapping.items() if k != "action"})
    assert db.exec(select(Household).where(Household.head_name == "Đinh Văn Tư")).one().members == 3
    assert db.exec(select(ImportMapping)).one().kind == "households"
    # The next file with the same headers needs no mapping.
    html = upload(c, data, "b.csv").get_data(as_text=True)
    assert counts(html)[labels(app)["same"]] == 1


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: base letters (ă â ê ô ơ ư đ) with the tone mark apart."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        out.append(base + "".join(p for p in parts if p in tones))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-16"), lambda s: s.encode("utf-16-le"), lambda s: "\ufeff".join(["", s]).encode(),
    cp1258,
])
def test_csv_encodings_office_files_use_are_read(app, demo, login, db, encode):
    text = "Họ và tên chủ hộ,Thôn,Số nhân khẩu,Từ 18 tuổi\r\nVõ Thị Ngọc Ánh,Hà Nhai Bắc,3,2\r\n"
    html = upload(login("canbo"), encode(text), "ds.csv").get_data(as_text=True)
    assert counts(html)[labels(app)["new"]] == 1
    assert "Võ Thị Ngọc Ánh" in html


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def truncated_xlsx() -> bytes:
    return messy_xlsx()[:900]


def broken_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<garbage")
    return buf.getvalue()


@pytest.mark.parametrize("name,data,message", [
    ("ds.txt", b"\x00\x01binary", "Only .csv and .xlsx files can be imported."),
    ("ds.pdf", b"%PDF-1.4", "Only .csv and .xlsx files can be imported."),
    ("ds.xlsx", b"not a workbook", DAMAGED),
    ("ds.xlsx", None, DAMAGED),
    ("ds.xlsx", b"zip", DAMAGED),
    ("ds.xlsx", reader.OLE + b"\x00" * 600, "The workbook is password-protected or in the old .xls format. "
     "Open it in Excel, remove the password, save it as .xlsx and import again."),
    ("ds.csv", "Hä vµ tªn,Th«n\r\nNguyÔn V¨n A,Ph\u00adíc Léc\r\n".encode("cp1258"),
     "The file is in the old TCVN3 (ABC, .VnTime font) encoding. Open it in Excel, convert it to Unicode "
     "(e.g. with Unikey's tool), then save it as “CSV UTF-8” and import again."),
    ("ds.csv", b"", "The file is empty."),
    ("ds.xlsx", "x", "No row of column names was found. The sheet needs a header row, e.g. %(names)s."),
])
def test_bad_files_get_a_clear_message_and_change_nothing(app, demo, login, db, name, data, message):
    if data is None:
        data = truncated_xlsx()
    elif data == b"zip":
        data = broken_zip()
    elif data == "x":
        data = xlsx_bytes([["BÁO CÁO"], [None], [1], [2]])
    before = live(db)
    resp = upload(login("canbo"), data, name)
    assert resp.status_code == 422
    names = "“" + t(app, "Thôn") + "”, “" + t(app, "Head of household") + "”"
    page = resp.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")
    assert t(app, message, names=names) in page
    assert live(db) == before
    assert db.exec(select(func.count()).select_from(ImportLog)).one() == 0


def test_size_limit_is_named(app, monkeypatch):
    monkeypatch.setattr(reader, "MAX_BYTES", 1024 * 1024)
    with app.test_request_context(), pytest.raises(reader.TableError) as err:
        list(reader.read_rows("a.csv", b"a" * (1024 * 1024 + 1)))
    assert "1 MB" in str(err.value)


def test_formula_like_text_is_stored_as_text(app, demo, login, db):
    data = 'Chủ hộ,Thôn,Số nhân khẩu,Từ 18 tuổi,Ghi chú\nBùi Văn Sáu,Bình Đông,2,1,"=HYPERLINK(""http://x"")"\n'
    c = login("canbo")
    confirm(c, upload(c, data.encode(), "f.csv").get_data(as_text=True))
    hh = db.exec(select(Household).where(Household.head_name == "Bùi Văn Sáu")).one()
    assert hh.note == '=HYPERLINK("http://x")'


def test_template_round_trips(app, demo, login, db):
    c = login("canbo")
    resp = c.get("/households/import/template.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data)).active
    assert ws.cell(1, 2).value == t(app, "Head of household")
    html = upload(c, resp.data, "mau.xlsx").get_data(as_text=True)
    assert counts(html)[labels(app)["new"]] == 1


def test_cli_dry_run_then_import(app, demo, runner, db, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(messy_xlsx())
    before = live(db)
    result = runner.invoke(args=["households", "import", str(path), "--commune", "21220", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "new: 3" in result.output and "rejected: 3" in result.output and "row 10" in result.output
    db.rollback()
    assert live(db) == before
    result = runner.invoke(args=["households", "import", str(path), "--commune", "21220"])
    assert result.exit_code == 0, result.output
    db.rollback()
    assert live(db) == before + 3
    result = runner.invoke(args=["households", "import", str(path), "--commune", "99999"])
    assert result.exit_code != 0


def test_member_teacher_and_viewer_cannot_import(demo, login):
    for username in ("tocns", "giaovien", "lanhdao"):
        c = login(username)
        assert c.get("/households/import").status_code == 403
        assert c.get("/imports/").status_code == 403


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=3000),
                      st.integers(min_value=1, max_value=6000).map(lambda n: messy_xlsx()[:n]),
                      st.text(max_size=500).map(str.encode)),
       name=st.sampled_from(["a.xlsx", "a.csv", "a.txt"]))
def test_no_file_raises_anything_but_a_table_error(app, demo, db, data, name):
    commune = db.exec(select(Area).where(Area.level == COMMUNE)).first()
    with app.test_request_context():
        try:
            engine.preview(HOUSEHOLDS, session=db, area=commune, filename=name, data=data)
        except reader.TableError:
            pass


def test_an_import_of_another_commune_cannot_be_undone(app, demo, login, db):
    from fieldapp.areas.services import create_area

    province = db.get(Area, demo.parent_id)
    other = create_area(session=db, name="Xã Khác", level=COMMUNE, parent=province)
    db.commit()
    user = db.exec(select(User).where(User.username == "canbo")).one()
    entry = ImportLog(user_id=user.id, area_id=other.id, kind="households", file_name="x.xlsx", created=1)
    db.add(entry)
    db.commit()
    for username in ("canbo", "admin"):
        assert login(username).post(f"/imports/{entry.id}/undo", {"reason": "x"}).status_code == 404
    assert login("tocns").post(f"/imports/{entry.id}/undo", {"reason": "x"}).status_code == 403
    db.refresh(entry)
    assert entry.undone_at is None
    assert "x.xlsx" not in login("canbo").get("/imports/").get_data(as_text=True)
