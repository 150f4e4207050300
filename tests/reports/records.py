"""Records the report and dashboard tests build on.

Time entries and projects go straight into the database in the stored model (so a test can
place an entry anywhere in time, running or already invoiced; the entry's ledger row is
refreshed as the service would); invoices go through the API.
"""

from datetime import timedelta

from bson import ObjectId

from orbix.common import money
from orbix.time_tracking.ledger import LEDGER
from tests.factories import make_invoice


def add_entry(
    db, user, start, hours, client_id=None, project_id=None, rate=None, billable=True, running=False, invoiced=False
):
    """The id of a time entry of ``hours`` from ``start``."""
    seconds = round(hours * 3600)
    doc = {
        "user_id": ObjectId(user["id"]),
        "description": "Work",
        "project_id": project_id and ObjectId(project_id),
        "client_id": client_id and ObjectId(client_id),
        "start_time": start,
        "end_time": None if running else start + timedelta(seconds=seconds),
        "duration": 0 if running else seconds,
        "is_billable": billable,
        "hourly_rate": money.rate_to_store(rate),
        "tags": [],
        "invoice_id": ObjectId() if invoiced else None,
        "invoiced_at": None,
        "created_at": start,
        "updated_at": start,
    }
    entry_id = db.time_entries.insert_one(doc).inserted_id
    LEDGER.refresh(db, doc["user_id"], [entry_id])  # written behind the service's back: tell the ledger
    return str(entry_id)


def add_project(db, user, client_id, name, rate=None, status="active"):
    """The id of a project of ``client_id``."""
    return str(
        db.projects.insert_one(
            {
                "user_id": ObjectId(user["id"]),
                "name": name,
                "client_id": ObjectId(client_id),
                "status": status,
                "hourly_rate": money.rate_to_store(rate),
                "budget": None,
                "currency": None,
                "archived": False,
            }
        ).inserted_id
    )


def issued(client, auth, client_id, amount, day, due=None, status="sent", **fields):
    """An invoice of ``amount`` dated ``day``, moved to ``status``."""
    items = [{"description": "Work", "quantity": 1, "rate": amount}]
    return make_invoice(client, auth, client_id, status=status, items=items, date=day, due_date=due or day, **fields)
