"""Which invoice bills a billable document (a time entry, an expense): claimed before the
invoice is written, released if it cannot be written, is deleted or voided.

The agreed marker is the document's ``invoice_id`` (set with ``{invoice_id: None}`` as the
condition). Because the embedded FerretDB does not apply conditional updates atomically under
concurrency, the claim itself is an insert into a claims collection keyed by the document's
``_id`` (a unique key, enforced by both MongoDB and FerretDB): of two concurrent invoices only
one can insert it, so nothing is billed twice.

A claim with ``invoice_id: None`` is a *reservation*: an edit of the fields billing reads holds
it while it writes, so billing and that edit never interleave (``Claims.reserved``).
"""

from contextlib import contextmanager
from datetime import timedelta

from pymongo.errors import BulkWriteError, DuplicateKeyError

from ..db import collection
from .exceptions import conflict
from .timeutil import utcnow

STALE_AFTER = timedelta(minutes=5)


def _nothing(*_args):
    return None


def unbilled_query(user_id, client_id, unbilled, project_id=None, ids=None, field=None, start=None, end=None):
    """The filter of a client's (and project's) documents meeting ``unbilled``, optionally among
    ``ids`` and with ``field`` in ``[start, end)``."""
    query = {"user_id": user_id, "client_id": client_id, **unbilled}
    if project_id is not None:
        query["project_id"] = project_id
    if ids:
        query["_id"] = {"$in": list(dict.fromkeys(ids))}
    window = {key: value for key, value in (("$gte", start), ("$lt", end)) if value is not None}
    if window:
        query[field] = window
    return query


class Claims:
    """Claims on the documents of ``items`` (a collection name), kept in ``claims``.

    ``touched(user_id, ids)`` runs after documents changed (a report ledger refresh);
    ``released(ids, user_id)`` after documents were un-billed (time entries follow their
    project's current client)."""

    def __init__(self, items, claims, touched=None, released=None):
        self.items = items
        self.claims = claims
        self.touched = touched or _nothing
        self.released = released or _nothing

    def claimed(self, ids, invoice_id):
        """The documents claimed for ``invoice_id`` among ``ids``."""
        return list(collection(self.items).find({"_id": {"$in": list(ids)}, "invoice_id": invoice_id}))

    def _drop_stale(self, ids, invoice_exists):
        """Forget claims left by a crashed request: old, and whose invoice never appeared (a
        reservation names no invoice, so an old one is always stale)."""
        cutoff = utcnow() - STALE_AFTER
        for claim in collection(self.claims).find({"_id": {"$in": list(ids)}, "claimed_at": {"$lt": cutoff}}):
            if claim["invoice_id"] is None or not invoice_exists(claim["invoice_id"]):
                collection(self.claims).delete_one({"_id": claim["_id"], "invoice_id": claim["invoice_id"]})

    def claim(self, ids, invoice_id, user_id, invoice_exists):
        """Claim as many of ``ids`` as are free; returns the set claimed for ``invoice_id``.
        ``invoice_exists(id)`` tells a crashed request's stale claim from a live invoice's."""
        if not ids:
            return set()
        self._drop_stale(ids, invoice_exists)
        now = utcnow()
        docs = [{"_id": item_id, "invoice_id": invoice_id, "user_id": user_id, "claimed_at": now} for item_id in ids]
        try:
            collection(self.claims).insert_many(docs, ordered=False)
            claimed = set(ids)
        except BulkWriteError as error:
            lost = {docs[e["index"]]["_id"] for e in error.details.get("writeErrors", [])}
            claimed = set(ids) - lost
        if claimed:
            result = collection(self.items).update_many(
                {"_id": {"$in": list(claimed)}, "user_id": user_id, "invoice_id": None},
                {"$set": {"invoice_id": invoice_id, "invoiced_at": now, "updated_at": now}},
            )
            if result.matched_count != len(claimed):  # billed meanwhile by another path: keep only ours
                marked = {doc["_id"] for doc in self.claimed(claimed, invoice_id)}
                self.release(claimed - marked, invoice_id, user_id, reset_items=False)
                claimed = marked
            self.touched(user_id, claimed)
        return claimed

    def release(self, ids, invoice_id, user_id, reset_items=True):
        """Un-bill ``ids`` from ``invoice_id`` (an invoice that could not be written)."""
        if not ids:
            return
        ids = list(ids)
        if reset_items:
            collection(self.items).update_many(
                {"_id": {"$in": ids}, "user_id": user_id, "invoice_id": invoice_id},
                {"$set": {"invoice_id": None, "invoiced_at": None, "updated_at": utcnow()}},
            )
            self.released(ids, user_id)
            self.touched(user_id, ids)
        collection(self.claims).delete_many({"_id": {"$in": ids}, "invoice_id": invoice_id})

    def release_invoice(self, invoice_id, user_id):
        """Un-bill every document of a deleted or voided invoice."""
        query = {"user_id": user_id, "invoice_id": invoice_id}
        ids = [doc["_id"] for doc in collection(self.items).find(query, {"_id": 1})]
        collection(self.items).update_many(
            query, {"$set": {"invoice_id": None, "invoiced_at": None, "updated_at": utcnow()}}
        )
        if ids:
            self.released(ids, user_id)
            self.touched(user_id, ids)
        collection(self.claims).delete_many(query)

    def _reserve(self, item_id, user_id, what):
        """Insert the reservation of ``item_id``; a crashed edit's old one is taken over."""
        claims = collection(self.claims)
        for _attempt in range(3):
            reservation = {"_id": item_id, "invoice_id": None, "user_id": user_id, "claimed_at": utcnow()}
            try:
                claims.insert_one(reservation)
                return reservation
            except DuplicateKeyError:
                held = claims.find_one({"_id": item_id})
            if held is not None and (held["invoice_id"] is not None or held["claimed_at"] >= utcnow() - STALE_AFTER):
                break
            if held is not None:
                claims.delete_one({"_id": item_id, "invoice_id": None, "claimed_at": held["claimed_at"]})
        conflict(f"{what} is billed (or being billed) on an invoice; delete or void the invoice to change it")

    @contextmanager
    def reserved(self, item_id, user_id, what):
        """Hold ``item_id`` against billing while an edit writes the fields billing reads: 409
        if an invoice bills it (or is billing it right now). Callers serialise their own edits
        of one document first (``common.locks.held``), so the only rival here is billing."""
        reservation = self._reserve(item_id, user_id, what)
        try:
            yield
        finally:
            collection(self.claims).delete_one(
                {"_id": item_id, "invoice_id": None, "claimed_at": reservation["claimed_at"]}
            )
