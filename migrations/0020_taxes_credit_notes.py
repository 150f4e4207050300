"""Tax rates and credit notes.

Indexes first, every list starting with user_id: tax rates by creation; credit notes by
creation, date and invoice, and unique by (user_id, credit_note_number), the final arbiter
of their numbering (``invoices.numbering``); the credit note report ledger by user (account
deletion). There were no credit notes before, so the ledger starts empty."""

from pymongo import ASCENDING


def up(db):
    existing = set(db.list_collection_names())
    for name in ("tax_rates", "credit_notes", "credit_note_ledger"):
        if name not in existing:
            db.create_collection(name)
    db.tax_rates.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    notes = db.credit_notes
    notes.create_index(
        [("user_id", ASCENDING), ("credit_note_number", ASCENDING)], unique=True, name="user_number_unique"
    )
    notes.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    notes.create_index([("user_id", ASCENDING), ("date", ASCENDING)], name="user_date")
    notes.create_index([("user_id", ASCENDING), ("invoice_id", ASCENDING)], name="user_invoice")
    db.credit_note_ledger.create_index([("user_id", ASCENDING)], name="user_id")
