"""Bare reference endpoint for sync_bench: the same batch stored by Core executemany, no validation.

    DATABASE_URL=… REF_AREA_ID=… REF_USER_ID=… gunicorn -c gunicorn.conf.py \
        -b 127.0.0.1:8101 --pythonpath bench reference_app:app

Bench only. POST any path with {"records": [...]} as sync_bench sends them (households, then
visits naming their household by household_uuid): one executemany into household, one SELECT
of the new ids, one executemany into visit, one commit. No token, no schema, no history, no
aggregates: the ceiling the real endpoint is compared with. POST /equal writes instead exactly
the rows the sync path writes for the batch (bench/equal_work.py: records, history, household
updates, aggregate upserts), still by raw executemany in one transaction without validation.
GET answers 200 (readiness).
"""

import json
import os
from datetime import UTC, date, datetime

import equal_work
from sqlalchemy import insert, select

import fieldapp.models  # noqa: F401  (mappers of every table)
from fieldapp.catalog import services_to_mask
from fieldapp.db import make_engine, writer_bind
from fieldapp.households.models import Household
from fieldapp.visits.models import Visit

ENGINE = writer_bind(make_engine(os.environ["DATABASE_URL"]))
AREA = int(os.environ.get("REF_AREA_ID", "0"))
USER = int(os.environ.get("REF_USER_ID", "0"))
CHAIN: list[int] = []  # the member's thôn and its ancestors, read once
HOUSEHOLD_FIELDS = ("head_name", "address", "phone", "members", "adults", "adults_dvctt", "adults_vneid2",
                    "consent_given")
VISIT_FIELDS = ("result", "adults_guided", "dossiers_submitted", "adults_dvctt_after", "adults_vneid2_after")


def _rows(records: list, now: datetime) -> tuple[list, list]:
    """Column dicts for the two tables (only type conversion, as a DBAPI needs it)."""
    meta = {"area_id": AREA, "created_by": USER, "updated_by": USER, "created_at": now, "updated_at": now,
            "version": 1}
    households, visits = [], []
    for rec in records:
        data = rec["data"]
        if rec["type"] == "household":
            households.append(meta | {k: data.get(k) for k in HOUSEHOLD_FIELDS} | {
                "uuid": rec["uuid"], "registered_on": date.fromisoformat(data["registered_on"]), "note": ""})
        else:
            visits.append(meta | {k: data.get(k) for k in VISIT_FIELDS} | {
                "uuid": rec["uuid"], "household_uuid": data["household_uuid"], "note": "",
                "visited_at": datetime.fromisoformat(data["visited_at"]).astimezone(UTC),
                "services_mask": services_to_mask(data.get("services", []))})
    return households, visits


def app(environ, start_response):
    """The WSGI callable."""
    if environ["REQUEST_METHOD"] != "POST":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    records = json.loads(body)["records"]
    now = datetime.now(UTC)
    households, visits = _rows(records, now)
    if environ.get("PATH_INFO") == "/equal":
        with ENGINE.begin() as conn:
            CHAIN[:] = CHAIN or equal_work.chain_of(conn, AREA)
            equal_work.write(conn, households, visits, chain=CHAIN, user=USER, now=now)
        return _answer(start_response, records)
    with ENGINE.begin() as conn:
        if households:
            conn.execute(insert(Household), households)
        if visits:
            wanted = sorted({v["household_uuid"] for v in visits})
            found = conn.execute(select(Household.uuid, Household.id).where(Household.uuid.in_(wanted)))
            ids = dict(found.all())
            for v in visits:
                v["household_id"] = ids[v.pop("household_uuid")]
            conn.execute(insert(Visit), visits)
    return _answer(start_response, records)


def _answer(start_response, records: list) -> list[bytes]:
    out = equal_work.dumps(records)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
    return [out]
