"""Expense rules and queries.

Amounts are stored in the currency's minor units, the markup in ten-thousandths of a percent
(``pricing``). References (client, project, category, receipt) are the caller's own (422
otherwise) and are re-checked after the write (``common.references``), so a deletion running
at the same moment cannot leave one dangling. ``client_id`` comes from the project when only
the project is given. Once billed (``invoice_id`` set by ``expenses.claims``), the fields an
invoice line was made from are locked (409); vendor, notes, category and receipt stay editable.
"""

from ..clients.service import client_names, client_stands, require_client
from ..common import lists, money, rates
from ..common.csvexport import CsvExport
from ..common.documents import delete_if, insert_owned, restore_fields, update_if
from ..common.exceptions import conflict, not_found, unprocessable
from ..common.locks import held
from ..common.ownership import get_owned_or_404
from ..common.references import withdraw_unless_all_stand
from ..common.timeutil import date_to_datetime, utcnow
from ..db import collection
from ..files.service import file_stands, require_file
from ..projects.store import project_stands, projects_by_id, require_project
from . import EXPENSES, categories, pricing
from .claims import EXPENSE_CLAIMS

COLLECTION = EXPENSES
SORTABLE = {"date", "amount", "vendor", "created_at", "updated_at"}
SEARCHABLE = ("vendor", "notes")
# What an invoice line is made of: fixed once the expense is billed.
BILLED_FIELDS = ("date", "amount", "currency", "markup_percent", "billable", "client_id", "project_id")
REFERENCES = (
    ("client_id", "client", client_stands),
    ("project_id", "project", project_stands),
    ("category_id", "category", categories.category_stands),
    ("receipt_file_id", "file", file_stands),
)
CSV_COLUMNS = (
    "date", "vendor", "category", "currency", "amount", "markup_percent", "amount_with_markup", "billable",
    "client", "project", "notes", "receipt_file_id", "invoice_id",
)


def _get(user_id, expense_id):
    return get_owned_or_404(COLLECTION, expense_id, user_id, "Expense")


def views(user_id, expenses):
    """Stored expenses with their category names (one query for all of them)."""
    names = categories.names(user_id, [e.get("category_id") for e in expenses])
    return [{**expense, "category": names.get(expense.get("category_id"))} for expense in expenses]


def _minor_amount(amount, currency):
    minor = money.to_minor(amount, currency)
    if minor <= 0:
        smallest = money.from_minor(1, currency)
        unprocessable("amount", f"Must be at least {money.plain(smallest, 0)} {currency}.")
    return minor


def _links(user_id, client_id, project_id):
    """(client_id, project_id) of a body: the caller's, the project of that client; the
    project's client when only the project is given."""
    client = require_client(user_id, client_id, projection={"_id": 1})
    project = require_project(user_id, project_id, projection={"client_id": 1})
    if project is None:
        return (client["_id"] if client else None), None
    if client is None:
        return project.get("client_id"), project["_id"]
    if project.get("client_id") != client["_id"]:
        unprocessable("project_id", "This project belongs to another client (or to none).")
    return client["_id"], project["_id"]


def _money(user, changes, current):
    """Stored currency, amount and markup a body sets; changing only the currency restates the
    amount at the new currency's precision."""
    stored = {}
    currency = current.get("currency")
    if "currency" in changes or not current:
        currency = stored["currency"] = changes.get("currency") or rates.user_defaults(user)[1]
    if "amount" in changes:
        stored["amount"] = _minor_amount(changes["amount"], currency)
    elif current and currency != current["currency"]:
        stored["amount"] = _minor_amount(money.from_minor(current["amount"], current["currency"]), currency)
    if "markup_percent" in changes or not current:
        stored["markup_percent"] = pricing.markup_to_store(changes.get("markup_percent"))
    return stored


def _references(user_id, changes, current):
    """Stored category, client, project and receipt a body sets, each the caller's (422)."""
    stored = {}
    if "category_id" in changes or "category" in changes:
        stored["category_id"] = categories.resolve(user_id, changes.get("category_id"), changes.get("category"))
    if "client_id" in changes or "project_id" in changes:
        project_id = changes["project_id"] if "project_id" in changes else current.get("project_id")
        if "client_id" in changes:
            client_id = changes["client_id"]
        else:  # a new project brings its client; clearing the project keeps the client
            client_id = None if changes.get("project_id") is not None else current.get("client_id")
        stored["client_id"], stored["project_id"] = _links(user_id, client_id, project_id)
    if "receipt_file_id" in changes:
        receipt = require_file(user_id, changes["receipt_file_id"], "receipt", "receipt_file_id")
        stored["receipt_file_id"] = receipt["_id"] if receipt else None
    return stored


def _stored(user, changes, current=None):
    """The stored fields a body sets (``current``: the stored expense, on an update)."""
    current = current or {}
    stored = {name: changes[name] for name in ("vendor", "notes", "billable") if name in changes}
    if "date" in changes:
        stored["date"] = date_to_datetime(changes["date"])
    stored.update(_money(user, changes, current))
    stored.update(_references(user["_id"], changes, current))
    merged = {**current, **stored}
    if merged.get("billable") and merged.get("client_id") is None:
        unprocessable("billable", "A billable expense needs a client_id (the client it is billed to).")
    return stored


def _check_references(stored, withdraw):
    """After a write: every reference it made must still stand, else it is withdrawn (422)."""
    checks = [(stands(stored[field]), field, what) for field, what, stands in REFERENCES if field in stored]
    withdraw_unless_all_stand(checks, withdraw)


def create_expense(user, data):
    user_id = user["_id"]
    stored = _stored(user, data)
    doc = {
        "category_id": None, "vendor": None, "notes": None, "client_id": None, "project_id": None,
        "billable": False, "receipt_file_id": None, **stored, "invoice_id": None, "invoiced_at": None,
    }
    expense = insert_owned(COLLECTION, user_id, doc)
    undo = lambda: collection(COLLECTION).delete_one({"_id": expense["_id"], "user_id": user_id})  # noqa: E731
    _check_references(stored, undo)
    return views(user_id, [expense])[0]


def get_expense(user_id, expense_id):
    return views(user_id, [_get(user_id, expense_id)])[0]


def _lock(expense):
    """Serialises writes to one expense (see ``common.locks``)."""
    return held(f"expense:{expense['_id']}", "This expense")


def _billed(expense):
    conflict(
        f"Expense is billed (invoice {expense['invoice_id']}): its amount, currency, markup, date, billable flag, "
        "client and project are locked; delete or void the invoice to change them"
    )


def update_expense(user, expense_id, changes):
    """Partial update; the fields an invoice line was made of are locked once billed (409)."""
    user_id = user["_id"]
    expense = _get(user_id, expense_id)
    with _lock(expense):
        expense = _get(user_id, expense_id)
        stored = _stored(user, changes, expense)
        moved = [name for name in BILLED_FIELDS if name in stored and stored[name] != expense.get(name)]
        if moved and expense.get("invoice_id") is not None:
            _billed(expense)
        if moved:
            with EXPENSE_CLAIMS.reserved(expense["_id"], user_id, "Expense"):
                updated = update_if(COLLECTION, expense["_id"], user_id, stored, {"invoice_id": None})
        else:
            updated = update_if(COLLECTION, expense["_id"], user_id, stored)
        if updated is None:
            not_found("Expense")
        _check_references(stored, lambda: restore_fields(COLLECTION, expense, stored))
    return views(user_id, [updated])[0]


def delete_expense(user_id, expense_id):
    """Delete an expense that is not billed (409 while an invoice bills it)."""
    expense = _get(user_id, expense_id)
    with _lock(expense):
        expense = _get(user_id, expense_id)
        if expense.get("invoice_id") is not None:
            _billed(expense)
        with EXPENSE_CLAIMS.reserved(expense["_id"], user_id, "Expense"):
            if not delete_if(COLLECTION, expense["_id"], user_id, {"invoice_id": None}):
                not_found("Expense")


def list_query(user_id, args):
    query = {"user_id": user_id}
    for name in ("client_id", "project_id", "category_id", "currency"):
        if args.get(name) is not None:
            query[name] = args[name]
    if args.get("category") is not None and "category_id" not in query:
        found = categories.find_by_name(user_id, args["category"])
        query["category_id"] = found["_id"] if found else {"$in": []}
    if "billable" in args:
        query["billable"] = args["billable"]
    if "billed" in args:
        query["invoice_id"] = {"$ne": None} if args["billed"] else None
    query.update(lists.date_range("date", args.get("from_"), args.get("to")))  # calendar dates: UTC midnight
    query.update(lists.text_search(args.get("q"), SEARCHABLE))
    return query


def list_expenses(user_id, args):
    docs, headers = lists.find_page(COLLECTION, list_query(user_id, args), args, SORTABLE)
    return views(user_id, docs), headers


def _csv_rows(user_id, args):
    """One row per expense, by date; names of categories, clients and projects looked up once."""
    names = categories.names(user_id)
    clients = client_names(user_id)
    cursor = collection(COLLECTION).find(list_query(user_id, args)).sort([("date", 1), ("_id", 1)])
    projects = {}
    for expense in cursor:
        project_id = expense.get("project_id")
        if project_id is not None and project_id not in projects:
            projects.update(projects_by_id(user_id, [project_id], {"name": 1}))
        currency = expense["currency"]
        yield (
            expense["date"].date().isoformat(),
            expense.get("vendor"),
            names.get(expense.get("category_id")),
            currency,
            money.plain(money.from_minor(expense["amount"], currency), money.exponent(currency)),
            money.plain(pricing.markup_from_store(expense.get("markup_percent")), 0),
            money.plain(pricing.billed_price(expense), money.exponent(currency)),
            bool(expense.get("billable")),
            clients.get(expense.get("client_id")),
            (projects.get(project_id) or {}).get("name"),
            expense.get("notes"),
            expense.get("receipt_file_id"),
            expense.get("invoice_id"),
        )


def export_csv(user_id, args):
    return CsvExport(CSV_COLUMNS, _csv_rows(user_id, args), f"expenses-{utcnow().date().isoformat()}.csv")
