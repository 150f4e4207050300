"""Invoice numbers: ``INV-00001``, per user, allocated atomically and without gaps; credit
notes have a series of their own (``CN-00001``) allocated the same way.

A per-user counter document per series (``counters``, ``_id: "invoice:<user id>"`` or
``"credit_note:<user id>"``) is advanced
with ``find_one_and_update`` + ``$inc`` (upsert). The unique index on
(user_id, invoice_number) is the final arbiter: if the insert hits a duplicate number
(the embedded FerretDB does not apply concurrent ``$inc`` atomically, and a restored
counter could lag), the next number is taken. A number whose insert fails for any
other reason is handed back (the counter steps back, or the number joins a ``free``
list that the next allocation takes first), so numbers stay gapless.
Deleting a draft does not hand its number back: a number once shown is never reused.
"""

from dataclasses import dataclass

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from ..db import collection
from . import CREDIT_NOTES, INVOICE_COUNTERS, INVOICES

COUNTERS = INVOICE_COUNTERS
DIGITS = 5
MAX_ATTEMPTS = 200


@dataclass(frozen=True)
class Series:
    """A numbered kind of document: its counter key, collection and number field (unique per user)."""

    kind: str
    collection: str
    number_field: str


INVOICE_SERIES = Series("invoice", INVOICES, "invoice_number")
CREDIT_NOTE_SERIES = Series("credit_note", CREDIT_NOTES, "credit_note_number")


def counter_id(user_id, series=INVOICE_SERIES):
    return f"{series.kind}:{user_id}"


def format_number(prefix, seq):
    return f"{prefix}{seq:0{DIGITS}d}"


def _take_free(key):
    doc = collection(COUNTERS).find_one_and_update(
        {"_id": key, "free.0": {"$exists": True}}, {"$pop": {"free": -1}}, return_document=ReturnDocument.BEFORE
    )
    return doc["free"][0] if doc else None


def allocate(user_id, series=INVOICE_SERIES):
    """The next sequence number for this user (a released one first)."""
    key = counter_id(user_id, series)
    free = _take_free(key)
    if free is not None:
        return free
    while True:
        try:
            doc = collection(COUNTERS).find_one_and_update(
                {"_id": key}, {"$inc": {"seq": 1}}, upsert=True, return_document=ReturnDocument.AFTER
            )
            return doc["seq"]
        except DuplicateKeyError:  # two first-ever upserts raced; the counter exists now
            continue


def release(user_id, seq, series=INVOICE_SERIES):
    """Give back a number whose document was never written."""
    counters = collection(COUNTERS)
    key = counter_id(user_id, series)
    if counters.find_one_and_update({"_id": key, "seq": seq}, {"$inc": {"seq": -1}}) is None:
        counters.update_one({"_id": key}, {"$addToSet": {"free": seq}})


def withdraw(doc):
    """Remove an invoice that was written but must not stand (its client was deleted
    meanwhile); its number was never shown, so it is handed back."""
    collection(INVOICES).delete_one({"_id": doc["_id"], "user_id": doc["user_id"]})
    release(doc["user_id"], doc["number_seq"])


def _number_taken(user_id, number, series):
    """Whether a duplicate-key error was the number (FerretDB's error does not name the index)."""
    return collection(series.collection).count_documents({"user_id": user_id, series.number_field: number}, limit=1) > 0


def insert_numbered(doc, user_id, prefix, series=INVOICE_SERIES):
    """Insert ``doc`` with the next free number of ``series``; returns the stored document."""
    documents = collection(series.collection)
    for _ in range(MAX_ATTEMPTS):
        seq = allocate(user_id, series)
        doc.update({"number_seq": seq, series.number_field: format_number(prefix, seq)})
        try:
            documents.insert_one(doc)
            return doc
        except DuplicateKeyError:
            if not _number_taken(user_id, doc[series.number_field], series):
                release(user_id, seq, series)
                raise
        except Exception:
            release(user_id, seq, series)
            raise
    raise RuntimeError(f"could not allocate a {series.kind} number")
