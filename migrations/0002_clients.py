"""Client list indexes: every list and filter starts with user_id."""

from pymongo import ASCENDING


def up(db):
    db.clients.create_index(
        [("user_id", ASCENDING), ("archived", ASCENDING), ("created_at", ASCENDING)], name="user_archived_created"
    )
    db.clients.create_index(
        [("user_id", ASCENDING), ("archived", ASCENDING), ("name", ASCENDING)], name="user_archived_name"
    )
