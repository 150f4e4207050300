"""Estimates: numbers unique per user (the arbiter of the ``EST-`` counter); lists by creation,
issue date, status and validity, client and project, every index starting with user_id; the
message log per estimate (user_id, estimate_id, created_at)."""

from pymongo import ASCENDING


def up(db):
    if "estimate_counters" not in set(db.list_collection_names()):
        db.create_collection("estimate_counters")
    estimates = db.estimates
    estimates.create_index(
        [("user_id", ASCENDING), ("estimate_number", ASCENDING)], unique=True, name="user_number_unique"
    )
    estimates.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    estimates.create_index([("user_id", ASCENDING), ("date", ASCENDING)], name="user_date")
    estimates.create_index(
        [("user_id", ASCENDING), ("status", ASCENDING), ("valid_until", ASCENDING)], name="user_status_valid"
    )
    for field in ("client_id", "project_id"):
        estimates.create_index(
            [("user_id", ASCENDING), (field, ASCENDING), ("created_at", ASCENDING)],
            name=f"user_{field.removesuffix('_id')}_created",
        )
    db.messages.create_index(
        [("user_id", ASCENDING), ("estimate_id", ASCENDING), ("created_at", ASCENDING)], name="user_estimate_created"
    )
