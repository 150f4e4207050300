"""Where the embedded FerretDB (development, tests, CI) needs a query done differently from
MongoDB (production). Every engine branch in the code lives here, so production paths read
plainly elsewhere and the suite can run both branches on the embedded server
(``assume_mongodb``).

Why each difference exists (FerretDB 1.24, SQLite backend):
- it pushes only ``_id`` equality down to SQLite and evaluates other filters in Go after
  decoding every document, so an ``_id`` read that also names ``user_id`` scans the
  collection: owned lookups query ``_id`` alone and compare the owner here;
- its count decodes the filtered fields of every match, so totals stop at ``COUNT_CAP``;
- an update (findAndModify) that breaks a unique index fails as an InternalError naming
  SQLite's UNIQUE constraint instead of a DuplicateKeyError (E11000): ``duplicate_key``.
"""

import contextlib

from pymongo.errors import DuplicateKeyError, OperationFailure

COUNT_CAP = 1_000

_detected = {}
_assumed = None


def is_ferretdb(coll):
    """Whether ``coll``'s server is FerretDB (asked once per client, then cached)."""
    if _assumed is not None:
        return _assumed == "ferretdb"
    key = id(coll.database.client)
    if key not in _detected:
        _detected[key] = "ferretdbVersion" in coll.database.command("buildInfo")
    return _detected[key]


@contextlib.contextmanager
def assume_mongodb():
    """Take MongoDB's branch everywhere in this block, whatever the server (tests)."""
    global _assumed
    previous, _assumed = _assumed, "mongodb"
    try:
        yield
    finally:
        _assumed = previous


def duplicate_key(error):
    """Whether a failed write broke a unique index, on either engine."""
    if isinstance(error, DuplicateKeyError):
        return True
    return isinstance(error, OperationFailure) and "UNIQUE constraint failed" in str(error)


def find_owned_by_id(coll, oid, user_id, projection=None):
    """The document with ``_id`` ``oid`` if ``user_id`` owns it, else None."""
    if not is_ferretdb(coll):
        return coll.find_one({"_id": oid, "user_id": user_id}, projection)
    if isinstance(projection, dict) and projection and all(bool(v) for v in projection.values()):
        projection = {**projection, "user_id": 1}
    doc = coll.find_one({"_id": oid}, projection)
    if doc is None or doc.get("user_id") != user_id:
        return None
    return doc


def count(coll, query):
    """Exact total on MongoDB (through the index); on FerretDB the count stops at COUNT_CAP
    (None beyond it), so a page's cost no longer grows with the collection."""
    if not is_ferretdb(coll):
        return coll.count_documents(query)
    total = coll.count_documents(query, limit=COUNT_CAP + 1)
    return total if total <= COUNT_CAP else None

