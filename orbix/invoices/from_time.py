"""Billing tracked time (and expenses): a draft invoice from unbilled, billable, stopped
entries, and from billable expenses when the body asks (``from_expenses``).

Entries and expenses are claimed (``common.claims``) before the invoice is written and
released if it cannot be written, so two concurrent calls never bill one twice. Each entry
is billed at its effective rate with the shared billing rule (``common.rates``).
"""

from collections import OrderedDict
from decimal import Decimal

from bson import ObjectId

from ..clients.service import require_client
from ..common import money, rates
from ..common.exceptions import conflict, unprocessable
from ..common.timeutil import date_to_datetime, end_of_day
from ..expenses.claims import EXPENSE_CLAIMS
from ..projects.store import projects_by_id, require_project
from ..time_tracking import claims
from . import from_expenses, service

SECONDS_PER_HOUR = Decimal(3600)


def client_and_project(user_id, data):
    """The client and project a body names; the project must belong to that client (422)."""
    project = require_project(user_id, data.get("project_id"))
    client_id = data.get("client_id")
    if project is not None:
        if client_id is not None and project.get("client_id") != client_id:
            unprocessable("project_id", "This project belongs to another client.")
        client_id = client_id or project.get("client_id")
        if client_id is None:
            unprocessable("client_id", "This project has no client; give client_id.")
    client = require_client(user_id, client_id)
    return client, project


def _candidates(user_id, client, project, data):
    """Ids of the unbilled entries the body selects (client, project, ids, day range)."""
    return claims.unbilled_entry_ids(
        user_id,
        client["_id"],
        project_id=project["_id"] if project else None,
        entry_ids=data.get("entry_ids"),
        start=date_to_datetime(data["from_"]) if data.get("from_") else None,
        end=end_of_day(data["to"]) if data.get("to") else None,  # saturates: to=9999-12-31 has no next day
    )


def _hours(seconds):
    return (Decimal(seconds) / SECONDS_PER_HOUR).quantize(Decimal("0.0001"))


def _rated(entries, client, user):
    """(entry, rate) pairs; 422 listing entries that have no rate anywhere."""
    projects = projects_by_id(user["_id"], [e.get("project_id") for e in entries])
    rated, missing = [], []
    for entry in entries:
        rate, _source = rates.effective_rate(entry, projects.get(entry.get("project_id")), client, user)
        if rate is None:
            missing.append(entry)
        else:
            rated.append((entry, rate))
    if missing:
        unprocessable(
            "entry_ids",
            "No hourly rate for entries "
            + ", ".join(str(e["_id"]) for e in missing)
            + "; set one on the entry, project, client or your settings.",
        )
    return rated, projects


def _group_key(entry, rate, grouping):
    if grouping == "entry":
        return entry["_id"]
    if grouping == "project":
        return (entry.get("project_id"), rate)
    return rate


def _description(group, grouping, projects, currency, rates_per_project):
    first = group[0][0]
    rate = group[0][1]
    if grouping == "entry":
        day = first["start_time"].date().isoformat()
        return f"{first.get('description') or 'Time'} ({day})"
    per_hour = f"{money.format_amount(rate, currency)}/h"
    if grouping == "rate":
        return f"Time at {per_hour}"
    project = projects.get(first.get("project_id"))
    name = (project or {}).get("name") or "Time without a project"
    return f"{name} at {per_hour}" if rates_per_project[first.get("project_id")] > 1 else name


def lines(entries, grouping, client, user, currency):
    """Invoice lines: quantity in hours, the effective rate, the amount by the billing rule."""
    rated, projects = _rated(sorted(entries, key=lambda e: (e["start_time"], e["_id"])), client, user)
    groups = OrderedDict()
    for entry, rate in rated:
        groups.setdefault(_group_key(entry, rate, grouping), []).append((entry, rate))
    rates_per_project = {}
    for project_id, _rate in {(e.get("project_id"), r) for e, r in rated}:
        rates_per_project[project_id] = rates_per_project.get(project_id, 0) + 1
    items = []
    for group in groups.values():
        seconds = sum(int(entry["duration"]) for entry, _ in group)
        items.append(
            {
                "description": _description(group, grouping, projects, currency, rates_per_project)[:1000],
                "quantity": max(_hours(seconds), Decimal("0.0001")),
                "rate": group[0][1],
                "billed_amount": sum((rates.entry_amount(entry, rate, currency) for entry, rate in group), Decimal(0)),
                "time_entry_ids": [entry["_id"] for entry, _ in group],
            }
        )
    return items


def exchange_rate(source, currency, rate):
    """The rate from the time's currency to the invoice's (None when they are the same);
    refuses to relabel an amount."""
    if currency == source:
        if rate is not None and rate != 1:
            unprocessable("exchange_rate", f"Only for an invoice in another currency than the time's ({source}).")
        return None
    if rate is None:
        unprocessable(
            "currency",
            f"The time is priced in {source}; an invoice in {currency} needs exchange_rate ({currency} per {source}).",
        )
    if rate <= 0:
        unprocessable("exchange_rate", "Must be greater than 0.")
    return rate


def _converted(item, rate, currency):
    """A line priced in the time's currency, in the invoice's: exact Decimal, rounded once."""
    amount = money.quantize(item["billed_amount"] * rate, currency)
    return {**item, "rate": item["rate"] * rate, "billed_amount": amount}


def _selected_entries(user_id, client, project, data):
    """The entries to bill: none with ``include_time: false``; 422 for a wanted one that is
    not billable here."""
    if not data.get("include_time", True):
        return []
    candidates = _candidates(user_id, client, project, data)
    wanted = set(data.get("entry_ids") or [])
    if wanted - set(candidates):
        bad = ", ".join(sorted(str(i) for i in wanted - set(candidates)))
        unprocessable(
            "entry_ids",
            f"Not billable here (not yours, another client's, running, non-billable or already invoiced): {bad}.",
        )
    return candidates


def claim_time(entry_ids, invoice_id, user_id):
    """Claim the free ones of ``entry_ids`` for ``invoice_id`` (before writing it); the set claimed."""
    return claims.claim(entry_ids, invoice_id, user_id, service.invoice_exists)


def _claim(user_id, invoice_id, data, entry_ids, expense_ids):
    """Claim the selection: 409 (nothing kept) if any wanted item, or everything, went to
    another invoice meanwhile; a sweep (no ids given) bills what is left of it."""
    claimed = claim_time(entry_ids, invoice_id, user_id)
    claimed_expenses = EXPENSE_CLAIMS.claim(expense_ids, invoice_id, user_id, service.invoice_exists)
    wanted_entries, wanted_expenses = set(data.get("entry_ids") or []), set(data.get("expense_ids") or [])
    if (
        not (claimed or claimed_expenses)
        or (wanted_entries and claimed != wanted_entries)
        or (wanted_expenses and claimed_expenses != wanted_expenses)
    ):
        _release(user_id, invoice_id, claimed, claimed_expenses)
        conflict("These time entries or expenses were just billed by another invoice; reload and try again")
    return claimed, claimed_expenses


def _release(user_id, invoice_id, entry_ids, expense_ids):
    claims.release_entries(entry_ids, invoice_id, user_id)
    EXPENSE_CLAIMS.release(expense_ids, invoice_id, user_id)


def write_claimed(user, client, project, data, currency, claimed, invoice_id, exchange=None, fixed_items=(),
                  claimed_expenses=(), **extra):
    """Write the draft ``invoice_id``: ``fixed_items`` (input lines), then a line per claimed entry
    (``data["grouping"]``, default entry) at its effective rate, then a line per claimed expense.
    If it cannot be written, the entries and expenses are released, so none stays marked by an
    invoice that does not exist."""
    user_id = user["_id"]
    source = rates.billing_currency(client, user)
    try:
        entries = claims.claimed_entries(claimed, invoice_id)
        items = lines(entries, data.get("grouping", "entry"), client, user, source) if entries else []
        exchange = exchange if entries else None  # the time went to another invoice meanwhile
        if exchange is not None:
            items = [_converted(item, exchange, currency) for item in items]
        if claimed_expenses:
            expenses = EXPENSE_CLAIMS.claimed(claimed_expenses, invoice_id)
            items += from_expenses.lines(expenses, user_id, client["_id"], currency)
        return service.new_invoice(
            user,
            client,
            data,
            [*fixed_items, *items],
            currency,
            _id=invoice_id,
            project_id=project["_id"] if project else None,
            time_entry_ids=[entry_id for item in items for entry_id in item.get("time_entry_ids", ())],
            expense_ids=[expense_id for item in items for expense_id in item.get("expense_ids", ())],
            exchange_rate=None if exchange is None else str(exchange),
            exchange_from=None if exchange is None else source,
            **extra,
        )
    except BaseException:
        _release(user_id, invoice_id, claimed, claimed_expenses)
        raise


def bill_time(user, data):
    """POST /from-time: claim the entries and expenses, write the draft, release the claims if
    that fails."""
    user_id = user["_id"]
    client, project = client_and_project(user_id, data)
    currency = service.invoice_currency(data, client, user)
    entry_ids = _selected_entries(user_id, client, project, data)
    expense_ids = from_expenses.candidates(user_id, client, project, data, currency)
    if not entry_ids and not expense_ids:
        unprocessable("client_id", "No unbilled, billable, stopped time entries (or billable expenses) match.")
    source = rates.billing_currency(client, user)
    exchange = exchange_rate(source, currency, data.get("exchange_rate")) if entry_ids else None
    invoice_id = ObjectId()
    claimed, claimed_expenses = _claim(user_id, invoice_id, data, entry_ids, expense_ids)
    invoice = write_claimed(user, client, project, data, currency, claimed, invoice_id, exchange,
                            claimed_expenses=claimed_expenses)
    return service.present(invoice, user)
