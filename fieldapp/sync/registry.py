"""The record types the sync API accepts; each feature registers its own in its sync.py.

Each entry reuses the feature's one validation (its *In schema) and its service functions,
so a synced record obeys exactly the rules of the HTML form and updates the aggregates.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Prepared:
    """One record of a batch, validated by its form's rules."""

    uid: str
    rt: "RecordType"
    data: object  # the feature's validated *In schema
    client_time: object
    raw: dict  # the payload as sent (after rt.payload), for fields outside the schema
    base_version: object = None


@dataclass
class RecordType:
    """How the sync API handles one record type."""

    label: object  # what the phone's outbox calls it
    form: str  # endpoint of the form that creates it (re-opened pre-filled to correct one)
    model: type
    schema: type
    roles: frozenset
    # create(session, user, area, data, uuid, client_time, raw payload) -> record (commits)
    create: Callable
    # update(session, user, area, record, data) -> record (commits)
    update: Callable
    # The stored columns a validated payload stands for, to tell duplicates from conflicts.
    columns: Callable
    example: dict
    # Lower numbers are ingested first: a visit may name a household sent in the same batch.
    order: int = 50
    # payload(data, client_time) -> data: adjust the raw payload before validation.
    payload: Callable = lambda data, client_time: data
    # create_many(session, user, area, [Prepared]) -> ({uuid: id} created, {position: errors}
    # rejected), flushing; a UUID already stored is skipped. None: one by one through create.
    create_many: Callable | None = None


TYPES: dict[str, RecordType] = {}


def register(name: str, record_type: RecordType) -> None:
    """Add a record type under its name in the sync API."""
    TYPES[name] = record_type
