"""Recurring invoices: lists and filters start with user_id (by client, by project for the
"referenced by" count that guards project deletion); the hourly pass finds due schedules by
active + next_run_date across users. Runs are claimed by ``_id`` and listed per schedule;
invoices are listed per recurring invoice."""

from pymongo import ASCENDING


def _index(collection, *keys):
    collection.create_index([(key, ASCENDING) for key in keys], name="_".join(keys))


def up(db):
    if "recurring_runs" not in db.list_collection_names():
        db.create_collection("recurring_runs")
    schedules = db.recurring_invoices
    _index(schedules, "user_id", "created_at")
    _index(schedules, "user_id", "client_id", "created_at")
    _index(schedules, "user_id", "project_id")
    _index(schedules, "active", "next_run_date")
    _index(db.recurring_runs, "user_id", "recurring_invoice_id", "run_date")
    _index(db.invoices, "user_id", "recurring_invoice_id", "created_at")
