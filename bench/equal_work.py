"""The equal-work reference for sync_bench: the rows the sync path writes, by raw executemany.

For a batch of new households with a visit each (what sync_bench sends), the sync path writes
the household and visit rows, a `create` history row for each, the household changes a visit
carries (adults using online services after it: an UPDATE with a version bump and an `update`
history row), and the aggregate upserts (every household and visit metric at thôn, commune
and province; the distinct "households visited this year" members). This module writes exactly
those rows in one transaction, with one executemany per statement, no token, no validation,
no ORM: what the same work costs the database and the driver alone. Bench only.
"""

import json
from collections import Counter
from datetime import date, datetime

from sqlalchemy import bindparam, insert, select, text, update

from fieldapp.catalog import SERVICE_BIT, SERVICE_CODES
from fieldapp.households.models import Household
from fieldapp.i18n import LOCAL_TZ
from fieldapp.records.models import RecordHistory
from fieldapp.visits.models import Visit

HH_METRICS = {"hh_households": lambda h: 1, "hh_members": lambda h: h["members"],
              "hh_adults": lambda h: h["adults"], "hh_adults_dvctt": lambda h: h["adults_dvctt"],
              "hh_adults_vneid2": lambda h: h["adults_vneid2"] or 0,
              "hh_consent": lambda h: int(bool(h["consent_given"]))}
VISIT_METRICS = {"visits": lambda v: 1, "visits_helped": lambda v: int(v["result"] == "helped"),
                 "adults_guided": lambda v: v["adults_guided"] or 0,
                 "dossiers_online": lambda v: v["dossiers_submitted"] or 0,
                 **{f"svc_{code}": (lambda bit: lambda v: int(bool(v["services_mask"] & bit)))(
                     SERVICE_BIT[code]) for code in SERVICE_CODES}}
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
    changes = []
    for v in visits:  # what the visit reports about the household moves onto it
        h = by_uuid[v["household_uuid"]]
        if v["adults_dvctt_after"] is not None and v["adults_dvctt_after"] != h["adults_dvctt"]:
            changes.append({"hid": ids[h["uuid"]], "dvctt": v["adults_dvctt_after"], "ts": now})
            history.append({"record_type": "household", "record_id": ids[h["uuid"]], "version": 2,
                            "action": "update", "user_id": user, "at": now,
                            "before": {"adults_dvctt": h["adults_dvctt"], "version": 1},
                            "after": {"adults_dvctt": v["adults_dvctt_after"], "version": 2}, "reason": None})
            h["adults_dvctt"] = v["adults_dvctt_after"]
    if changes:
        conn.execute(update(Household).where(Household.id == bindparam("hid")).values(
            adults_dvctt=bindparam("dvctt"), version=2, updated_at=bindparam("ts")), changes)
    conn.execute(insert(RecordHistory), history)
    sums: Counter = Counter()
    members = set()
    for h in households:  # the household's final figures, in its registration month
        for metric, value in HH_METRICS.items():
            sums[(metric, h["registered_on"].strftime("%Y-%m"))] += value(h)
    for v in visits:
        local = v["visited_at"].astimezone(LOCAL_TZ)
        for metric, value in VISIT_METRICS.items():
            sums[(metric, local.strftime("%Y-%m"))] += value(v)
        members.add((str(local.year), str(v["household_id"])))
    for period, _key in members:
        sums[("hh_visited", period)] += 1  # each household is new in this year's count
    thon = chain[-1]
    conn.execute(UPSERT_MEMBER, [{"a": thon, "m": "hh_visited", "p": p, "k": k} for p, k in sorted(members)])
    conn.execute(UPSERT_SUM, [{"a": a, "m": m, "p": p, "v": v} for a in chain
                              for (m, p), v in sorted(sums.items()) if v])


def chain_of(conn, area_id: int) -> list[int]:
    """The area and its ancestors, from the top (the levels every aggregate is written at)."""
    path = conn.execute(text("SELECT path FROM area WHERE id = :i"), {"i": area_id}).scalar_one()
    return [int(x) for x in path.strip("/").split("/")]


def dumps(records: list) -> bytes:
    """The answer both references give: every record created."""
    return json.dumps({"results": [{"uuid": r["uuid"], "status": "created"} for r in records]}).encode()

