"""Refusing to delete a document that others still point at (no dangling references),
without transactions.

A deletion first marks the document as being deleted (``deleting_at``), then counts what
refers to it, then deletes it. A writer that adds a reference checks afterwards that its
target still stands (``still_referable``) and withdraws its write if not. Whatever the
interleaving, either the deleter counts the new reference (and answers 409), or the
writer sees the mark (and withdraws): an invoice can never outlive its client.
"""

from datetime import timedelta

from ..db import collection
from .documents import delete_owned
from .exceptions import Conflict, conflict, unprocessable
from .timeutil import utcnow

COUNT_LIMIT = 1000
DELETING = "deleting_at"
MARK_EXPIRES = timedelta(seconds=60)  # a deleter that died mid-way does not block writers for long


def references_to(user_id, field, doc_id, referrers):
    """Human list of what refers to ``doc_id`` through ``field``, e.g. ['2 invoices', '1 project'].

    ``referrers`` is a sequence of (collection, singular, plural).
    """
    found = []
    for name, singular, plural in referrers:
        count = collection(name).count_documents({"user_id": user_id, field: doc_id}, limit=COUNT_LIMIT)
        if count:
            found.append(f"{count} {singular if count == 1 else plural}")
    return found


ARCHIVE_HINT = "archive it instead (PATCH archived=true)"


def refuse_if_referenced(user_id, field, doc_id, referrers, what, hint=ARCHIVE_HINT):
    """409 naming the referrers, and saying what to do instead (``hint``: archive by default)."""
    refs = references_to(user_id, field, doc_id, referrers)
    if refs:
        conflict(f"{what} is referenced by {', '.join(refs)}; {hint}")


def delete_unreferenced(collection_name, doc_id, user_id, field, referrers, what, hint=ARCHIVE_HINT, remove=None):
    """Delete the owner's document unless something refers to it through ``field`` (409).
    ``remove()`` deletes it when more than its document must go (a stored file's bytes)."""
    documents = collection(collection_name)
    documents.update_one({"_id": doc_id, "user_id": user_id}, {"$set": {DELETING: utcnow()}})
    try:
        refuse_if_referenced(user_id, field, doc_id, referrers, what, hint)
    except Conflict:
        documents.update_one({"_id": doc_id, "user_id": user_id}, {"$unset": {DELETING: ""}})
        raise
    if remove is None:
        delete_owned(collection_name, doc_id, user_id, what)
    else:
        remove()


def withdraw_unless(stands, withdraw, field, what):
    """After a write that refers to a ``what`` through ``field``: if the target no longer
    ``stands``, undo the write (``withdraw()``) and answer 422."""
    if not stands:
        withdraw()
        unprocessable(field, f"The {what} was deleted meanwhile; nothing was saved.")


def withdraw_unless_all_stand(checks, withdraw):
    """``withdraw_unless`` for several references: ``checks`` are (stands, field, what)."""
    for stands, field, what in checks:
        withdraw_unless(stands, withdraw, field, what)


def still_referable(collection_name, doc_id):
    """After a write that refers to ``doc_id``: whether the target still stands (not deleted,
    not being deleted)."""
    doc = collection(collection_name).find_one({"_id": doc_id}, {DELETING: 1})
    if doc is None:
        return False
    mark = doc.get(DELETING)
    return mark is None or utcnow() - mark > MARK_EXPIRES
