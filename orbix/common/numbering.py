"""Document numbers (``INV-00001``, ``EST-00001``): per user, allocated atomically, without gaps.

A ``Numbering`` names a counters collection, the key prefix of its per-user counter documents
(``_id: "<kind>:<user id>"``), the numbered collection and its number field. The counter is
advanced with ``find_one_and_update`` + ``$inc`` (upsert). The unique index on (user_id,
<number field>) is the final arbiter: if the insert hits a duplicate number (the embedded
FerretDB does not apply concurrent ``$inc`` atomically, and a restored counter could lag), the
next number is taken. A number whose insert fails for any other reason is handed back (the
counter steps back, or the number joins a ``free`` list that the next allocation takes first),
so numbers stay gapless. Deleting a draft does not hand its number back: a number once shown
is never reused.
"""

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from ..db import collection

DIGITS = 5
MAX_ATTEMPTS = 200


def format_number(prefix, seq):
    return f"{prefix}{seq:0{DIGITS}d}"


class Numbering:
    def __init__(self, counters, kind, numbered, number_field):
        self.counters, self.kind, self.numbered, self.number_field = counters, kind, numbered, number_field

    def counter_id(self, user_id):
        return f"{self.kind}:{user_id}"

    def _take_free(self, key):
        doc = collection(self.counters).find_one_and_update(
            {"_id": key, "free.0": {"$exists": True}}, {"$pop": {"free": -1}}, return_document=ReturnDocument.BEFORE
        )
        return doc["free"][0] if doc else None

    def allocate(self, user_id):
        """The next sequence number for this user (a released one first)."""
        key = self.counter_id(user_id)
        free = self._take_free(key)
        if free is not None:
            return free
        while True:
            try:
                doc = collection(self.counters).find_one_and_update(
                    {"_id": key}, {"$inc": {"seq": 1}}, upsert=True, return_document=ReturnDocument.AFTER
                )
                return doc["seq"]
            except DuplicateKeyError:  # two first-ever upserts raced; the counter exists now
                continue

    def release(self, user_id, seq):
        """Give back a number whose document was never written."""
        counters = collection(self.counters)
        key = self.counter_id(user_id)
        if counters.find_one_and_update({"_id": key, "seq": seq}, {"$inc": {"seq": -1}}) is None:
            counters.update_one({"_id": key}, {"$addToSet": {"free": seq}})

    def withdraw(self, doc):
        """Remove a document that was written but must not stand (its client was deleted
        meanwhile); its number was never shown, so it is handed back."""
        collection(self.numbered).delete_one({"_id": doc["_id"], "user_id": doc["user_id"]})
        self.release(doc["user_id"], doc["number_seq"])

    def _number_taken(self, user_id, number):
        """Whether a duplicate-key error was the number (FerretDB's error does not name the index)."""
        return collection(self.numbered).count_documents({"user_id": user_id, self.number_field: number}, limit=1) > 0

    def insert_numbered(self, doc, user_id, prefix):
        """Insert ``doc`` with the next free number; returns the stored document."""
        documents = collection(self.numbered)
        for _ in range(MAX_ATTEMPTS):
            seq = self.allocate(user_id)
            doc.update({"number_seq": seq, self.number_field: format_number(prefix, seq)})
            try:
                documents.insert_one(doc)
                return doc
            except DuplicateKeyError:
                if not self._number_taken(user_id, doc[self.number_field]):
                    self.release(user_id, seq)
                    raise
            except Exception:
                self.release(user_id, seq)
                raise
        raise RuntimeError(f"could not allocate a {self.kind} number")
