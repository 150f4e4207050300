"""Expense figures for reports, per currency (amounts in different currencies are never added).

``totals_by_currency`` is what the revenue report calls (``reports.service.revenue``): one
indexed query on (user_id, date), summed in Python in minor units, so nothing drifts. Expense
dates are calendar dates, so like invoice dates they are not shifted by a time zone; a bound
given as an instant counts by its local date in ``tz``. Profit per currency is revenue minus
``total`` (``profit_by_currency``).
"""

from datetime import datetime

from ..common import money
from ..common.timeutil import UTC, date_to_datetime, end_of_day, local_date
from ..db import collection
from . import EXPENSES, pricing

FIELDS = {"amount": 1, "currency": 1, "billable": 1, "invoice_id": 1, "markup_percent": 1}
FIGURES = ("total", "billable", "billed", "billed_with_markup", "unbilled_with_markup")


def _day(bound, tz):
    """A calendar date from a date or an aware instant (its date in ``tz``)."""
    return local_date(bound, tz) if isinstance(bound, datetime) else bound


def _empty(currency):
    zero = money.quantize(0, currency)
    return {"count": 0, **{name: zero for name in FIGURES}}


def totals_by_currency(user_id, start=None, end=None, tz=None):
    """{currency: {count, total, billable, billed, billed_with_markup, unbilled_with_markup}} of
    the user's expenses dated from ``start`` to ``end`` (inclusive; dates or aware instants;
    None: open). ``total`` is everything spent; ``billable`` the part to be billed on;
    ``billed`` the part on invoices, and ``billed_with_markup`` what those invoices charge for
    it; ``unbilled_with_markup`` what billable expenses not yet invoiced will bring. Decimals."""
    tz = tz or UTC
    window = {}
    if start is not None:
        window["$gte"] = date_to_datetime(_day(start, tz))
    if end is not None:
        window["$lt"] = end_of_day(_day(end, tz))
    query = {"user_id": user_id, **({"date": window} if window else {})}
    totals = {}
    for expense in collection(EXPENSES).find(query, FIELDS):
        currency = expense["currency"]
        row = totals.setdefault(currency, _empty(currency))
        amount = money.from_minor(expense["amount"], currency)
        row["count"] += 1
        row["total"] += amount
        if expense.get("billable"):
            row["billable"] += amount
            if expense.get("invoice_id") is not None:
                row["billed"] += amount
                row["billed_with_markup"] += pricing.billed_price(expense)
            else:
                row["unbilled_with_markup"] += pricing.billed_price(expense)
    return totals


def profit_by_currency(revenue, expenses):
    """{currency: revenue - expenses total} for every currency in either (``revenue``:
    {currency: Decimal}; ``expenses``: what ``totals_by_currency`` returns)."""
    currencies = sorted(set(revenue) | set(expenses))
    return {
        currency: money.quantize(revenue.get(currency, 0), currency)
        - expenses.get(currency, _empty(currency))["total"]
        for currency in currencies
    }
