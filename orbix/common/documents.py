"""Writing documents the same way everywhere: owner, timestamps, partial updates."""

from pymongo import ReturnDocument

from ..db import collection
from .exceptions import not_found
from .timeutil import utcnow

SERVER_OWNED = frozenset({"_id", "user_id", "created_at", "updated_at"})


def insert_owned(collection_name, user_id, fields):
    """Insert a new document owned by ``user_id``; returns the stored document."""
    now = utcnow()
    doc = {k: v for k, v in fields.items() if k not in SERVER_OWNED}
    doc.update(user_id=user_id, created_at=now, updated_at=now)
    result = collection(collection_name).insert_one(doc)
    doc["_id"] = result.inserted_id
    return doc


def update_if(collection_name, doc_id, user_id, changes, condition=None):
    """Apply a partial update (None clears a field) if the owner's document still meets
    ``condition``; the updated document, or None when nothing matched."""
    changes = {k: v for k, v in changes.items() if k not in SERVER_OWNED}
    changes["updated_at"] = utcnow()
    query = {"_id": doc_id, "user_id": user_id, **(condition or {})}
    return collection(collection_name).find_one_and_update(
        query, {"$set": changes}, return_document=ReturnDocument.AFTER
    )


def update_owned(collection_name, doc_id, user_id, changes, what="Resource", extra_filter=None):
    """``update_if`` that answers 404 when nothing matched."""
    doc = update_if(collection_name, doc_id, user_id, changes, extra_filter)
    if doc is None:
        not_found(what)
    return doc


def restore_fields(collection_name, before, fields):
    """Put ``fields`` of a document back as they were in ``before`` (undo a partial update)."""
    update_if(collection_name, before["_id"], before["user_id"], {name: before.get(name) for name in fields})


def delete_if(collection_name, doc_id, user_id, condition=None):
    """Delete the owner's document if it meets ``condition``; whether it was deleted."""
    query = {"_id": doc_id, "user_id": user_id, **(condition or {})}
    return collection(collection_name).delete_one(query).deleted_count == 1


def delete_owned(collection_name, doc_id, user_id, what="Resource", extra_filter=None):
    """``delete_if`` that answers 404 when nothing matched."""
    if not delete_if(collection_name, doc_id, user_id, extra_filter):
        not_found(what)
