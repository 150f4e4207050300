"""Expense categories: /api/expense-categories, a per-user list that starts with defaults."""

from tests.concurrency import at_once
from tests.factories import assert_error_shape, expect, make_expense

CATEGORIES = "/api/expense-categories"
DEFAULTS = ["Travel", "Software", "Equipment", "Meals", "Office", "Other"]


def names(client, headers, **query):
    return [c["name"] for c in expect(client.get(CATEGORIES, query_string=query, headers=headers), 200)]


def add(client, headers, name):
    return client.post(CATEGORIES, json={"name": name}, headers=headers)


def test_a_new_user_starts_with_the_defaults_then_their_own(client, auth):
    assert names(client, auth) == DEFAULTS
    created = expect(add(client, auth, "  Coworking "))
    assert created["name"] == "Coworking"
    assert names(client, auth) == [*DEFAULTS, "Coworking"]
    assert names(client, auth, sort="name", q="o") == ["Coworking", "Office", "Other", "Software"]


def test_the_first_custom_category_does_not_skip_the_defaults(client, auth):
    expect(add(client, auth, "Coworking"))
    assert names(client, auth) == [*DEFAULTS, "Coworking"]


def test_names_are_unique_case_insensitively(client, auth):
    coworking = expect(add(client, auth, "Coworking"))
    assert assert_error_shape(add(client, auth, "COWORKING"), 409)["message"] == (
        "You have an expense category named 'COWORKING' already"
    )
    renamed = client.patch(f"{CATEGORIES}/{coworking['_id']}", json={"name": "office"}, headers=auth)
    assert assert_error_shape(renamed, 409)["message"] == "You have an expense category named 'office' already"
    assert assert_error_shape(add(client, auth, ""), 422)["errors"]["json"]["name"] == ["Must not be empty."]


def test_renaming_a_category_renames_it_on_its_expenses(client, auth):
    expense = make_expense(client, auth, category="Travel")
    renamed = expect(client.put(f"{CATEGORIES}/{expense['category_id']}", json={"name": "Trips"}, headers=auth), 200)
    assert renamed["name"] == "Trips"
    assert expect(client.get(f"/api/expenses/{expense['_id']}", headers=auth), 200)["category"] == "Trips"
    assert make_expense(client, auth, category="trips")["category_id"] == expense["category_id"]


def test_a_deleted_default_stays_deleted(client, auth):
    meals = next(c for c in expect(client.get(CATEGORIES, headers=auth), 200) if c["name"] == "Meals")
    response = client.delete(f"{CATEGORIES}/{meals['_id']}", headers=auth)
    assert expect(response, 200) == {"message": "Expense category deleted"}
    assert "Meals" not in names(client, auth)
    assert_error_shape(client.get(f"{CATEGORIES}/{meals['_id']}", headers=auth), 404)


def test_categories_are_the_owners_only(client, auth, other_auth):
    theirs = expect(add(client, other_auth, "Theirs"))
    for method in ("get", "put", "delete"):
        kwargs = {"json": {"name": "Mine now"}} if method == "put" else {}
        assert_error_shape(getattr(client, method)(f"{CATEGORIES}/{theirs['_id']}", headers=auth, **kwargs), 404)
    assert "Theirs" not in names(client, auth)


def test_concurrent_first_requests_add_each_default_once(app, make_user):
    fresh = make_user()["headers"]
    results = at_once(app, *[lambda http: http.get(CATEGORIES, headers=fresh)] * 4)
    assert all(r.status_code == 200 and len(r.get_json()) == len(DEFAULTS) for r in results)
    assert sorted(names(app.test_client(), fresh)) == sorted(DEFAULTS)  # each once (order: whose insert won)
