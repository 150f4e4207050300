"""Billing expenses on a draft (``POST /from-time`` with ``expense_ids`` or
``include_expenses``): each expense becomes a line of quantity 1 at its marked-up price
(``expenses.pricing``), in the invoice's currency only (no conversion: 422 otherwise).
Expenses are claimed like time entries (``expenses.claims``), by ``from_time.bill_time``."""

from decimal import Decimal

from ..common.exceptions import conflict, unprocessable
from ..common.timeutil import date_to_datetime, end_of_day
from ..expenses import categories, pricing
from ..expenses.claims import unbilled_expenses

ONE = Decimal(1)


def _ids(expenses):
    return ", ".join(str(e["_id"]) for e in expenses)


def candidates(user_id, client, project, data, currency):
    """Ids of the expenses the body selects: ``expense_ids`` (each must be billable here), or
    with ``include_expenses`` every unbilled billable one of the client (and project) dated in
    from/to; 422 for any in another currency than the invoice's."""
    wanted = data.get("expense_ids")
    if not wanted and not data.get("include_expenses"):
        return []
    found = unbilled_expenses(
        user_id,
        client["_id"],
        project_id=project["_id"] if project else None,
        expense_ids=wanted,
        start=date_to_datetime(data["from_"]) if data.get("from_") else None,
        end=end_of_day(data["to"]) if data.get("to") else None,
    )
    missing = set(wanted or []) - {e["_id"] for e in found}
    if missing:
        unprocessable(
            "expense_ids",
            "Not billable here (not yours, another client's or project's, not billable or billed already): "
            + ", ".join(sorted(str(i) for i in missing))
            + ".",
        )
    _same_currency(found, currency)
    return [e["_id"] for e in found]


def _same_currency(expenses, currency):
    other = [e for e in expenses if e["currency"] != currency]
    if other:
        unprocessable(
            "expense_ids",
            f"In another currency than the invoice ({currency}): {_ids(other)}; bill them on an invoice in theirs.",
        )


def description(expense, category):
    """``Expense: <vendor> – <category> (<date>)``, leaving out what the expense lacks."""
    label = " – ".join(part for part in (expense.get("vendor"), category) if part)
    day = expense["date"].date().isoformat()
    return f"Expense: {label} ({day})" if label else f"Expense ({day})"


def lines(expenses, user_id, client_id, currency):
    """One line per claimed expense, by date. Re-checked on the claimed documents, because an
    expense may have changed between selection and claim."""
    _same_currency(expenses, currency)
    changed = [e for e in expenses if not e.get("billable") or e.get("client_id") != client_id]
    if changed:
        conflict(f"Expenses changed meanwhile ({_ids(changed)}); reload and try again")
    names = categories.names(user_id, [e.get("category_id") for e in expenses])
    items = []
    for expense in sorted(expenses, key=lambda e: (e["date"], e["_id"])):
        price = pricing.billed_price(expense)
        items.append(
            {
                "description": description(expense, names.get(expense.get("category_id")))[:1000],
                "quantity": ONE,
                "rate": price,
                "billed_amount": price,
                "expense_ids": [expense["_id"]],
            }
        )
    return items
