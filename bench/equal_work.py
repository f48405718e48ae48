"""The equal-work reference for sync_bench: the rows the sync path writes, by raw executemany.

For a batch of new households with a visit each (what sync_bench sends), the sync path writes
the household and visit rows, a `create` history row for each, each household's first row of
dated figures (household_figures, with its history), the change a visit carries (adults using
online services after it: a dated-figures row on the visit's day, the registration row's end
moved to that day, the household's UPDATE, each with a version bump and history), and the
aggregate upserts (every household and visit metric at thôn, commune
and province; the distinct "households visited this year" members). This module writes exactly
those rows in one transaction, with one executemany per statement, no token, no validation,
no ORM: what the same work costs the database and the driver alone. Bench only.
"""

import json
import uuid as uuidlib
from collections import Counter
from datetime import date, datetime

from sqlalchemy import bindparam, insert, select, text, update

from fieldapp.aggregates.metrics import CURRENT, work_metric
from fieldapp.catalog import SERVICE_BIT, SERVICE_CODES
from fieldapp.households.models import Household, HouseholdFigures
from fieldapp.i18n import LOCAL_TZ
from fieldapp.records.models import RecordHistory
from fieldapp.visits.models import Visit

FIGURE_METRICS = {"hh_households": lambda f: 1, "hh_members": lambda f: f["members"],
                  "hh_adults": lambda f: f["adults"], "hh_adults_dvctt": lambda f: f["adults_dvctt"],
                  "hh_adults_vneid2": lambda f: f["adults_vneid2"] or 0}
VISIT_METRICS = {"visits": lambda v: 1, "visits_helped": lambda v: int(v["result"] == "helped"),
                 "adults_guided": lambda v: v["adults_guided"] or 0,
                 "dossiers_online": lambda v: v["dossiers_submitted"] or 0,
                 **{f"svc_{code}": (lambda bit: lambda v: int(bool(v["services_mask"] & bit)))(
                     SERVICE_BIT[code]) for code in SERVICE_CODES}}
# Each person's work (visits/metrics.py WORK), under aggregates.metrics.work_metric's names.
WORK_METRICS = {"visits": VISIT_METRICS["visits"], "helped": VISIT_METRICS["visits_helped"],
                "adults": VISIT_METRICS["adults_guided"], "dossiers": VISIT_METRICS["dossiers_online"]}
# The columns a dated-figures row's create history shows (households.figures writes them).
FIGURE_COLUMNS = ("area_id", "household_id", "valid_from", "valid_to", "members", "adults", "adults_dvctt",
                  "adults_vneid2", "sets", "cause", "visit_id")
UPSERT_SUM = text("INSERT INTO aggregate (area_id, metric, period, value) VALUES (:a, :m, :p, :v) "
                  "ON CONFLICT (area_id, metric, period) "
                  "DO UPDATE SET value = aggregate.value + excluded.value")
UPSERT_MEMBER = text("INSERT INTO aggregate_member (area_id, metric, period, key, refs) "
                     "VALUES (:a, :m, :p, :k, 1) ON CONFLICT (area_id, metric, period, key) "
                     "DO UPDATE SET refs = aggregate_member.refs + 1")


def _jsonable(row: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}


def write(conn, households: list[dict], visits: list[dict], *, chain: list[int], user: int,
          now: datetime) -> None:
    """Store one batch's rows as the sync path would, inside the caller's transaction."""
    conn.execute(insert(Household), households)
    ids = dict(conn.execute(select(Household.uuid, Household.id).where(
        Household.uuid.in_([h["uuid"] for h in households]))).all())
    by_uuid = {h["uuid"]: h for h in households}
    for v in visits:
        v["household_id"] = ids[v["household_uuid"]]
    visit_rows = [{k: x for k, x in v.items() if k != "household_uuid"} for v in visits]
    conn.execute(insert(Visit), visit_rows)
    visit_ids = dict(conn.execute(select(Visit.uuid, Visit.id).where(
        Visit.uuid.in_([v["uuid"] for v in visits]))).all())
    history = [{"record_type": "household", "record_id": ids[h["uuid"]], "version": 1, "action": "create",
                "user_id": user, "at": now, "before": None, "after": _jsonable(h), "reason": None}
               for h in households]
    history += [{"record_type": "visit", "record_id": visit_ids[v["uuid"]], "version": 1, "action": "create",
                 "user_id": user, "at": now, "before": None, "after": _jsonable(r), "reason": None}
                for v, r in zip(visits, visit_rows, strict=True)]
    stamps = {"created_by": user, "updated_by": user, "created_at": now, "updated_at": now,
              "client_time": None, "deleted_at": None, "deleted_by": None, "delete_reason": None}
    firsts = {h["uuid"]: {**stamps, "uuid": str(uuidlib.uuid4()), "area_id": h["area_id"], "version": 1,
                          "household_id": ids[h["uuid"]], "valid_from": h["registered_on"], "valid_to": None,
                          "members": h["members"], "adults": h["adults"], "adults_dvctt": h["adults_dvctt"],
                          "adults_vneid2": h["adults_vneid2"] or 0, "sets": 31, "cause": "registered",
                          "visit_id": None} for h in households}
    dated, ends, changes = [], [], []
    for v in visits:  # what the visit reports about the household, from the visit's day
        h, first = by_uuid[v["household_uuid"]], firsts[v["household_uuid"]]
        if v["adults_dvctt_after"] is not None and v["adults_dvctt_after"] != h["adults_dvctt"]:
            day = max(v["visited_at"].astimezone(LOCAL_TZ).date(), h["registered_on"])
            dated.append(first | {"uuid": str(uuidlib.uuid4()), "valid_from": day, "sets": 8,
                                  "cause": "visit", "adults_dvctt": v["adults_dvctt_after"],
                                  "visit_id": visit_ids[v["uuid"]]})
            ends.append((first, day))
            changes.append({"hid": ids[h["uuid"]], "dvctt": v["adults_dvctt_after"], "ts": now})
            history.append({"record_type": "household", "record_id": ids[h["uuid"]], "version": 2,
                            "action": "update", "user_id": user, "at": now,
                            "before": {"adults_dvctt": h["adults_dvctt"], "version": 1},
                            "after": {"adults_dvctt": v["adults_dvctt_after"], "version": 2}, "reason": None})
            h["adults_dvctt"] = v["adults_dvctt_after"]
    conn.execute(insert(HouseholdFigures), [*firsts.values(), *dated])
    fids = dict(conn.execute(select(HouseholdFigures.uuid, HouseholdFigures.id).where(
        HouseholdFigures.uuid.in_([f["uuid"] for f in (*firsts.values(), *dated)]))).all())
    history += [{"record_type": "household_figures", "record_id": fids[f["uuid"]], "version": 1,
                 "action": "create", "user_id": user, "at": now, "before": None,
                 "after": _jsonable({k: x for k, x in f.items() if k in FIGURE_COLUMNS}), "reason": None}
                for f in (*firsts.values(), *dated)]
    if ends:
        conn.execute(update(HouseholdFigures).where(HouseholdFigures.id == bindparam("fid")).values(
            valid_to=bindparam("day"), version=2, updated_at=bindparam("ts")),
            [{"fid": fids[f["uuid"]], "day": day, "ts": now} for f, day in ends])
        history += [{"record_type": "household_figures", "record_id": fids[f["uuid"]], "version": 2,
                     "action": "update", "user_id": user, "at": now, "before": {"valid_to": None},
                     "after": {"valid_to": day.isoformat()}, "reason": None} for f, day in ends]
    if changes:
        conn.execute(update(Household).where(Household.id == bindparam("hid")).values(
            adults_dvctt=bindparam("dvctt"), version=2, updated_at=bindparam("ts")), changes)
    conn.execute(insert(RecordHistory), history)
    sums: Counter = Counter()
    members = set()
    for h in households:  # consent in the registration month
        sums[("hh_consent", h["registered_on"].strftime("%Y-%m"))] += int(bool(h["consent_given"]))
    for f in (*firsts.values(), *dated):  # each dated row from its day
        for metric, value in FIGURE_METRICS.items():
            sums[(metric, f["valid_from"].strftime("%Y-%m"))] += value(f)
    for f, day in ends:  # and taken back where the next row begins
        for metric, value in FIGURE_METRICS.items():
            sums[(metric, day.strftime("%Y-%m"))] -= value(f)
    for v in visits:
        local = v["visited_at"].astimezone(LOCAL_TZ)
        for metric, value in VISIT_METRICS.items():
            sums[(metric, local.strftime("%Y-%m"))] += value(v)
        for figure, value in WORK_METRICS.items():  # the recording person's work
            sums[(work_metric(figure, user), local.strftime("%Y-%m"))] += value(v)
        members.add(("hh_visited", str(local.year), str(v["household_id"])))
        members.add(("hh_seen", CURRENT, str(v["household_id"])))
    for metric, period, _key in members:
        sums[(metric, period)] += 1  # each household is new in this year's count and ever
    thon = chain[-1]
    conn.execute(UPSERT_MEMBER, [{"a": thon, "m": m, "p": p, "k": k} for m, p, k in sorted(members)])
    conn.execute(UPSERT_SUM, [{"a": a, "m": m, "p": p, "v": v} for a in chain
                              for (m, p), v in sorted(sums.items()) if v])


def chain_of(conn, area_id: int) -> list[int]:
    """The area and its ancestors, from the top (the levels every aggregate is written at)."""
    path = conn.execute(text("SELECT path FROM area WHERE id = :i"), {"i": area_id}).scalar_one()
    return [int(x) for x in path.strip("/").split("/")]


def dumps(records: list) -> bytes:
    """The answer both references give: every record created."""
    return json.dumps({"results": [{"uuid": r["uuid"], "status": "created"} for r in records]}).encode()

