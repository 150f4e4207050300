"""Refusing to delete a document that others still point at (no dangling references)."""

from ..db import collection
from .exceptions import conflict

COUNT_LIMIT = 1000


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


def refuse_if_referenced(user_id, field, doc_id, referrers, what):
    """409 naming the referrers, and pointing at archiving instead."""
    refs = references_to(user_id, field, doc_id, referrers)
    if refs:
        conflict(f"{what} is referenced by {', '.join(refs)}; archive it instead (PATCH archived=true)")
