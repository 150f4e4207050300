"""Ownership-scoped lookups: every read and reference is filtered by ``user_id``.

A malformed id, a missing document and another user's document are
indistinguishable to the caller (404 in paths, 422 in bodies).
"""

from bson import ObjectId
from bson.errors import InvalidId

from ..db import collection
from . import ferretdb_compat
from .exceptions import not_found, unprocessable


def parse_id(value):
    """ObjectId from a string (or ObjectId); None when malformed or None (``ObjectId(None)``
    would make a brand-new id)."""
    if isinstance(value, ObjectId):
        return value
    if value is None:
        return None
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return None


def find_owned(collection_name, doc_id, user_id, projection=None):
    """The document with this id if ``user_id`` owns it, else None."""
    oid = parse_id(doc_id)
    if oid is None:
        return None
    return ferretdb_compat.find_owned_by_id(collection(collection_name), oid, user_id, projection)


def get_owned_or_404(collection_name, doc_id, user_id, what="Resource", projection=None):
    doc = find_owned(collection_name, doc_id, user_id, projection)
    if doc is None:
        not_found(what)
    return doc


def require_owned_reference(collection_name, doc_id, user_id, field, what=None, projection=None):
    """The caller's document referenced by a body field, else 422 naming the field."""
    if doc_id is None:
        return None
    doc = find_owned(collection_name, doc_id, user_id, projection)
    if doc is None:
        unprocessable(field, f"No such {what or field.removesuffix('_id')} for this account.")
    return doc


def owned_by_id(collection_name, user_id, ids, projection=None):
    """{id: document} for the caller's documents among ``ids`` (one query; None ids skipped)."""
    ids = [i for i in set(ids) if i is not None]
    if not ids:
        return {}
    cursor = collection(collection_name).find({"user_id": user_id, "_id": {"$in": ids}}, projection)
    return {doc["_id"]: doc for doc in cursor}
