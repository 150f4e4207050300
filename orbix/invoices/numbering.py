"""Invoice numbers: ``INV-00001``, per user, allocated atomically and without gaps.

A per-user counter document (``counters``, ``_id: "invoice:<user id>"``) is advanced
with ``find_one_and_update`` + ``$inc`` (upsert). The unique index on
(user_id, invoice_number) is the final arbiter: if the insert hits a duplicate number
(the embedded FerretDB does not apply concurrent ``$inc`` atomically, and a restored
counter could lag), the next number is taken. A number whose insert fails for any
other reason is handed back (the counter steps back, or the number joins a ``free``
list that the next allocation takes first), so numbers stay gapless.
Deleting a draft does not hand its number back: a number once shown is never reused.
"""

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from ..db import collection
from . import INVOICE_COUNTERS, INVOICES

COUNTERS = INVOICE_COUNTERS
DIGITS = 5
MAX_ATTEMPTS = 200


def counter_id(user_id):
    return f"invoice:{user_id}"


def format_number(prefix, seq):
    return f"{prefix}{seq:0{DIGITS}d}"


def _take_free(key):
    doc = collection(COUNTERS).find_one_and_update(
        {"_id": key, "free.0": {"$exists": True}}, {"$pop": {"free": -1}}, return_document=ReturnDocument.BEFORE
    )
    return doc["free"][0] if doc else None


def allocate(user_id):
    """The next sequence number for this user (a released one first)."""
    key = counter_id(user_id)
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


def release(user_id, seq):
    """Give back a number whose invoice was never written."""
    counters = collection(COUNTERS)
    key = counter_id(user_id)
    if counters.find_one_and_update({"_id": key, "seq": seq}, {"$inc": {"seq": -1}}) is None:
        counters.update_one({"_id": key}, {"$addToSet": {"free": seq}})


def withdraw(doc):
    """Remove an invoice that was written but must not stand (its client was deleted
    meanwhile); its number was never shown, so it is handed back."""
    collection(INVOICES).delete_one({"_id": doc["_id"], "user_id": doc["user_id"]})
    release(doc["user_id"], doc["number_seq"])


def _number_taken(user_id, number):
    """Whether a duplicate-key error was the number (FerretDB's error does not name the index)."""
    return collection(INVOICES).count_documents({"user_id": user_id, "invoice_number": number}, limit=1) > 0


def insert_numbered(doc, user_id, prefix):
    """Insert ``doc`` with the next free number; returns the stored document."""
    invoices = collection(INVOICES)
    for _ in range(MAX_ATTEMPTS):
        seq = allocate(user_id)
        doc.update(number_seq=seq, invoice_number=format_number(prefix, seq))
        try:
            invoices.insert_one(doc)
            return doc
        except DuplicateKeyError:
            if not _number_taken(user_id, doc["invoice_number"]):
                release(user_id, seq)
                raise
        except Exception:
            release(user_id, seq)
            raise
    raise RuntimeError("could not allocate an invoice number")
