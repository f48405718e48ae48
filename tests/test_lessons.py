"""Schools and lessons: a teacher logs lessons and sees school totals; officers read; scope."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from babel.numbers import format_decimal
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.auth.services import create_user
from fieldapp.i18n import local_today
from fieldapp.lessons import services
from fieldapp.lessons.models import Lesson, LessonIn, School, SchoolIn
from fieldapp.records.models import RecordHistory
from fieldapp.records.validation import RecordInvalid, validate

TODAY = local_today()
FORM = {"held_on": TODAY.isoformat(), "kind": "lesson", "grade": "8", "class_name": "8A",
        "topic": "Cài đặt VNeID mức 2", "pupils_present": "30", "pupils_guided_relative": "10"}


def fresh(db, stmt):
    """Rows as the app left them; ends the read so the next request can write."""
    db.expire_all()
    try:
        return db.exec(stmt).all()
    finally:
        db.commit()


def add_lesson(app, db, user, **changes) -> Lesson:
    """Arrange a lesson through the service, as the teacher would."""
    with app.app_context():
        data = validate(LessonIn, FORM | changes)
        return services.record_lesson(session=db, user=user, data=data)


@pytest.fixture
def world(app, db, demo):
    """Demo commune plus a colleague, a second school and a teacher in another commune."""
    with app.app_context():
        users = {u.username: u for u in db.exec(select(User)).all()}
        province = db.get(Area, demo.parent_id)
        far_commune = create_area(session=db, name="Xã Kiểm Thử", level=COMMUNE, parent=province)
        db.commit()
        school = db.get(School, users["giaovien"].school_id)
        school2 = services.create_school(session=db, user=users["admin"], commune=demo,
                                         data=SchoolIn(name="Trường THCS Thử Nghiệm"))
        far_school = services.create_school(session=db, user=users["admin"], commune=far_commune,
                                            data=SchoolIn(name="Trường THCS Xa"))

        def teacher(username, area, sch):
            return create_user(session=db, password="demo1234", data={
                "username": username, "full_name": "Giáo viên " + username, "role": "teacher",
                "area_id": area.id, "school_id": sch.id, "organization_id": None})

        colleague = teacher("gvcung", demo, school)
        other = teacher("gvkhac", demo, school2)
        far = teacher("gvxa", far_commune, far_school)
        users |= {"gvcung": colleague, "gvkhac": other, "gvxa": far}
    own = add_lesson(app, db, users["giaovien"], topic="Bài của tôi")
    mate = add_lesson(app, db, colleague, topic="Bài của đồng nghiệp", pupils_present="25",
                      pupils_guided_relative="5")
    other_lesson = add_lesson(app, db, other, topic="Bài trường khác")
    far_lesson = add_lesson(app, db, far, topic="Bài xã khác")
    return SimpleNamespace(commune=demo, far_commune=far_commune, school=school, school2=school2,
                           far_school=far_school, users=users, own=own, mate=mate,
                           other=other_lesson, far=far_lesson)


def test_teacher_logs_a_lesson(world, login, db):
    c = login("giaovien")
    page = c.get("/lessons/new").get_data(as_text=True)
    assert 'class="radios' in page and 'name="grade"' in page and 'type="radio"' in page
    assert world.school.name in page
    resp = c.post("/lessons/new", FORM | {"topic": "Hướng dẫn nộp hồ sơ khai sinh trực tuyến"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/lessons/"
    lesson = fresh(db, select(Lesson).where(Lesson.topic == "Hướng dẫn nộp hồ sơ khai sinh trực tuyến"))[0]
    assert (lesson.school_id, lesson.area_id) == (world.school.id, world.commune.id)
    assert lesson.created_by == world.users["giaovien"].id
    assert (lesson.grade, lesson.class_name, lesson.pupils_present) == (8, "8A", 30)
    assert "Hướng dẫn nộp hồ sơ khai sinh trực tuyến" in c.get("/lessons/").get_data(as_text=True)


def test_school_and_owner_come_from_the_account_not_the_form(world, login, db):
    c = login("giaovien")
    forged = FORM | {"topic": "Giả mạo", "school_id": str(world.school2.id),
                     "area_id": str(world.far_commune.id), "created_by": str(world.users["admin"].id)}
    assert c.post("/lessons/new", forged).status_code == 302
    lesson = fresh(db, select(Lesson).where(Lesson.topic == "Giả mạo"))[0]
    assert (lesson.school_id, lesson.area_id) == (world.school.id, world.commune.id)
    assert lesson.created_by == world.users["giaovien"].id


def test_save_and_log_another_returns_to_an_empty_form(world, login):
    resp = login("giaovien").post("/lessons/new", FORM | {"another": "1"})
    assert resp.headers["Location"] == "/lessons/new"


@pytest.mark.parametrize("changes, field", [
    ({"grade": "5"}, "grade"),
    ({"grade": "10"}, "grade"),
    ({"grade": "tám"}, "grade"),
    ({"grade": ""}, "grade"),
    ({"class_name": "7A"}, "grade"),
    ({"class_name": ""}, "class_name"),
    ({"class_name": "8A chuyên tin"}, "class_name"),
    ({"topic": "   "}, "topic"),
    ({"topic": "x" * 201}, "topic"),
    ({"kind": "sport"}, "kind"),
    ({"held_on": (TODAY + timedelta(days=1)).isoformat()}, "held_on"),
    ({"held_on": "2024-12-31"}, "held_on"),
    ({"held_on": "31/02/2025"}, "held_on"),
    ({"held_on": ""}, "held_on"),
    ({"pupils_present": "0"}, "pupils_present"),
    ({"pupils_present": "61"}, "pupils_present"),
    ({"pupils_present": ""}, "pupils_present"),
    ({"pupils_present": "ba mươi"}, "pupils_present"),
    ({"pupils_guided_relative": "31"}, "pupils_guided_relative"),
    ({"pupils_guided_relative": "-1"}, "pupils_guided_relative"),
])
def test_bad_lessons_are_refused_with_the_field_marked(world, login, db, changes, field):
    before = len(fresh(db, select(Lesson)))
    resp = login("giaovien").post("/lessons/new", FORM | changes)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert f'id="{field}-err"' in html
    assert len(fresh(db, select(Lesson))) == before


@pytest.mark.parametrize("raw, expected", [
    ({"class_name": " 8 a "}, {"class_name": "8A"}),
    ({"pupils_guided_relative": ""}, {"pupils_guided_relative": 0}),
    ({"pupils_guided_relative": None}, {"pupils_guided_relative": 0}),
    ({"grade": 9, "class_name": "9C", "pupils_present": 41}, {"grade": 9, "pupils_present": 41}),
    ({"kind": "extracurricular", "class_name": "Đội tuyển"}, {"class_name": "ĐỘI TUYỂN"}),
])
def test_the_one_schema_accepts_form_strings_and_json(app, raw, expected):
    with app.test_request_context():
        data = validate(LessonIn, FORM | raw)
    assert {k: getattr(data, k) for k in expected} == expected


def test_the_one_schema_reports_missing_fields(app):
    with app.test_request_context(), pytest.raises(RecordInvalid) as err:
        validate(LessonIn, {"kind": "lesson"})
    assert {"class_name", "grade", "held_on", "topic", "pupils_present"} <= set(err.value.errors)


def test_editing_keeps_history(world, login, db):
    c = login("giaovien")
    path = f"/lessons/{world.own.id}"
    assert "Bài của tôi" in c.get(path).get_data(as_text=True)
    assert c.post(path, FORM | {"topic": "Bài của tôi", "pupils_present": "35"}).status_code == 302
    lesson = fresh(db, select(Lesson).where(Lesson.id == world.own.id))[0]
    assert (lesson.pupils_present, lesson.version) == (35, 2)
    changes = fresh(db, select(RecordHistory).where(
        RecordHistory.record_type == "lesson", RecordHistory.record_id == world.own.id
    ).order_by(RecordHistory.id))
    assert [h.action for h in changes] == ["create", "update"]
    assert changes[1].before == {"pupils_present": 30} and changes[1].after == {"pupils_present": 35}
    html = c.get(path).get_data(as_text=True)
    assert "pupils_present" in html and "(2)" in html


def test_bad_edit_changes_nothing(world, login, db):
    resp = login("giaovien").post(f"/lessons/{world.own.id}", FORM | {"pupils_present": "99"})
    assert resp.status_code == 422 and 'id="pupils_present-err"' in resp.get_data(as_text=True)
    assert fresh(db, select(Lesson.version).where(Lesson.id == world.own.id)) == [1]


def test_soft_delete_needs_a_reason_and_keeps_the_row(world, login, db):
    c = login("giaovien")
    path = f"/lessons/{world.own.id}"
    assert c.post(path + "/delete", {"reason": ""}).status_code == 302
    assert fresh(db, select(Lesson.deleted_at).where(Lesson.id == world.own.id)) == [None]
    assert c.post(path + "/delete", {"reason": "Ghi nhầm ngày"}).status_code == 302
    lesson = fresh(db, select(Lesson).where(Lesson.id == world.own.id))[0]
    assert lesson.deleted_at is not None and lesson.delete_reason == "Ghi nhầm ngày"
    last = fresh(db, select(RecordHistory).where(
        RecordHistory.record_type == "lesson", RecordHistory.record_id == lesson.id
    ).order_by(RecordHistory.id.desc()))[0]
    assert (last.action, last.reason) == ("delete", "Ghi nhầm ngày")
    assert c.get(path).status_code == 404
    assert "Bài của tôi" not in c.get("/lessons/").get_data(as_text=True)


# username -> status for: own lesson of giaovien, colleague's lesson, lesson in another commune
MATRIX = [
    ("admin", 200, 200, 404),
    ("canbo", 200, 200, 404),
    ("giaovien", 200, 404, 404),
    ("tocns", 403, 403, 403),
    ("phunu", 403, 403, 403),
    ("lanhdao", 403, 403, 403),
]


@pytest.mark.parametrize("username, own, mate, far", MATRIX)
def test_scope_matrix(world, login, username, own, mate, far):
    c = login(username)
    assert c.get("/lessons/").status_code == (200 if own == 200 else 403)
    assert c.get(f"/lessons/{world.own.id}").status_code == own
    assert c.get(f"/lessons/{world.mate.id}").status_code == mate
    assert c.get(f"/lessons/{world.far.id}").status_code == far


@pytest.mark.parametrize("username", ["admin", "canbo", "tocns", "phunu", "lanhdao"])
def test_only_teachers_log_edit_or_delete_lessons(world, login, db, username):
    c = login(username)
    assert c.get("/lessons/new").status_code == 403
    assert c.post("/lessons/new", FORM).status_code == 403
    assert c.post(f"/lessons/{world.own.id}", FORM | {"pupils_present": "40"}).status_code == 403
    assert c.post(f"/lessons/{world.own.id}/delete", {"reason": "x"}).status_code == 403
    lesson = fresh(db, select(Lesson).where(Lesson.id == world.own.id))[0]
    assert (lesson.version, lesson.deleted_at) == (1, None)


def test_teacher_cannot_touch_a_colleagues_lesson(world, login, db):
    c = login("giaovien")
    assert c.post(f"/lessons/{world.mate.id}", FORM).status_code == 404
    assert c.post(f"/lessons/{world.mate.id}/delete", {"reason": "x"}).status_code == 404
    assert fresh(db, select(Lesson.version).where(Lesson.id == world.mate.id)) == [1]


def test_lists_show_what_each_role_may_see(world, login):
    mine = login("giaovien").get("/lessons/").get_data(as_text=True)
    assert "Bài của tôi" in mine
    assert "Bài của đồng nghiệp" not in mine and "Bài trường khác" not in mine
    officer = login("canbo").get("/lessons/").get_data(as_text=True)
    for topic in ("Bài của tôi", "Bài của đồng nghiệp", "Bài trường khác"):
        assert topic in officer
    assert "Bài xã khác" not in officer
    one_school = login("canbo").get(f"/lessons/?school={world.school2.id}").get_data(as_text=True)
    assert "Bài trường khác" in one_school and "Bài của tôi" not in one_school


def test_officer_read_only_view_shows_the_lesson_and_history(world, login):
    html = login("canbo").get(f"/lessons/{world.mate.id}").get_data(as_text=True)
    assert "Bài của đồng nghiệp" in html and world.school.name in html
    assert 'name="topic"' not in html


def num(n: int) -> str:
    return format_decimal(n, locale="vi")


def test_teacher_sees_school_totals_including_colleagues(world, app, login, db):
    with app.app_context():
        add_lesson(app, db, world.users["giaovien"], topic="Sẽ xóa", pupils_present="50")
        gone = fresh(db, select(Lesson).where(Lesson.topic == "Sẽ xóa"))[0]
        services.delete_lesson(session=db, user=world.users["giaovien"], lesson=gone, reason="thử")
        totals = services.year_totals(db, world.commune, TODAY.year, school_id=world.school.id)
        db.commit()
    assert totals.months[TODAY.month - 1].sessions >= 2  # own and colleague's, not the deleted one
    html = login("giaovien").get("/lessons/").get_data(as_text=True)
    assert f'<td class="num-sessions">{num(totals.total.sessions)}</td>' in html
    assert f'<td class="num-pupils">{num(totals.total.pupils)}</td>' in html
    assert world.school.name in html


def test_totals_count_exactly_the_live_lessons_of_the_school(world, app, db):
    with app.app_context():
        before = services.year_totals(db, world.commune, TODAY.year, school_id=world.school.id).total
        add_lesson(app, db, world.users["giaovien"], pupils_present="40", pupils_guided_relative="12")
        add_lesson(app, db, world.users["gvcung"], pupils_present="20", pupils_guided_relative="3")
        add_lesson(app, db, world.users["gvkhac"], pupils_present="40")  # another school
        after = services.year_totals(db, world.commune, TODAY.year, school_id=world.school.id).total
        far = services.year_totals(db, world.commune, TODAY.year, school_id=world.far_school.id).total
        db.commit()
    assert (after.sessions - before.sessions, after.pupils - before.pupils,
            after.guided - before.guided) == (2, 60, 15)
    assert far.sessions == 0  # another commune's school is outside the commune's scope


def test_teacher_home_shows_this_month_and_a_big_button(world, login):
    html = login("giaovien").get("/").get_data(as_text=True)
    assert 'class="button primary block" href="/lessons/new"' in html
    assert "Ghi tiết học" in html
    assert 'id="month-lessons"' in html and 'id="school-year"' in html


def test_teacher_of_a_school_out_of_use_cannot_log(world, app, login, db):
    with app.app_context():
        services.update_school(session=db, user=world.users["admin"], school=world.school,
                               data=SchoolIn(name=world.school.name, active=False))
    before = len(fresh(db, select(Lesson)))
    resp = login("giaovien").post("/lessons/new", FORM)
    assert resp.status_code == 422 and "flash-error" in resp.get_data(as_text=True)
    assert len(fresh(db, select(Lesson))) == before


# ---- schools (admin)


def test_admin_adds_and_edits_schools(world, login, db):
    c = login("admin")
    assert world.school.name in c.get("/schools/").get_data(as_text=True)
    assert c.post("/schools/new", {"name": "Trường  THCS  Sơn Tịnh", "active": "y"}).status_code == 302
    school = fresh(db, select(School).where(School.name == "Trường THCS Sơn Tịnh"))[0]
    assert school.area_id == world.commune.id and school.active
    assert c.post(f"/schools/{school.id}", {"name": "Trường THCS Sơn Tịnh"}).status_code == 302
    assert fresh(db, select(School.active).where(School.id == school.id)) == [False]


@pytest.mark.parametrize("name", ["", "trường thcs tịnh sơn", "Truong THCS Tinh Son", "x" * 151])
def test_school_names_are_required_and_unique_in_the_commune(world, login, db, name):
    before = len(fresh(db, select(School)))
    resp = login("admin").post("/schools/new", {"name": name, "active": "y"})
    assert resp.status_code == 422 and 'id="name-err"' in resp.get_data(as_text=True)
    assert len(fresh(db, select(School))) == before


@pytest.mark.parametrize("username", ["canbo", "tocns", "giaovien", "phunu", "lanhdao"])
def test_only_admins_manage_schools(world, login, username):
    c = login(username)
    assert c.get("/schools/").status_code == 403
    assert c.post("/schools/new", {"name": "Trường mới"}).status_code == 403
    assert c.get(f"/schools/{world.school.id}").status_code == 403


def test_admin_cannot_open_a_school_of_another_commune(world, login):
    assert login("admin").get(f"/schools/{world.far_school.id}").status_code == 404


def test_lists_page_and_filter_by_kind(world, app, login, db):
    for i in range(27):
        add_lesson(app, db, world.users["giaovien"], topic=f"Buổi số {i:02d}",
                   kind="extracurricular" if i == 0 else "lesson")
    c = login("giaovien")
    first = c.get("/lessons/").get_data(as_text=True)
    assert 'rel="next"' in first and "Buổi số 26" in first
    second = c.get("/lessons/?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and "Buổi số 26" not in second
    extra = c.get("/lessons/?kind=extracurricular").get_data(as_text=True)
    assert "Buổi số 00" in extra and "Buổi số 01" not in extra
