"""Expenses, their categories and claims, and stored files (GridFS bucket ``files``).

Indexes first, every list starting with user_id: expenses by creation, date, client, project,
billing state, category and receipt (the last two count references before a deletion);
categories unique per user by case-folded name; claims by invoice (release on void or delete).
GridFS's own indexes (files by name and date, chunks unique by file and number) are created
here under the names PyMongo gives them, so its first upload finds them in place."""

from pymongo import ASCENDING


def up(db):
    existing = set(db.list_collection_names())
    for name in ("expense_claims", "expense_category_defaults", "file_writes"):
        if name not in existing:
            db.create_collection(name)
    expenses = db.expenses
    expenses.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    expenses.create_index([("user_id", ASCENDING), ("date", ASCENDING)], name="user_date")
    for field in ("client_id", "project_id", "invoice_id"):
        name = f"user_{field.removesuffix('_id')}_date"
        expenses.create_index([("user_id", ASCENDING), (field, ASCENDING), ("date", ASCENDING)], name=name)
    expenses.create_index([("user_id", ASCENDING), ("category_id", ASCENDING)], name="user_category")
    expenses.create_index([("user_id", ASCENDING), ("receipt_file_id", ASCENDING)], name="user_receipt")
    db.expense_claims.create_index([("user_id", ASCENDING), ("invoice_id", ASCENDING)], name="user_invoice")
    categories = db.expense_categories
    categories.create_index(
        [("user_id", ASCENDING), ("name_key", ASCENDING)], unique=True, name="user_name_unique"
    )
    categories.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    files = db["files.files"]
    files.create_index([("filename", ASCENDING), ("uploadDate", ASCENDING)], name="filename_1_uploadDate_1")
    files.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    files.create_index(
        [("user_id", ASCENDING), ("purpose", ASCENDING), ("created_at", ASCENDING)], name="user_purpose_created"
    )
    db["files.chunks"].create_index(
        [("files_id", ASCENDING), ("n", ASCENDING)], unique=True, name="files_id_1_n_1"
    )
    db.file_writes.create_index([("started_at", ASCENDING)], name="started")
    db.file_writes.create_index([("user_id", ASCENDING)], name="user_id")
