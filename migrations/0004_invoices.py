"""Invoice indexes: unique number per user, list/filter indexes starting with user_id,
payments by invoice and by date, and the collections numbering and claims rely on."""

from pymongo import ASCENDING


def up(db):
    existing = set(db.list_collection_names())
    for name in ("counters", "locks", "time_entry_claims"):
        if name not in existing:
            db.create_collection(name)
    db.invoices.create_index(
        [("user_id", ASCENDING), ("invoice_number", ASCENDING)], unique=True, name="user_invoice_number_unique"
    )
    db.invoices.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    db.invoices.create_index(
        [("user_id", ASCENDING), ("status", ASCENDING), ("due_date", ASCENDING)], name="user_status_due"
    )
    db.invoices.create_index(
        [("user_id", ASCENDING), ("client_id", ASCENDING), ("created_at", ASCENDING)], name="user_client_created"
    )
    db.invoices.create_index([("user_id", ASCENDING), ("date", ASCENDING)], name="user_date")
    db.invoices.create_index([("status", ASCENDING), ("due_date", ASCENDING)], name="status_due")  # mark-overdue
    db.payments.create_index([("user_id", ASCENDING), ("invoice_id", ASCENDING)], name="user_invoice")
    db.payments.create_index(
        [("user_id", ASCENDING), ("date", ASCENDING), ("currency", ASCENDING)], name="user_date_currency"
    )
    db.time_entry_claims.create_index([("user_id", ASCENDING), ("invoice_id", ASCENDING)], name="user_invoice")
