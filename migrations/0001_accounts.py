"""Indexes the accounts need: unique email and revoked-token expiry.

FerretDB 1.24 has no TTL indexes, so expired revocations are purged by the app
(on logout) instead of by ``expireAfterSeconds``.
"""

from pymongo import ASCENDING


def up(db):
    db.users.create_index([("email", ASCENDING)], unique=True, name="email_unique")
    db.revoked_tokens.create_index([("expires_at", ASCENDING)], name="expires_at")
