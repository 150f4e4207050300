"""Expenses: /api/expenses (money, references, filters, CSV) through HTTP."""

import csv
import io

import pytest

from tests.factories import (
    assert_error_shape,
    expect,
    make_client,
    make_expense,
    make_project,
    upload_file,
)

EXPENSES = "/api/expenses"


def create(client, headers, **fields):
    """The response to creating an expense (the test judges it)."""
    return client.post(EXPENSES, json={"date": "2025-05-06", "amount": 10, **fields}, headers=headers)


def field_error(response, field):
    body = assert_error_shape(response, 422)
    return body["errors"]["json"][field][0]


def test_an_expense_renders_its_money_exactly_with_defaults_filled_in(client, auth):
    expense = make_expense(client, auth, amount="19.99", markup_percent=12.5, category="travel", notes="Flight")
    assert {key: expense[key] for key in ("date", "amount", "currency", "markup_percent", "amount_with_markup")} == {
        "date": "2025-05-06", "amount": 19.99, "currency": "USD", "markup_percent": 12.5, "amount_with_markup": 22.49,
    }
    assert (expense["category"], expense["vendor"], expense["notes"]) == ("Travel", "Acme Air", "Flight")
    assert (expense["billable"], expense["client_id"], expense["project_id"]) == (False, None, None)
    assert (expense["invoice_id"], expense["invoiced_at"], expense["receipt_file_id"]) == (None, None, None)
    plain = make_expense(client, auth)
    assert (plain["markup_percent"], plain["amount_with_markup"], plain["category"]) == (0, 42.5, None)
    assert expect(client.get(f"{EXPENSES}/{expense['_id']}", headers=auth), 200) == expense


def test_the_currency_defaults_to_the_users_own(client, auth):
    assert client.patch("/api/auth/me", json={"settings": {"default_currency": "GBP"}}, headers=auth).status_code == 200
    assert make_expense(client, auth)["currency"] == "GBP"
    assert make_expense(client, auth, currency="jpy", amount=1500)["currency"] == "JPY"


@pytest.mark.parametrize(
    ("currency", "amount", "markup", "stored", "with_markup"),
    [
        ("USD", "0.01", "12.5", 0.01, 0.01),  # 0.01125 -> 0.01
        ("USD", "0.04", "12.5", 0.04, 0.05),  # 0.045 -> 0.05, half-up
        ("USD", "0.03", "50", 0.03, 0.05),  # 0.045 -> 0.05
        ("USD", "100", "0.0001", 100, 100),  # 100.0001 -> 100.00
        ("USD", "0.01", "1000", 0.01, 0.11),
        ("USD", "10.005", "0", 10.01, 10.01),  # the amount itself rounds half-up to cents
        ("JPY", "1", "50", 1, 2),  # 1.5 yen -> 2
        ("JPY", "1234", "12.5", 1234, 1388),  # 1388.25 -> 1388
        ("JPY", "1.5", "0", 2, 2),
        ("KWD", "0.001", "50", 0.001, 0.002),  # 0.0015 -> 0.002
        ("KWD", "1.234", "12.5", 1.234, 1.388),  # 1.38825 -> 1.388
        ("KWD", "1.2345", "0", 1.235, 1.235),
    ],
)
def test_markups_round_half_up_once_to_the_minor_unit(client, auth, currency, amount, markup, stored, with_markup):
    expense = make_expense(client, auth, currency=currency, amount=amount, markup_percent=markup)
    assert (expense["amount"], expense["amount_with_markup"]) == (stored, with_markup)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"amount": 0}, "amount", "Must be at least 0.01 USD."),
        ({"amount": "0.004"}, "amount", "Must be at least 0.01 USD."),
        ({"amount": "0.4", "currency": "JPY"}, "amount", "Must be at least 1 JPY."),
        ({"amount": -5}, "amount", "Must not be negative."),
        ({"amount": "abc"}, "amount", "Not a valid amount."),
        ({"amount": None}, "amount", "Field may not be null."),
        ({"date": "2025-02-30"}, "date", "Not a valid date."),
        ({"currency": "XYZ"}, "currency", "Not a valid ISO 4217 currency code."),
        ({"markup_percent": 1000.5}, "markup_percent", "Must not exceed 1000."),
        ({"markup_percent": -1}, "markup_percent", "Must not be negative."),
        ({"markup_percent": "1.23456"}, "markup_percent", "At most 4 decimal places."),
        ({"billable": True}, "billable", "A billable expense needs a client_id (the client it is billed to)."),
        ({"category": "Yachts"}, "category",
         "No expense category named 'Yachts'; create it at /api/expense-categories."),
        ({"vendor": "x" * 201}, "vendor", "Longer than maximum length 200."),
        ({"client_id": "nope"}, "client_id", "Not a valid id."),
    ],
)
def test_bad_bodies_are_422_naming_the_field(client, auth, fields, field, message):
    assert field_error(create(client, auth, **fields), field) == message


def test_the_date_and_amount_are_required(client, auth):
    body = assert_error_shape(client.post(EXPENSES, json={}, headers=auth), 422)
    assert set(body["errors"]["json"]) == {"date", "amount"}


def test_project_sets_the_client_and_must_belong_to_it(client, auth):
    acme = make_client(client, auth)["_id"]
    site = make_project(client, auth, client_id=acme)["_id"]
    loose = make_project(client, auth, name="No client")["_id"]
    derived = make_expense(client, auth, project_id=site, billable=True)
    assert (derived["client_id"], derived["project_id"], derived["billable"]) == (acme, site, True)
    other = make_client(client, auth, name="Other Ltd")["_id"]
    message = "This project belongs to another client (or to none)."
    assert field_error(create(client, auth, client_id=other, project_id=site), "project_id") == message
    assert field_error(create(client, auth, client_id=acme, project_id=loose), "project_id") == message
    assert make_expense(client, auth, project_id=loose)["client_id"] is None


def test_another_users_documents_are_404_in_paths_and_422_in_bodies(client, auth, other_auth):
    theirs = make_expense(client, other_auth)
    for method in ("get", "patch", "delete"):
        kwargs = {"json": {"notes": "x"}} if method == "patch" else {}
        assert_error_shape(getattr(client, method)(f"{EXPENSES}/{theirs['_id']}", headers=auth, **kwargs), 404)
    their_client = make_client(client, other_auth)["_id"]
    their_project = make_project(client, other_auth, client_id=their_client)["_id"]
    their_category = expect(client.post("/api/expense-categories", json={"name": "Theirs"}, headers=other_auth))
    assert field_error(create(client, auth, client_id=their_client), "client_id") == "No such client for this account."
    assert field_error(create(client, auth, project_id=their_project), "project_id") == (
        "No such project for this account."
    )
    assert field_error(create(client, auth, category_id=their_category["_id"]), "category_id") == (
        "No such expense category for this account."
    )
    assert field_error(create(client, auth, category="Theirs"), "category").startswith("No expense category named")
    assert expect(client.get(EXPENSES, headers=auth), 200) == []


def test_updates_recompute_and_null_clears(client, auth):
    acme = make_client(client, auth)["_id"]
    site = make_project(client, auth, client_id=acme)["_id"]
    expense = make_expense(client, auth, client_id=acme, project_id=site, category="Meals", markup_percent=10)
    changed = expect(
        client.patch(
            f"{EXPENSES}/{expense['_id']}", json={"amount": "7.77", "category": None, "project_id": None}, headers=auth
        ),
        200,
    )
    assert (changed["amount"], changed["amount_with_markup"]) == (7.77, 8.55)  # 8.547 -> 8.55
    assert (changed["category"], changed["category_id"], changed["project_id"], changed["client_id"]) == (
        None, None, None, acme,
    )
    in_yen = expect(client.put(f"{EXPENSES}/{expense['_id']}", json={"currency": "JPY"}, headers=auth), 200)
    assert (in_yen["currency"], in_yen["amount"]) == ("JPY", 8)  # the same number, at yen precision
    other = make_client(client, auth, name="Other Ltd")["_id"]
    moved = expect(client.patch(f"{EXPENSES}/{expense['_id']}", json={"project_id": site}, headers=auth), 200)
    assert moved["client_id"] == acme
    assert field_error(
        client.patch(f"{EXPENSES}/{expense['_id']}", json={"client_id": other}, headers=auth), "project_id"
    ).startswith("This project belongs to another client")
    assert field_error(
        client.patch(f"{EXPENSES}/{expense['_id']}", json={"billable": True, "client_id": None, "project_id": None},
                     headers=auth),
        "billable",
    ).startswith("A billable expense needs a client_id")
    assert expect(client.delete(f"{EXPENSES}/{expense['_id']}", headers=auth), 200) == {"message": "Expense deleted"}
    assert_error_shape(client.get(f"{EXPENSES}/{expense['_id']}", headers=auth), 404)


def test_clients_projects_and_categories_in_use_cannot_be_deleted(client, auth):
    acme = make_client(client, auth)["_id"]
    site = make_project(client, auth, client_id=acme)["_id"]
    expense = make_expense(client, auth, project_id=site, category="Office")
    refused = assert_error_shape(client.delete(f"/api/projects/{site}", headers=auth), 409)
    assert "1 expense" in refused["message"]
    assert "1 expense" in assert_error_shape(client.delete(f"/api/clients/{acme}", headers=auth), 409)["message"]
    category = assert_error_shape(client.delete(f"/api/expense-categories/{expense['category_id']}", headers=auth), 409)
    assert category["message"] == (
        "Expense category is referenced by 1 expense; move those expenses to another category first"
    )


def listed(client, auth, **query):
    return [e["vendor"] for e in expect(client.get(EXPENSES, query_string=query, headers=auth), 200)]


def test_list_filters_sorts_and_pages(client, auth):
    acme = make_client(client, auth)["_id"]
    site = make_project(client, auth, client_id=acme)["_id"]
    make_expense(client, auth, vendor="Taxi", date="2025-01-31", amount=30, category="Travel")
    make_expense(client, auth, vendor="Laptop", date="2025-02-01", amount=1500, category="Equipment",
                 project_id=site, billable=True)
    make_expense(client, auth, vendor="Lunch", date="2025-02-15", amount=12, category="Meals", client_id=acme,
                 currency="EUR", notes="with the Acme team")
    assert listed(client, auth) == ["Taxi", "Laptop", "Lunch"]  # oldest first
    assert listed(client, auth, **{"from": "2025-02-01", "to": "2025-02-14"}) == ["Laptop"]
    assert listed(client, auth, to="2025-01-31") == ["Taxi"]
    assert listed(client, auth, client_id=acme) == ["Laptop", "Lunch"]
    assert listed(client, auth, project_id=site) == ["Laptop"]
    assert listed(client, auth, category="MEALS") == ["Lunch"]
    assert listed(client, auth, category="Software") == []
    assert listed(client, auth, billable="true") == ["Laptop"]
    assert listed(client, auth, billable="false", billed="false") == ["Taxi", "Lunch"]
    assert listed(client, auth, billed="true") == []
    assert listed(client, auth, currency="eur") == ["Lunch"]
    assert listed(client, auth, q="LAP") == ["Laptop"]  # vendor
    assert listed(client, auth, q="acme team") == ["Lunch"]  # notes
    assert listed(client, auth, sort="-amount") == ["Laptop", "Taxi", "Lunch"]
    assert listed(client, auth, sort="-date") == ["Lunch", "Laptop", "Taxi"]
    page = client.get(EXPENSES, query_string={"page": 2, "page_size": 2}, headers=auth)
    assert [e["vendor"] for e in expect(page, 200)] == ["Lunch"]
    assert '"total": 3' in page.headers["X-Pagination"]
    assert field_error_query(client.get(EXPENSES, query_string={"sort": "notes"}, headers=auth), "sort")


def field_error_query(response, field):
    return assert_error_shape(response, 422)["errors"]["query"][field]


def test_csv_export_has_one_formula_safe_row_per_expense(client, auth):
    acme = make_client(client, auth, name="Acme Ltd")["_id"]
    receipt = upload_file(client, auth)
    make_expense(client, auth, vendor="=HYPERLINK(\"x\")", date="2025-03-02", amount="1234", currency="JPY",
                 markup_percent="12.5", category="Travel", client_id=acme, billable=True,
                 receipt_file_id=receipt["_id"])
    make_expense(client, auth, vendor="Shop", date="2025-03-01", amount="1.5", currency="KWD", notes="ink, paper")
    response = client.get(f"{EXPENSES}/export.csv", headers=auth)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="expenses-')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [
        ["date", "vendor", "category", "currency", "amount", "markup_percent", "amount_with_markup", "billable",
         "client", "project", "notes", "receipt_file_id", "invoice_id"],
        ["2025-03-01", "Shop", "", "KWD", "1.500", "0", "1.500", "false", "", "", "ink, paper", "", ""],
        ["2025-03-02", "'=HYPERLINK(\"x\")", "Travel", "JPY", "1234", "12.5", "1388", "true", "Acme Ltd", "",
         "", receipt["_id"], ""],
    ]
    filtered = client.get(f"{EXPENSES}/export.csv", query_string={"currency": "KWD"}, headers=auth)
    assert len(list(csv.reader(io.StringIO(filtered.get_data(as_text=True))))) == 2
