"""The claims that make each reminder step (and the thank-you) happen once.

``claim`` is a unique insert of ``{_id: "<invoice_id>:<step>"}``: of two workers (or a worker
and a request) only one gets it. The claimer sends, then marks it ``sent``; if queueing failed
it ``release``s the claim so a later run tries again. A claim left ``claimed`` by a process
that died between the two is resolved by ``stale`` after ``STUCK_SECONDS``.
"""

import contextlib
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from ..common.timeutil import utcnow
from ..db import collection
from . import REMINDER_CLAIMS

CLAIMED, SENT, SKIPPED, CANCELLED = "claimed", "sent", "skipped", "cancelled"
STUCK_SECONDS = 600


def _doc(claim_id, invoice, step, state, **fields):
    now = utcnow()
    return {"_id": claim_id, "user_id": invoice["user_id"], "invoice_id": invoice["_id"], "step": step,
            "state": state, "claimed_at": now, "updated_at": now, **fields}


def claim(claim_id, invoice, step):
    """Whether this process now holds ``claim_id`` (False: another one handled it)."""
    try:
        collection(REMINDER_CLAIMS).insert_one(_doc(claim_id, invoice, step, CLAIMED))
    except DuplicateKeyError:
        return False
    return True


def record_skipped(claim_id, invoice, step, reason):
    """Note a step that will not be sent (kept if the step was handled already)."""
    with contextlib.suppress(DuplicateKeyError):
        collection(REMINDER_CLAIMS).insert_one(_doc(claim_id, invoice, step, SKIPPED, reason=reason))


def release(claim_id):
    """Give a claim back (nothing was sent): a later run may claim it again."""
    collection(REMINDER_CLAIMS).delete_one({"_id": claim_id, "state": CLAIMED})


def mark(claim_id, state, **fields):
    collection(REMINDER_CLAIMS).update_one({"_id": claim_id}, {"$set": {"state": state, "updated_at": utcnow(),
                                                                        **fields}})


def existing(claim_ids):
    """The ids among ``claim_ids`` that were claimed already (one ``_id`` query)."""
    if not claim_ids:
        return set()
    return {doc["_id"] for doc in collection(REMINDER_CLAIMS).find({"_id": {"$in": list(claim_ids)}}, {"_id": 1})}


def stale():
    """Claims still ``claimed`` long after their process should have finished with them (real
    time: the runs' ``now`` may be injected)."""
    cutoff = utcnow() - timedelta(seconds=STUCK_SECONDS)
    return list(collection(REMINDER_CLAIMS).find({"state": CLAIMED, "claimed_at": {"$lt": cutoff}}))


def sent_for(user_id, invoice_id):
    """The reminder steps sent for an invoice, oldest first: ``[{step, sent_at, message_id}]``."""
    docs = collection(REMINDER_CLAIMS).find(
        {"user_id": user_id, "invoice_id": invoice_id, "state": SENT}, {"step": 1, "sent_at": 1, "message_id": 1}
    )
    steps = [doc for doc in docs if isinstance(doc.get("step"), int)]
    return sorted(({k: doc.get(k) for k in ("step", "sent_at", "message_id")} for doc in steps),
                  key=lambda entry: entry["sent_at"])
