"""Billing expenses: POST /api/invoices/from-time with ``expense_ids`` or ``include_expenses``.

Every client, project, time entry and expense is made through HTTP; the ``db`` fixture only
reads stored state."""

from datetime import datetime, timedelta, timezone

from bson import ObjectId

from orbix.common.timeutil import utcnow
from tests.concurrency import at_once
from tests.factories import (
    assert_error_shape,
    expect,
    make_client,
    make_expense,
    make_project,
    make_time_entry,
    set_invoice_status,
)

EXPENSES = "/api/expenses"
START = datetime(2025, 5, 5, 9, 0, tzinfo=timezone.utc)


def bill(client, auth, **body):
    return client.post(
        "/api/invoices/from-time", json={"due_date": "2025-06-30", "date": "2025-06-01", **body}, headers=auth
    )


def expense_of(client, auth, expense):
    return expect(client.get(f"{EXPENSES}/{expense['_id']}", headers=auth), 200)


def lines(invoice):
    return [(i["description"], i["quantity"], i["rate"], i["amount"]) for i in invoice["items"]]


def test_expenses_become_marked_up_lines_beside_the_time_with_exact_totals(client, auth, db):
    acme = make_client(client, auth, default_hourly_rate=80)["_id"]
    site = make_project(client, auth, client_id=acme, name="Site")["_id"]
    make_time_entry(client, auth, project_id=site, start_time=START, hours=1.5, description="Build")
    flight = make_expense(client, auth, client_id=acme, billable=True, amount="19.99", markup_percent="12.5",
                          category="Travel", vendor="Acme Air", date="2025-05-06")
    stamp = make_expense(client, auth, client_id=acme, billable=True, amount="0.04", markup_percent="12.5",
                         vendor=None, date="2025-05-02")
    invoice = expect(bill(client, auth, client_id=acme, expense_ids=[flight["_id"], stamp["_id"]],
                          tax_rate=7.5, discount_rate=10))
    assert lines(invoice) == [
        ("Build (2025-05-05)", 1.5, 80, 120),
        ("Expense (2025-05-02)", 1, 0.05, 0.05),  # 0.045 -> 0.05
        ("Expense: Acme Air – Travel (2025-05-06)", 1, 22.49, 22.49),  # 22.48875 -> 22.49
    ]
    # subtotal 142.54; discount 10% 14.254 -> 14.25; tax 7.5% of 128.29 = 9.62175 -> 9.62
    assert (invoice["subtotal"], invoice["discount"], invoice["tax"], invoice["total"]) == (142.54, 14.25, 9.62, 137.91)
    assert invoice["items"][2]["expense_ids"] == [flight["_id"]]
    assert sorted(invoice["expense_ids"]) == sorted([flight["_id"], stamp["_id"]])
    shown = expense_of(client, auth, flight)
    assert shown["invoice_id"] == invoice["_id"] and shown["invoiced_at"] is not None
    assert db.expense_claims.count_documents({"invoice_id": ObjectId(invoice["_id"])}) == 2


def test_yen_and_dinar_invoices_are_exact_in_their_minor_units(client, auth):
    tokyo = make_client(client, auth, name="Tokyo KK", currency="JPY")["_id"]
    for amount, markup in (("1234", "12.5"), ("1", "50")):
        make_expense(client, auth, client_id=tokyo, billable=True, currency="JPY", amount=amount, markup_percent=markup)
    yen = expect(bill(client, auth, client_id=tokyo, include_expenses=True, include_time=False, tax_rate=10))
    assert [i["amount"] for i in yen["items"]] == [1388, 2]  # 1388.25 -> 1388, 1.5 -> 2
    assert (yen["currency"], yen["subtotal"], yen["tax"], yen["total"]) == ("JPY", 1390, 139, 1529)

    kuwait = make_client(client, auth, name="Kuwait Co", currency="KWD")["_id"]
    make_expense(client, auth, client_id=kuwait, billable=True, currency="KWD", amount="1.234", markup_percent="12.5")
    dinar = expect(bill(client, auth, client_id=kuwait, include_expenses=True, include_time=False, tax_rate=5))
    # 1.38825 -> 1.388; tax 0.0694 -> 0.069
    assert (dinar["subtotal"], dinar["tax"], dinar["total"]) == (1.388, 0.069, 1.457)


def test_include_expenses_takes_the_clients_billable_unbilled_ones_in_the_range(client, auth):
    acme = make_client(client, auth, default_hourly_rate=10)["_id"]
    site = make_project(client, auth, client_id=acme)["_id"]
    other_project = make_project(client, auth, client_id=acme, name="Other")["_id"]
    make_time_entry(client, auth, project_id=site, start_time=START, hours=1)
    may = make_expense(client, auth, project_id=site, billable=True, date="2025-05-31", amount=5)
    make_expense(client, auth, project_id=site, billable=True, date="2025-06-01", amount=6)  # after `to`
    make_expense(client, auth, project_id=site, billable=False, date="2025-05-10", amount=7)  # not billable
    make_expense(client, auth, project_id=other_project, billable=True, date="2025-05-10", amount=8)  # other project
    other_client = make_client(client, auth, name="Other Ltd")["_id"]
    make_expense(client, auth, client_id=other_client, billable=True, date="2025-05-10", amount=9)
    invoice = expect(bill(client, auth, project_id=site, include_expenses=True, **{"from": "2025-05-01",
                                                                                  "to": "2025-05-31"}))
    assert invoice["expense_ids"] == [may["_id"]] and len(invoice["time_entry_ids"]) == 1
    assert invoice["total"] == 15


def test_expenses_alone_need_no_time_and_no_exchange_rate(client, auth):
    acme = make_client(client, auth, currency="USD", default_hourly_rate=10)["_id"]
    site = make_project(client, auth, client_id=acme)["_id"]
    make_time_entry(client, auth, project_id=site, start_time=START, hours=1)  # left unbilled
    euro = make_expense(client, auth, client_id=acme, billable=True, currency="EUR", amount=30)
    invoice = expect(bill(client, auth, client_id=acme, currency="EUR", expense_ids=[euro["_id"]],
                          include_time=False))
    assert (invoice["currency"], invoice["total"], invoice["time_entry_ids"]) == ("EUR", 30, [])
    assert invoice["exchange_rate"] is None


def test_refusals_are_422_naming_the_field(client, auth, other_auth):
    acme = make_client(client, auth)["_id"]
    billable = make_expense(client, auth, client_id=acme, billable=True)
    not_billable = make_expense(client, auth, client_id=acme)
    elsewhere = make_expense(client, auth, client_id=make_client(client, auth, name="B")["_id"], billable=True)
    theirs = make_expense(client, other_auth, client_id=make_client(client, other_auth)["_id"], billable=True)
    euro = make_expense(client, auth, client_id=acme, billable=True, currency="EUR")
    for expense in (not_billable, elsewhere, theirs):
        body = assert_error_shape(bill(client, auth, client_id=acme, expense_ids=[expense["_id"]]), 422)
        assert expense["_id"] in body["message"] and "expense_ids" in body["errors"]["json"]
    body = assert_error_shape(bill(client, auth, client_id=acme, expense_ids=[billable["_id"], euro["_id"]]), 422)
    assert body["errors"]["json"]["expense_ids"] == [
        f"In another currency than the invoice (USD): {euro['_id']}; bill them on an invoice in theirs."
    ]
    assert "expense_ids" in assert_error_shape(
        bill(client, auth, client_id=acme, include_expenses=True, expense_ids=[billable["_id"]]), 422
    )["errors"]["json"]
    assert "entry_ids" in assert_error_shape(
        bill(client, auth, client_id=acme, include_time=False, entry_ids=[billable["_id"]]), 422
    )["errors"]["json"]
    nothing = assert_error_shape(bill(client, auth, client_id=acme, include_time=False), 422)
    assert nothing["message"].startswith("client_id: No unbilled")
    assert expense_of(client, auth, billable)["invoice_id"] is None


def test_a_billed_expense_keeps_its_money_fields_until_the_invoice_is_gone(client, auth):
    acme = make_client(client, auth)["_id"]
    receipt_free = make_expense(client, auth, client_id=acme, billable=True, amount=100, markup_percent=10)
    path = f"{EXPENSES}/{receipt_free['_id']}"
    invoice = expect(bill(client, auth, client_id=acme, expense_ids=[receipt_free["_id"]], include_time=False))
    for change in ({"amount": 120}, {"currency": "EUR"}, {"markup_percent": 0}, {"billable": False},
                   {"date": "2025-01-01"}, {"client_id": make_client(client, auth, name="B")["_id"]}):
        refused = assert_error_shape(client.patch(path, json=change, headers=auth), 409)
        assert refused["message"].startswith(f"Expense is billed (invoice {invoice['_id']})")
    assert_error_shape(client.delete(path, headers=auth), 409)
    allowed = {"vendor": "Renamed", "notes": "n", "category": "Other"}
    edited = expect(client.patch(path, json=allowed, headers=auth), 200)
    assert (edited["vendor"], edited["category"], edited["invoice_id"]) == ("Renamed", "Other", invoice["_id"])
    same = {key: edited[key] for key in ("date", "amount", "currency", "markup_percent", "billable", "client_id")}
    assert client.put(path, json={**same, "notes": "PUT of the whole expense"}, headers=auth).status_code == 200
    assert_error_shape(bill(client, auth, client_id=acme, expense_ids=[receipt_free["_id"]]), 422)  # billed already

    assert set_invoice_status(client, auth, invoice, "sent").status_code == 200
    assert set_invoice_status(client, auth, invoice, "void").status_code == 200
    assert expense_of(client, auth, receipt_free)["invoice_id"] is None
    assert client.patch(path, json={"amount": 120}, headers=auth).status_code == 200
    again = expect(bill(client, auth, client_id=acme, expense_ids=[receipt_free["_id"]], include_time=False))
    assert again["total"] == 132
    assert client.delete(f"/api/invoices/{again['_id']}", headers=auth).status_code == 200
    assert expense_of(client, auth, receipt_free)["invoice_id"] is None
    assert client.delete(path, headers=auth).status_code == 200


def test_concurrent_billing_bills_an_expense_once(app, client, auth, db):
    acme = make_client(client, auth)["_id"]
    expense = make_expense(client, auth, client_id=acme, billable=True, amount=50)
    body = {"client_id": acme, "expense_ids": [expense["_id"]], "include_time": False}
    results = at_once(app, *[lambda http: bill(http, auth, **body)] * 6)
    statuses = sorted(r.status_code for r in results)
    assert statuses[0] == 201 and set(statuses[1:]) <= {409, 422}  # 422: billed before the request looked
    winner = next(r.get_json() for r in results if r.status_code == 201)
    assert expense_of(client, auth, expense)["invoice_id"] == winner["_id"]
    assert db.invoices.count_documents({}) == 1
    assert [c["invoice_id"] for c in db.expense_claims.find()] == [ObjectId(winner["_id"])]


def test_concurrent_sweeps_bill_every_expense_exactly_once(app, client, auth, db):
    acme = make_client(client, auth)["_id"]
    ids = [make_expense(client, auth, client_id=acme, billable=True, amount=n + 1)["_id"] for n in range(12)]
    body = {"client_id": acme, "include_expenses": True, "include_time": False}
    results = at_once(app, *[lambda http: bill(http, auth, **body)] * 6)
    assert all(r.status_code in (201, 409, 422) for r in results)
    created = [r.get_json() for r in results if r.status_code == 201]
    billed = [expense_id for invoice in created for expense_id in invoice["expense_ids"]]
    assert sorted(billed) == sorted(ids)
    assert sum(invoice["total"] for invoice in created) == 78
    for invoice in created:
        marked = {str(e["_id"]) for e in db.expenses.find({"invoice_id": ObjectId(invoice["_id"])})}
        assert marked == set(invoice["expense_ids"])


def test_an_edit_racing_billing_never_leaves_the_invoice_and_the_expense_apart(app, client, auth):
    acme = make_client(client, auth)["_id"]
    for round_ in range(4):
        expense = make_expense(client, auth, client_id=acme, billable=True, amount=100)
        body = {"client_id": acme, "expense_ids": [expense["_id"]], "include_time": False}
        change = {"amount": 200 + round_}
        edit, billing = at_once(
            app,
            lambda http, e=expense, c=change: http.patch(f"{EXPENSES}/{e['_id']}", json=c, headers=auth),
            lambda http, b=body: bill(http, auth, **b),
        )
        assert edit.status_code in (200, 409) and billing.status_code in (201, 409)
        assert (edit.status_code, billing.status_code) != (409, 409)
        final = expense_of(client, auth, expense)
        if billing.status_code == 201:
            invoice = billing.get_json()
            assert final["invoice_id"] == invoice["_id"]
            assert invoice["items"][0]["amount"] == final["amount"]  # billed as it stands
        else:
            assert final["invoice_id"] is None and final["amount"] == 200 + round_


def test_a_reservation_a_crashed_edit_left_blocks_only_until_it_is_stale(client, auth, user, db):
    acme = make_client(client, auth)["_id"]
    first, second = (make_expense(client, auth, client_id=acme, billable=True, amount=10) for _ in range(2))
    for expense, age in ((first, timedelta(seconds=10)), (second, timedelta(minutes=6))):
        db.expense_claims.insert_one({"_id": ObjectId(expense["_id"]), "invoice_id": None,
                                      "user_id": ObjectId(user["id"]), "claimed_at": utcnow() - age})
    fresh = assert_error_shape(client.patch(f"{EXPENSES}/{first['_id']}", json={"amount": 11}, headers=auth), 409)
    assert fresh["message"].startswith("Expense is billed (or being billed) on an invoice")
    assert_error_shape(bill(client, auth, client_id=acme, expense_ids=[first["_id"]], include_time=False), 409)
    assert expect(client.patch(f"{EXPENSES}/{second['_id']}", json={"amount": 12}, headers=auth), 200)["amount"] == 12
    an_hour_ago = utcnow() - timedelta(hours=1)
    db.expense_claims.update_one({"_id": ObjectId(first["_id"])}, {"$set": {"claimed_at": an_hour_ago}})
    invoice = expect(bill(client, auth, client_id=acme, expense_ids=[first["_id"]], include_time=False))
    assert expense_of(client, auth, first)["invoice_id"] == invoice["_id"]
