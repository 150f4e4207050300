"""Projects through HTTP against the real database."""

from tests.factories import assert_error_shape, make_client, make_project, make_time_entry

BASE = "/api/projects"


def test_create_defaults_currency_from_client_and_ignores_server_fields(client, auth):
    acme = make_client(client, auth, currency="eur")
    created = make_project(
        client,
        auth,
        client_id=acme["_id"],
        budget=1000.005,
        hourly_rate=90,
        start_date="2025-01-01",
        user_id="6b0849783ef581af828dd253",
        _id="6b0849783ef581af828dd253",
    )
    assert created["status"] == "active" and created["archived"] is False
    assert (created["currency"], created["budget"], created["hourly_rate"]) == ("EUR", 1000.01, 90)
    assert created["start_date"] == "2025-01-01" and created["user_id"] != "6b0849783ef581af828dd253"
    assert make_project(client, auth)["currency"] == "USD"


def test_validation_names_the_field(client, auth):
    for body, field in (
        ({"name": ""}, "name"),
        ({"name": "x", "status": "lost"}, "status"),
        ({"name": "x", "budget": -1}, "budget"),
        ({"name": "x", "start_date": "2025-02-01", "end_date": "2025-01-01"}, "end_date"),
        ({"name": "x", "client_id": "nope"}, "client_id"),
        ({"name": "x", "hourly_rate": "abc"}, "hourly_rate"),
    ):
        assert field in assert_error_shape(client.post(BASE, json=body, headers=auth), 422)["errors"]["json"]


def test_update_checks_end_against_stored_start_and_null_clears(client, auth):
    created = make_project(client, auth, start_date="2025-02-01", budget=500)
    bad = client.patch(f"{BASE}/{created['_id']}", json={"end_date": "2025-01-01"}, headers=auth)
    assert "end_date" in assert_error_shape(bad, 422)["errors"]["json"]
    updated = client.put(
        f"{BASE}/{created['_id']}", json={"budget": None, "status": "on_hold"}, headers=auth
    ).get_json()
    assert updated["budget"] is None and updated["status"] == "on_hold" and updated["start_date"] == "2025-02-01"


def test_other_users_projects_are_invisible_and_unreferencable(client, auth, other_auth):
    created = make_project(client, auth)
    for call in (client.get, client.patch, client.delete):
        assert_error_shape(call(f"{BASE}/{created['_id']}", json={}, headers=other_auth), 404)
    assert client.get(BASE, headers=other_auth).get_json() == []
    theirs = make_client(client, other_auth)
    assert (
        "client_id"
        in assert_error_shape(client.post(BASE, json={"name": "x", "client_id": theirs["_id"]}, headers=auth), 422)[
            "errors"
        ]["json"]
    )
    assert_error_shape(client.patch(f"{BASE}/{created['_id']}", json={"client_id": theirs["_id"]}, headers=auth), 422)


def test_list_filters_status_client_q_archived_and_pagination(client, auth):
    acme = make_client(client, auth)
    first = make_project(client, auth, name="Website", client_id=acme["_id"])
    second = make_project(client, auth, name="Logo", status="completed")
    archived = make_project(client, auth, name="Old", archived=True)
    ids = lambda query: [p["_id"] for p in client.get(f"{BASE}?{query}", headers=auth).get_json()]  # noqa: E731
    assert ids("") == [first["_id"], second["_id"]]
    assert ids(f"client_id={acme['_id']}") == [first["_id"]]
    assert ids("status=completed") == [second["_id"]]
    assert ids("q=WEB") == [first["_id"]] and ids("q=.*") == []
    assert ids("archived=true") == [archived["_id"]]
    assert ids("sort=-name") == [first["_id"], second["_id"]]
    paged = client.get(f"{BASE}?page=2&page_size=1", headers=auth)
    assert [p["_id"] for p in paged.get_json()] == [second["_id"]]
    assert '"total": 2' in paged.headers["X-Pagination"] and '"previous_page": 1' in paged.headers["X-Pagination"]
    assert_error_shape(client.get(f"{BASE}?status=lost", headers=auth), 422)


def test_consumption_figures_follow_time_entries(client, auth):
    created = make_project(client, auth, hourly_rate=100, budget=1000, budget_hours=10)
    fresh = client.get(f"{BASE}/{created['_id']}", headers=auth).get_json()
    assert (fresh["tracked_seconds"], fresh["billable_amount"], fresh["remaining_budget"]) == (0, 0, 1000)
    for billable in (True, False):
        make_time_entry(client, auth, project_id=created["_id"], is_billable=billable)
    read = client.get(f"{BASE}/{created['_id']}", headers=auth).get_json()
    assert (read["tracked_seconds"], read["billable_seconds"], read["billable_amount"]) == (10800, 5400, 150)
    assert (read["remaining_budget"], read["remaining_hours"]) == (850, 7)


def test_delete_refuses_with_time_entries_then_allows_when_unreferenced(client, auth):
    created = make_project(client, auth)
    entry = make_time_entry(client, auth, project_id=created["_id"])
    assert "1 time entry" in assert_error_shape(client.delete(f"{BASE}/{created['_id']}", headers=auth), 409)["message"]
    client.delete(f"/api/time-tracking/{entry['_id']}", headers=auth)
    assert client.delete(f"{BASE}/{created['_id']}", headers=auth).get_json() == {"message": "Project deleted"}
    assert_error_shape(client.get(f"{BASE}/{created['_id']}", headers=auth), 404)
