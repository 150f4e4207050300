"""Which invoice bills a time entry: claimed before the invoice is written, released
if it cannot be written, is deleted or voided. Invoicing calls these functions; only
this package writes ``time_entries`` and ``time_entry_claims``.

The agreed marker is ``time_entries.invoice_id`` (set with ``{invoice_id: None}`` as
the condition). Because the embedded FerretDB does not apply conditional updates
atomically under concurrency, the claim itself is an insert into ``time_entry_claims``
keyed by the entry's ``_id`` (a unique key, enforced by both MongoDB and FerretDB): of
two concurrent invoices only one can insert it, so no entry is billed twice.
"""

from datetime import timedelta

from pymongo.errors import BulkWriteError

from ..common.timeutil import utcnow
from ..db import collection
from ..projects.store import projects_by_id
from . import TIME_ENTRIES as ENTRIES
from . import TIME_ENTRY_CLAIMS as CLAIMS
from . import ledger
from .billing import follow_project_client

STALE_AFTER = timedelta(minutes=5)
UNBILLED = {"is_billable": True, "end_time": {"$ne": None}, "invoice_id": None, "duration": {"$gt": 0}}


def unbilled_entry_ids(user_id, client_id, project_id=None, entry_ids=None, start=None, end=None):
    """Ids of the caller's billable, stopped, not yet invoiced entries for a client (and
    project), optionally among ``entry_ids`` and starting in ``[start, end)``."""
    query = {"user_id": user_id, "client_id": client_id, **UNBILLED}
    if project_id is not None:
        query["project_id"] = project_id
    if entry_ids:
        query["_id"] = {"$in": list(dict.fromkeys(entry_ids))}
    window = {key: value for key, value in (("$gte", start), ("$lt", end)) if value is not None}
    if window:
        query["start_time"] = window
    return [e["_id"] for e in collection(ENTRIES).find(query, {"_id": 1})]


def claimed_entries(entry_ids, invoice_id):
    """The entries claimed for ``invoice_id`` among ``entry_ids``."""
    return list(collection(ENTRIES).find({"_id": {"$in": list(entry_ids)}, "invoice_id": invoice_id}))


def _drop_stale(entry_ids, invoice_exists):
    """Forget claims left by a crashed request: old, and whose invoice never appeared."""
    cutoff = utcnow() - STALE_AFTER
    for claim in collection(CLAIMS).find({"_id": {"$in": list(entry_ids)}, "claimed_at": {"$lt": cutoff}}):
        if not invoice_exists(claim["invoice_id"]):
            collection(CLAIMS).delete_one({"_id": claim["_id"], "invoice_id": claim["invoice_id"]})


def claim(entry_ids, invoice_id, user_id, invoice_exists):
    """Claim as many of ``entry_ids`` as are free; returns the set claimed for ``invoice_id``.
    ``invoice_exists(id)`` tells a crashed request's stale claim from a live invoice's."""
    if not entry_ids:
        return set()
    _drop_stale(entry_ids, invoice_exists)
    now = utcnow()
    docs = [
        {"_id": entry_id, "invoice_id": invoice_id, "user_id": user_id, "claimed_at": now} for entry_id in entry_ids
    ]
    try:
        collection(CLAIMS).insert_many(docs, ordered=False)
        claimed = set(entry_ids)
    except BulkWriteError as error:
        lost = {docs[e["index"]]["_id"] for e in error.details.get("writeErrors", [])}
        claimed = set(entry_ids) - lost
    if claimed:
        result = collection(ENTRIES).update_many(
            {"_id": {"$in": list(claimed)}, "user_id": user_id, "invoice_id": None},
            {"$set": {"invoice_id": invoice_id, "invoiced_at": now, "updated_at": now}},
        )
        if result.matched_count != len(claimed):  # billed meanwhile by another path: keep only ours
            marked = {
                e["_id"]
                for e in collection(ENTRIES).find({"_id": {"$in": list(claimed)}, "invoice_id": invoice_id}, {"_id": 1})
            }
            release_entries(claimed - marked, invoice_id, user_id, reset_entries=False)
            claimed = marked
        ledger.touched(user_id, claimed)
    return claimed


def _follow_projects(entry_ids, user_id):
    """Give released entries their project's current client: moving a project to another
    client skips invoiced entries (``billing.follow_project_client``)."""
    entries = collection(ENTRIES).find(
        {"_id": {"$in": entry_ids}, "user_id": user_id, "project_id": {"$ne": None}}, {"project_id": 1}
    )
    project_ids = [e["project_id"] for e in entries]
    for project in projects_by_id(user_id, project_ids, {"client_id": 1}).values():
        follow_project_client(user_id, project["_id"], project.get("client_id"), entry_ids)


def release_entries(entry_ids, invoice_id, user_id, reset_entries=True):
    if not entry_ids:
        return
    ids = list(entry_ids)
    if reset_entries:
        collection(ENTRIES).update_many(
            {"_id": {"$in": ids}, "user_id": user_id, "invoice_id": invoice_id},
            {"$set": {"invoice_id": None, "invoiced_at": None, "updated_at": utcnow()}},
        )
        _follow_projects(ids, user_id)
        ledger.touched(user_id, ids)
    collection(CLAIMS).delete_many({"_id": {"$in": ids}, "invoice_id": invoice_id})


def release_invoice(invoice_id, user_id):
    """Un-bill every entry of a deleted or voided invoice."""
    ids = [e["_id"] for e in collection(ENTRIES).find({"user_id": user_id, "invoice_id": invoice_id}, {"_id": 1})]
    collection(ENTRIES).update_many(
        {"user_id": user_id, "invoice_id": invoice_id},
        {"$set": {"invoice_id": None, "invoiced_at": None, "updated_at": utcnow()}},
    )
    if ids:
        _follow_projects(ids, user_id)
        ledger.touched(user_id, ids)
    collection(CLAIMS).delete_many({"user_id": user_id, "invoice_id": invoice_id})
