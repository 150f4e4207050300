"""A short-lived named mutex in the database, so concurrent writes to one document (two
payments on an invoice, a payment and a void) cannot interleave.

MongoDB applies a conditional update atomically, but the embedded FerretDB does not
(two ``{amount_paid: x}`` compare-and-set updates can both win), while its unique
indexes are enforced. So the lock is an insert of ``{_id: key}`` into ``locks``: the one
that succeeds holds it. A lock older than ``STALE_SECONDS`` (a crashed worker) is
broken, and waiting longer than ``WAIT_SECONDS`` gives 409 rather than hanging.
"""

import time
from contextlib import contextmanager
from datetime import timedelta

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from ..db import collection
from .exceptions import conflict
from .timeutil import utcnow

LOCKS = "locks"
WAIT_SECONDS = 10
STALE_SECONDS = 30


@contextmanager
def held(key, what="This document", db=None):
    """Hold the lock ``key`` (in ``db`` when given: code that runs outside a request, such as
    a migration, passes its database)."""
    locks = collection(LOCKS) if db is None else db[LOCKS]
    token = ObjectId()
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            locks.insert_one({"_id": key, "token": token, "expires_at": utcnow() + timedelta(seconds=STALE_SECONDS)})
            break
        except DuplicateKeyError:
            locks.delete_one({"_id": key, "expires_at": {"$lt": utcnow()}})
            if time.monotonic() > deadline:
                conflict(f"{what} is being changed by another request; try again")
            time.sleep(0.01)
    try:
        yield
    finally:
        locks.delete_one({"_id": key, "token": token})

