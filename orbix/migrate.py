"""Ordered, recorded migrations from ``migrations/NNNN_name.py`` (each with ``up(db)``).

Applied ones are recorded in the ``migrations`` collection. A lock document makes
two processes starting at once (two release phases, or make run twice) take turns;
the steps themselves are idempotent, so a crashed run can simply be repeated.
"""

import importlib.util
import logging
import re
import time
from pathlib import Path

from pymongo.errors import DuplicateKeyError

from .common.timeutil import utcnow

log = logging.getLogger(__name__)

MIGRATIONS = "migrations"  # the applied steps, one document each
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.py$")
LOCK_ID = "__lock__"
STALE_LOCK_SECONDS = 600


def discover(directory=MIGRATIONS_DIR):
    return sorted(p for p in directory.iterdir() if NAME.match(p.name))


def _load(path):
    spec = importlib.util.spec_from_file_location(f"orbix_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "up", None)):
        raise RuntimeError(f"{path.name} has no up(db) function")
    return module


def _acquire(records, wait_seconds):
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            records.insert_one({"_id": LOCK_ID, "locked_at": utcnow()})
            return
        except DuplicateKeyError:
            lock = records.find_one({"_id": LOCK_ID})
            if lock and (utcnow() - lock["locked_at"]).total_seconds() > STALE_LOCK_SECONDS:
                records.delete_one({"_id": LOCK_ID, "locked_at": lock["locked_at"]})
                continue
            if time.monotonic() > deadline:
                raise RuntimeError("another process holds the migration lock") from None
            time.sleep(0.2)


def apply_migrations(db, directory=MIGRATIONS_DIR, wait_seconds=120):
    """Apply pending migrations in order; returns the names applied by this call."""
    records = db[MIGRATIONS]
    _acquire(records, wait_seconds)
    applied = []
    try:
        done = {doc["_id"] for doc in records.find({}, {"_id": 1})}
        for path in discover(directory):
            if path.stem in done:
                continue
            log.info("applying migration %s", path.stem)
            _load(path).up(db)
            records.insert_one({"_id": path.stem, "applied_at": utcnow()})
            applied.append(path.stem)
    finally:
        records.delete_one({"_id": LOCK_ID})
    return applied
