"""Personal access tokens: listed per user (user_id, created_at), found by their public id
(unique). Checking a presented token reads ``_id`` (its SHA-256), which needs no extra index."""

from pymongo import ASCENDING


def up(db):
    tokens = db.access_tokens
    tokens.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    tokens.create_index([("public_id", ASCENDING)], unique=True, name="public_id_unique")
