"""Issue 7 item 4: every route x every role x records of another thôn and another commune.

A second commune (with its own thôn, school, organization, six accounts and one record of
every type, loaded by the demo loaders) is a separate tenant: no role of the demo commune may
get a 2xx on any of its records. Inside the demo commune a team member (scoped to one thôn)
may not reach another thôn's records, and roles without personal-data rights never see
households, visits or roster people. Client-sent area and owner fields are ignored.
"""

import functools

from sqlalchemy import func
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import DeviceToken, User
from fieldapp.auth.services import create_user
from fieldapp.auth.tokens import issue_token
from fieldapp.closing.models import PeriodClose
from fieldapp.communication.models import CommunicationActivity, CommunicationUnit
from fieldapp.demo import DEMO_USERS, DemoContext, load_demo
from fieldapp.exports.registry import EXPORTERS
from fieldapp.features import installed
from fieldapp.feedback.models import Feedback
from fieldapp.figures.models import MonthlyFigure
from fieldapp.households.models import Household
from fieldapp.improvements.models import ImprovementAction
from fieldapp.lessons.models import Lesson, School
from fieldapp.outreach.models import Branch, Organization, OutreachActivity
from fieldapp.population.models import OfficialPopulation
from fieldapp.records.models import RecordHistory
from fieldapp.rosters.models import RosterPerson
from fieldapp.surveys.models import Survey
from fieldapp.trainings.models import Attendance, TrainingSession
from fieldapp.visits.models import Visit

MARK = "Zqxthon"  # in every thôn name of the other commune: must never show in the demo commune
ROLES = [u[0] for u in DEMO_USERS]  # admin, canbo, tocns, giaovien, phunu, lanhdao
SKIP_PREFIXES = ("/static", "/sw.js", "/api/", "/cong-khai", "/login", "/lang", "/offline")
PARAM_MODELS = {
    "household_id": Household, "visit_id": Visit, "survey_id": Survey, "feedback_id": Feedback,
    "person_id": RosterPerson, "training_id": TrainingSession, "unit_id": CommunicationUnit,
    "figure_id": MonthlyFigure, "lesson_id": Lesson, "school_id": School, "org_id": Organization,
    "branch_id": Branch, "user_id": User, "area_id": Area, "token_id": DeviceToken,
    "action_id": ImprovementAction, "close_id": PeriodClose, "official_id": OfficialPopulation,
}
PERSONAL = ("/households", "/visits", "/rosters")
NO_PERSONAL_DATA = ("giaovien", "phunu", "lanhdao")
PERSONAL_EXPORTERS = ("admin", "canbo")  # officers and admins; a team member gets de-identified lists


def _model(rule, arg):
    if arg == "activity_id":
        return OutreachActivity if rule.rule.startswith("/outreach") else CommunicationActivity
    return PARAM_MODELS[arg]


def _routes(app):
    """(rule, method) for every rule the matrix covers."""
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith(SKIP_PREFIXES) or rule.rule == "/":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            out.append((rule, method))
    return out


def _two_communes(app, db, monkeypatch):
    """Demo commune with records, and a second commune with its own records of every type.

    The demo loaders run with fewer households and months: every record type, in less time.
    """
    from fieldapp.figures import demo as figures
    from fieldapp.lessons import demo as lessons
    from fieldapp.outreach import demo as outreach
    from fieldapp.surveys import demo as surveys
    from fieldapp.visits import demo as visits

    monkeypatch.setattr(visits, "household_rows", functools.partial(visits.household_rows, total=20))
    monkeypatch.setattr(surveys, "MONTHS", [(2025, 1), (2025, 2), (2025, 3)])
    monkeypatch.setattr(lessons, "months_until", lambda today: [(2025, 9), (2025, 10)])
    monkeypatch.setattr(outreach, "months_until", lambda today: [(2025, 9), (2025, 10)])
    monkeypatch.setattr(figures, "_months", lambda until: ["2025-01", "2025-02", "2025-03"])
    with app.app_context():
        home = load_demo(db, records=True)
        other = db.exec(select(Area).where(Area.level == COMMUNE, Area.id != home.id)
                        .order_by(Area.id)).first()
        thon = [create_area(session=db, name=f"{MARK} {i}", level=THON, parent=other) for i in range(10)]
        school = School(area_id=other.id, name=f"Trường {MARK}")
        org = Organization(area_id=other.id, name=f"Hội {MARK}", kind="phunu")
        db.add_all([school, org])
        db.commit()
        users = {}
        for username, full_name, role, level in DEMO_USERS:
            users[username] = create_user(session=db, data={
                "username": f"{username}x", "full_name": full_name, "role": role,
                "area_id": thon[0].id if level == THON else other.id,
                "school_id": school.id if role == "teacher" else None,
                "organization_id": org.id if role == "leader" else None,
            }, password="demo1234")
        # The extra demo accounts (teachers, youth leader) need their own usernames here.
        for module in (lessons, outreach):
            monkeypatch.setattr(module, "create_user", lambda *, session, password, data: create_user(
                session=session, password=password, data=data | {"username": data["username"] + "x"}))
        ctx = DemoContext(db, other, thon, users, records=True)
        for feature in installed():
            if feature.demo is not None:
                feature.demo(ctx)
        issue_token(session=db, user=users["tocns"], label="other commune phone")
        canbo = db.exec(select(User).where(User.username == "canbo")).one()
        issue_token(session=db, user=canbo, label="officer phone")
        db.commit()
        return home, other


def _in(db, model, root, exclude=None):
    """One id of model inside root's subtree (outside exclude's), or None."""
    if model is DeviceToken:
        stmt = select(DeviceToken.id).join(User, User.id == DeviceToken.user_id)
        area_col = User.area_id
    elif model is Area:
        stmt = select(Area.id).where(Area.level == THON)
        area_col = Area.id
    else:
        stmt = select(model.id)
        area_col = model.area_id
    sub = select(Area.id).where(Area.path.like(f"{root.path}%"))
    stmt = stmt.where(area_col.in_(sub))
    if model is User:
        stmt = stmt.where(~User.username.in_(ROLES))  # someone else's account
    if model is DeviceToken:
        stmt = stmt.where(User.username != "tocns")
    if exclude is not None:
        stmt = stmt.where(~area_col.in_(select(Area.id).where(Area.path.like(f"{exclude.path}%"))))
    return db.exec(stmt.order_by(model.id)).first()


def _history_count(db):
    db.rollback()
    return db.exec(select(func.count()).select_from(RecordHistory)).one()


def _path(rule, ids):
    path = rule.rule
    for arg in rule.arguments:
        path = path.replace(f"<int:{arg}>", str(ids[arg]))
    return path


def _call(client, method, path):
    if method == "GET":
        return client.get(path)
    return client.post(path, {"reason": "x", "answer": "x", "name": "x", "text": "x"})


def test_other_commune_and_other_thon_records_are_out_of_reach(app, db, login, monkeypatch):
    home, other = _two_communes(app, db, monkeypatch)
    member_thon = db.exec(select(Area).join(User, User.area_id == Area.id)
                          .where(User.username == "tocns")).one()
    ids = set(PARAM_MODELS) | {"activity_id"}
    id_routes = [(r, m) for r, m in _routes(app) if r.arguments and r.arguments <= ids]
    assert len(id_routes) >= 50
    targets = {"other commune": {}, "other thôn": {}}
    for rule, _ in id_routes:
        for arg in rule.arguments:
            model = _model(rule, arg)
            targets["other commune"][(rule.rule, arg)] = _in(db, model, other)
            targets["other thôn"][(rule.rule, arg)] = _in(db, model, home, exclude=member_thon)
    missing = [k for t in targets.values() for k, v in t.items() if v is None]
    assert not missing, missing
    history_before = _history_count(db)
    cases, leaks = 0, []
    for username in ROLES:
        client = login(username)
        for rule, method in id_routes:
            for where, ids in targets.items():
                path = _path(rule, {a: ids[(rule.rule, a)] for a in rule.arguments})
                mutating_allowed = where == "other thôn" and username != "tocns" and method == "POST"
                if mutating_allowed:
                    continue  # commune-wide roles may change their own commune's records
                resp = _call(client, method, path)
                cases += 1
                status, loc = resp.status_code, resp.headers.get("Location", "")
                assert status < 500, (username, method, path, status)
                denied = status in (403, 404) or (status == 302 and "/login" in loc)
                must_deny = where == "other commune" or username == "tocns" or (
                    username in NO_PERSONAL_DATA and rule.rule.startswith(PERSONAL))
                if must_deny and not denied:
                    leaks.append((username, method, path, status, loc))
    print(f"access matrix: {cases} (route, role, record) cases checked")
    assert leaks == [], leaks
    assert _history_count(db) == history_before
    db.rollback()
    assert db.exec(select(func.count()).select_from(DeviceToken)
                   .where(DeviceToken.revoked_at.is_not(None))).one() == 0
    assert cases >= 600


def test_lists_dashboards_and_exports_never_show_the_other_commune(app, db, login, monkeypatch):
    _two_communes(app, db, monkeypatch)
    pages = [r.rule for r, m in _routes(app) if m == "GET" and not r.arguments]
    pages += [f"/exports/{name}.{fmt}" for name in EXPORTERS for fmt in ("csv", "xlsx")]
    checked = 0
    for username in ROLES:
        client = login(username)
        for path in pages:
            resp = client.get(path)
            body = resp.get_data()  # read streamed exports to the end
            resp.close()
            assert resp.status_code < 500, (username, path)
            if resp.status_code == 200 and not path.endswith(".xlsx"):
                assert MARK not in body.decode(), (username, path)
            checked += 1
        # Exports with personal data: POSTed with a purpose, by officers and admins only.
        for name, exporter in EXPORTERS.items():
            if not any(c.personal for c in exporter.columns):
                continue
            resp = client.post(f"/exports/{name}.csv", {"purpose": "report"})
            body = resp.get_data()
            if username in PERSONAL_EXPORTERS:
                assert resp.status_code == 200 and MARK not in body.decode(), (username, name)
            else:
                assert resp.status_code == 403, (username, name, resp.status_code)
            checked += 1
    print(f"list pages and exports: {checked} (page, role) cases checked")


def _ids(db):
    db.rollback()
    other_thon = db.exec(select(Area).where(Area.name == f"{MARK} 1")).one()
    users = {u.username: u for u in db.exec(select(User)).all()}
    return other_thon, users


def test_client_sent_area_and_owner_fields_are_ignored_or_refused(app, db, login, monkeypatch):
    _two_communes(app, db, monkeypatch)
    foreign, users = _ids(db)
    school2 = db.exec(select(School).where(School.name == f"Trường {MARK}")).one()
    org2 = db.exec(select(Organization).where(Organization.name == f"Hội {MARK}")).one()
    branch2 = db.exec(select(Branch).where(Branch.organization_id == org2.id)).first()
    intruder = users["adminx"].id
    sneaky = {"area_id": foreign.id, "thon_id": foreign.id, "created_by": intruder,
              "updated_by": intruder, "school_id": school2.id, "organization_id": org2.id}
    cases = [
        ("tocns", "/households/new", Household, {
            "head_name": "Hộ Kiểm Thử Phạm Vi", "address": "Số 1", "members": "3", "adults": "2",
            "adults_dvctt": "0", "adults_vneid2": "0", "consent_given": "y",
            "registered_on": "2026-01-05"}),
        ("tocns", "/feedback/new", Feedback, {"received_on": "2026-01-05", "text": "Góp ý kiểm thử phạm vi"}),
        ("canbo", "/trainings/new", TrainingSession, {
            "title": "Tập huấn phạm vi", "kind": "training", "audience": "people",
            "held_on": "2026-01-05", "place": "Nhà văn hóa", "organizer": "UBND", "walk_in_count": "3"}),
        ("giaovien", "/lessons/new", Lesson, {
            "held_on": "2026-01-05", "kind": "lesson", "grade": "8", "class_name": "8A",
            "topic": "Dịch vụ công", "pupils_present": "30", "pupils_guided_relative": "5"}),
        ("phunu", "/outreach/new", OutreachActivity, {
            "branch_id": str(branch2.id), "held_on": "2026-01-05", "form": "branch_meeting",
            "members_reached": "10", "non_members_reached": "0", "members_helped": "2"}),
    ]
    for username, path, model, data in cases:
        before = {r.id for r in db.exec(select(model)).all()}
        resp = login(username).post(path, data | sneaky)
        assert resp.status_code < 500, (path, resp.status_code)
        db.rollback()
        new = [r for r in db.exec(select(model)).all() if r.id not in before]
        me = users[username]
        for row in new:  # a saved record is the signed-in user's, inside their own area
            area = db.get(Area, row.area_id)
            assert db.get(Area, me.area_id).contains(area), (path, area.name)
            assert MARK not in area.name
            assert row.created_by == me.id and row.updated_by == me.id
            if model is Lesson:
                assert row.school_id == me.school_id
            if model is OutreachActivity:
                assert row.organization_id == me.organization_id
    db.rollback()
    assert db.exec(select(func.count()).select_from(Attendance)).one() > 0
