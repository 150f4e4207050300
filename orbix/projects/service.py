"""Project rules and queries.

A project's money is in its currency, fixed at write time: the client's billing
currency, else the user's default, else USD. The budget is stored in that
currency's minor units.
"""

from ..clients.service import client_stands, require_client
from ..common import lists, money, rates
from ..common.documents import delete_owned, insert_owned, restore_fields, update_owned
from ..common.exceptions import unprocessable
from ..common.ownership import get_owned_or_404
from ..common.references import delete_unreferenced, withdraw_unless
from ..common.timeutil import date_to_datetime
from ..estimates import ESTIMATES
from ..expenses import EXPENSES
from ..invoices import INVOICES
from ..recurring import RECURRING_INVOICES
from ..time_tracking import TIME_ENTRIES, billing
from .store import COLLECTION

SORTABLE = {"name", "status", "start_date", "end_date", "created_at", "updated_at"}
SEARCHABLE = ("name", "description")
REFERRERS = (
    (TIME_ENTRIES, "time entry", "time entries"),
    (INVOICES, "invoice", "invoices"),
    (RECURRING_INVOICES, "recurring invoice", "recurring invoices"),
    (EXPENSES, "expense", "expenses"),
    (ESTIMATES, "estimate", "estimates"),
)
DATE_FIELDS = ("start_date", "end_date")


def render(project):
    """The stored project with its budget back in major units."""
    view = dict(project)
    view["budget"] = money.from_minor(project.get("budget"), project["currency"])
    return view


def _stored(fields, currency):
    """Body fields as stored: budget in minor units, calendar dates as UTC midnights."""
    doc = dict(fields)
    if "budget" in doc:
        doc["budget"] = None if doc["budget"] is None else money.to_minor(doc["budget"], currency)
    for name in DATE_FIELDS:
        if name in doc:
            doc[name] = date_to_datetime(doc[name])
    return doc


def list_projects(user_id, args):
    query = {"user_id": user_id, "archived": bool(args.get("archived", False))}
    for name in ("client_id", "status"):
        if args.get(name) is not None:
            query[name] = args[name]
    query.update(lists.text_search(args.get("q"), SEARCHABLE))
    docs, headers = lists.find_page(COLLECTION, query, args, SORTABLE)
    return [render(doc) for doc in docs], headers


def create_project(user, data):
    currency = rates.billing_currency(require_client(user["_id"], data.get("client_id")), user)
    doc = _stored(data, currency)
    doc["currency"] = currency
    project = insert_owned(COLLECTION, user["_id"], doc)
    undo = lambda: delete_owned(COLLECTION, project["_id"], user["_id"])  # noqa: E731
    withdraw_unless(client_stands(project.get("client_id")), undo, "client_id", "client")
    return render(project)


def get_project(user_id, project_id):
    return get_owned_or_404(COLLECTION, project_id, user_id, "Project")


def project_with_consumption(user, project_id):
    project = get_project(user["_id"], project_id)
    return {**render(project), **billing.project_consumption(user, project)}


def update_project(user, project_id, changes):
    """Partial update. A new client may change the currency: the budget keeps its amount."""
    user_id = user["_id"]
    project = get_project(user_id, project_id)
    merged = {name: changes.get(name, project.get(name)) for name in DATE_FIELDS}
    start, end = (date_to_datetime(merged[name]) for name in DATE_FIELDS)
    if start and end and end < start:
        unprocessable("end_date", "Must not be before start_date.")
    currency = project["currency"]
    if "client_id" in changes:
        currency = rates.billing_currency(require_client(user_id, changes["client_id"]), user)
        if "budget" not in changes and currency != project["currency"]:
            changes["budget"] = money.from_minor(project.get("budget"), project["currency"])
    doc = _stored(changes, currency)
    doc["currency"] = currency
    updated = update_owned(COLLECTION, project["_id"], user_id, doc, "Project")
    if "client_id" in changes and changes["client_id"] != project.get("client_id"):
        undo = lambda: restore_fields(COLLECTION, project, doc)  # noqa: E731
        withdraw_unless(client_stands(changes["client_id"]), undo, "client_id", "client")
        billing.follow_project_client(user_id, project["_id"], changes["client_id"])
    return render(updated)


def delete_project(user_id, project_id):
    project = get_project(user_id, project_id)
    delete_unreferenced(COLLECTION, project["_id"], user_id, "project_id", REFERRERS, "Project")
