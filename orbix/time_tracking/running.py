"""At most one running timer per user, race-free on MongoDB and FerretDB alike.

A running entry is registered in ``running_timers`` under ``_id = user_id``. The
``_id`` index is unique on every engine (FerretDB 1.24 has no partial indexes and
ignores ``sparse``), so of two concurrent starts exactly one insert succeeds; the
other gets DuplicateKeyError and its freshly inserted entry is removed again.
A registration whose entry is no longer running (a crash between stopping and
unregistering) is stale and is replaced.
"""

from pymongo.errors import DuplicateKeyError

from ..common.exceptions import Conflict
from ..common.ownership import find_owned
from ..common.timeutil import utcnow
from ..db import collection
from . import RUNNING_TIMERS, TIME_ENTRIES

TIMERS = RUNNING_TIMERS
ENTRIES = TIME_ENTRIES


def _running_entry(user_id, entry_id):
    entry = find_owned(ENTRIES, entry_id, user_id)
    return entry if entry is not None and entry.get("end_time") is None else None


def register(user_id, entry_id):
    """Claim the user's one timer slot for ``entry_id``, else 409 naming the running entry."""
    for _ in range(3):
        try:
            collection(TIMERS).insert_one({"_id": user_id, "entry_id": entry_id, "started_at": utcnow()})
            return
        except DuplicateKeyError:
            held = collection(TIMERS).find_one({"_id": user_id})
            if held is None:
                continue
            if _running_entry(user_id, held["entry_id"]) is not None:
                raise Conflict(f"A timer is already running (entry {held['entry_id']}); stop it first",
                               running_entry_id=str(held["entry_id"])) from None
            collection(TIMERS).delete_one({"_id": user_id, "entry_id": held["entry_id"]})
    raise Conflict("A timer is being started concurrently; try again")


def release(user_id, entry_id):
    """Free the slot if ``entry_id`` holds it."""
    collection(TIMERS).delete_one({"_id": user_id, "entry_id": entry_id})


def current(user_id):
    """The user's running entry, or None."""
    held = collection(TIMERS).find_one({"_id": user_id})
    return None if held is None else _running_entry(user_id, held["entry_id"])
