"""The runs of recurring invoices: one record per schedule and run date, ``_id``
``"<schedule id>:<YYYY-MM-DD>"``, inserted before the run's invoice is written.

The unique ``_id`` is the claim (MongoDB and FerretDB both enforce it under concurrency): of
two workers, or two passes, reaching the same run only one inserts it. The claim also fixes
the id the run's invoice will have (``planned_invoice_id``), so whoever finishes a run, the one
that claimed it or a successor after it died, writes that one invoice and no other: a period
can never get two.

``state``: ``claimed``, then ``invoiced`` (``invoice_id`` and ``invoice_number`` recorded),
``nothing_to_bill`` (no lines and no tracked time in the period) or ``failed`` (``error``: the
invoice could not be made; the next pass tries again). ``send_status`` records what auto_send
did once: ``queued`` (``message_id``) or ``failed`` (``send_error``); a failed send is not
retried, so it can never turn into a second e-mail.
"""

from datetime import timedelta

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from ..common import lists
from ..common.timeutil import date_to_datetime, utcnow
from ..db import collection
from . import RECURRING_RUNS

COLLECTION = RECURRING_RUNS
CLAIMED, INVOICED, NOTHING_TO_BILL, FAILED = "claimed", "invoiced", "nothing_to_bill", "failed"
QUEUED = "queued"
STALE_AFTER = timedelta(minutes=5)  # a claim this old without an outcome was left by a worker that died
SORTABLE = {"run_date", "claimed_at", "updated_at"}


def run_id(schedule_id, run_date):
    return f"{schedule_id}:{run_date.isoformat()}"


def claim(schedule, run_date):
    """The record of this run to work on: a new claim, or an earlier one to finish (its invoice
    made, a failed attempt, or a claim older than ``STALE_AFTER``); None while another worker
    holds a fresh claim."""
    now = utcnow()
    record = {
        "_id": run_id(schedule["_id"], run_date),
        "user_id": schedule["user_id"],
        "recurring_invoice_id": schedule["_id"],
        "run_date": date_to_datetime(run_date),
        "state": CLAIMED,
        "planned_invoice_id": ObjectId(),
        "invoice_id": None,
        "invoice_number": None,
        "error": None,
        "send_status": None,
        "message_id": None,
        "send_error": None,
        "claimed_at": now,
        "created_at": now,
        "updated_at": now,
    }
    try:
        collection(COLLECTION).insert_one(record)
        return record
    except DuplicateKeyError:
        existing = collection(COLLECTION).find_one({"_id": record["_id"]})
    if existing is None or (existing["state"] == CLAIMED and existing["claimed_at"] > now - STALE_AFTER):
        return None
    return existing


def record(run, **changes):
    """Write what became of the run; returns it updated."""
    changes["updated_at"] = utcnow()
    collection(COLLECTION).update_one({"_id": run["_id"]}, {"$set": changes})
    return {**run, **changes}


def list_for(user_id, schedule_id, args):
    query = {"user_id": user_id, "recurring_invoice_id": schedule_id}
    return lists.find_page(COLLECTION, query, args, SORTABLE, default_sort=("run_date", 1))


def delete_for(user_id, schedule_id):
    collection(COLLECTION).delete_many({"user_id": user_id, "recurring_invoice_id": schedule_id})
