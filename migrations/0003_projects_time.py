"""Project and time-entry indexes: every list and filter starts with user_id.

The one-running-timer rule lives in ``running_timers`` keyed by ``_id = user_id``
(unique on every engine; FerretDB 1.24 has no partial indexes), so it needs no index.
"""

from pymongo import ASCENDING


def up(db):
    db.projects.create_index(
        [("user_id", ASCENDING), ("archived", ASCENDING), ("created_at", ASCENDING)], name="user_archived_created"
    )
    db.projects.create_index([("user_id", ASCENDING), ("client_id", ASCENDING)], name="user_client")
    db.projects.create_index(
        [("user_id", ASCENDING), ("archived", ASCENDING), ("status", ASCENDING)], name="user_archived_status"
    )
    entries = db.time_entries
    entries.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    entries.create_index([("user_id", ASCENDING), ("start_time", ASCENDING)], name="user_start")
    entries.create_index(
        [("user_id", ASCENDING), ("project_id", ASCENDING), ("start_time", ASCENDING)], name="user_project_start"
    )
    entries.create_index(
        [("user_id", ASCENDING), ("client_id", ASCENDING), ("start_time", ASCENDING)], name="user_client_start"
    )
    entries.create_index(
        [("user_id", ASCENDING), ("invoice_id", ASCENDING), ("start_time", ASCENDING)], name="user_invoice_start"
    )
    entries.create_index([("user_id", ASCENDING), ("end_time", ASCENDING)], name="user_end")
