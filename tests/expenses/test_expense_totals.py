"""``expenses.totals``: the per-currency figures reports will show (expenses and profit).

The data is made through HTTP; the function is called in the app, as the reports package
will call it."""

from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from bson import ObjectId

from orbix.expenses.totals import profit_by_currency, totals_by_currency
from tests.factories import expect, make_client, make_expense


def totals(app, user, *args, **kwargs):
    with app.app_context():
        return totals_by_currency(ObjectId(user["id"]), *args, **kwargs)


def test_totals_per_currency_split_spent_billable_and_billed(app, client, user, auth, other_auth):
    acme = make_client(client, auth, currency="EUR")["_id"]
    billed = make_expense(client, auth, client_id=acme, billable=True, currency="EUR", amount="19.99",
                          markup_percent="12.5")
    make_expense(client, auth, client_id=acme, billable=True, currency="EUR", amount="0.04", markup_percent="12.5")
    make_expense(client, auth, currency="EUR", amount="100.10")
    make_expense(client, auth, currency="JPY", amount=1234, markup_percent=10, date="2025-07-01")
    make_expense(client, other_auth, currency="EUR", amount=999)  # someone else's
    invoice = client.post(
        "/api/invoices/from-time",
        json={"client_id": acme, "expense_ids": [billed["_id"]], "include_time": False, "due_date": "2025-06-30",
              "date": "2025-06-01"},
        headers=auth,
    )
    expect(invoice)
    figures = totals(app, user)
    assert figures == {
        "EUR": {"count": 3, "total": Decimal("120.13"), "billable": Decimal("20.03"), "billed": Decimal("19.99"),
                "billed_with_markup": Decimal("22.49"), "unbilled_with_markup": Decimal("0.05")},
        "JPY": {"count": 1, "total": Decimal("1234"), "billable": Decimal("0"), "billed": Decimal("0"),
                "billed_with_markup": Decimal("0"), "unbilled_with_markup": Decimal("0")},
    }
    assert profit_by_currency({"EUR": Decimal("500"), "USD": Decimal("10")}, figures) == {
        "EUR": Decimal("379.87"), "JPY": Decimal("-1234"), "USD": Decimal("10.00"),
    }


def test_totals_count_expenses_dated_in_the_range_inclusive(app, client, user, auth):
    for day in ("2025-05-31", "2025-06-01", "2025-06-30", "2025-07-01"):
        make_expense(client, auth, date=day, amount=1)
    assert totals(app, user, date(2025, 6, 1), date(2025, 6, 30))["USD"]["count"] == 2
    assert totals(app, user, start=date(2025, 6, 1))["USD"]["count"] == 3
    assert totals(app, user, end=date(2025, 5, 31))["USD"]["count"] == 1
    # An instant counts by its local date: 23:30 UTC on 31 May is 1 June in Berlin.
    late_may = datetime(2025, 5, 31, 23, 30, tzinfo=timezone.utc)
    assert totals(app, user, late_may, late_may, tz=ZoneInfo("Europe/Berlin"))["USD"]["count"] == 1
    assert totals(app, user, late_may, late_may)["USD"]["count"] == 1
    assert totals(app, user, date(2026, 1, 1)) == {}
