"""Issue, resolve and revoke public links.

A token is ``secrets.token_urlsafe(32)``: 256 random bits, 43 URL-safe characters. Only its
SHA-256 is stored, as the link's ``_id``, so whoever reads the database cannot open a page,
and the plain token exists only in the answer (or e-mail) that hands it out: it cannot be
shown again, so each share issues a fresh token, and older ones stay valid until revoked.
A revoked link keeps its document (``revoked_at`` set) until its target is deleted.
"""

import hashlib
import re
import secrets

from ..common.timeutil import utcnow
from ..db import collection
from . import PUBLIC_LINKS

TOKEN_BYTES = 32
# What ``token_urlsafe(TOKEN_BYTES)`` produces; anything else is not looked up at all.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def token_hash(token):
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def issue(user_id, kind, target_id):
    """A new link to ``kind``'s document ``target_id``; returns (token, link document)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = {
        "_id": token_hash(token),
        "user_id": user_id,
        "kind": kind,
        "target_id": target_id,
        "created_at": utcnow(),
        "revoked_at": None,
    }
    collection(PUBLIC_LINKS).insert_one(link)
    return token, link


def resolve(token, kind):
    """The live link of ``kind`` this token opens, or None (malformed, unknown, revoked, or
    a link to another kind of document)."""
    if not isinstance(token, str) or not TOKEN_SHAPE.match(token):
        return None
    link = collection(PUBLIC_LINKS).find_one({"_id": token_hash(token)})
    if link is None or link["kind"] != kind or link["revoked_at"] is not None:
        return None
    return link


def revoke_all(kind, target_id):
    """Revoke every live link to the document; returns how many were live."""
    result = collection(PUBLIC_LINKS).update_many(
        {"kind": kind, "target_id": target_id, "revoked_at": None}, {"$set": {"revoked_at": utcnow()}}
    )
    return result.modified_count


def forget(kind, target_id):
    """Delete every link to a document that is being deleted."""
    collection(PUBLIC_LINKS).delete_many({"kind": kind, "target_id": target_id})
