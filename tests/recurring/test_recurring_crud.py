"""/api/recurring-invoices: create, read, list, edit, pause, resume, delete, and what each
refuses (422 for bad input and other users' clients, 404 for other users' schedules)."""

from datetime import date, timedelta

import pytest

from tests.factories import (
    PASSWORD,
    RECURRING_ITEM,
    assert_error_shape,
    expect,
    make_client,
    make_project,
    make_recurring,
    preview_runs,
)

URL = "/api/recurring-invoices"


def _create(client, auth, **fields):
    body = {"items": [RECURRING_ITEM], "frequency": "monthly", "start_date": "2031-01-15", "payment_terms": "Net 30",
            **fields}
    if "client_id" not in body:
        body["client_id"] = make_client(client, auth)["_id"]
    return client.post(URL, json={k: v for k, v in body.items() if v is not ...}, headers=auth)


def _errors(response, location="json"):
    return assert_error_shape(response, 422)["errors"][location]


def test_create_returns_the_template_priced_and_the_first_run(client, auth):
    customer = make_client(client, auth, currency="EUR")
    schedule = make_recurring(client, auth, customer["_id"], name="Retainer", tax_rate=10, notes="Thanks!",
                              items=[{"description": "Support", "quantity": 2.5, "rate": 80, "amount": 1}])
    assert schedule["currency"] == "EUR" and schedule["name"] == "Retainer" and schedule["notes"] == "Thanks!"
    assert [(i["description"], i["quantity"], i["rate"], i["amount"]) for i in schedule["items"]] == [
        ("Support", 2.5, 80, 200)]
    assert (schedule["subtotal"], schedule["tax"], schedule["tax_rate"], schedule["total"]) == (200, 20, 10, 220)
    assert schedule["status"] == "active" and schedule["active"] is True
    assert schedule["next_run_date"] == "2031-01-15" and schedule["runs_count"] == 0
    assert schedule["last_invoice_id"] is None and schedule["interval"] == 1 and schedule["auto_send"] is False
    assert expect(client.get(f"{URL}/{schedule['_id']}", headers=auth), 200) == schedule


def test_payment_terms_default_to_your_settings_and_must_give_a_number_of_days(client, auth):
    assert_error_shape(_create(client, auth, payment_terms=...), 422)
    assert "payment_terms" in _errors(_create(client, auth, payment_terms="when you like"))
    expect(client.patch("/api/auth/me", json={"settings": {"payment_terms": "Net 15"}}, headers=auth), 200)
    assert expect(_create(client, auth, payment_terms=...))["payment_terms"] == "Net 15"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"frequency": "daily"}, "frequency"),
        ({"frequency": ...}, "frequency"),
        ({"start_date": ...}, "start_date"),
        ({"start_date": "2031-02-30"}, "start_date"),
        ({"start_date": "1900-01-01"}, "start_date"),
        ({"interval": 0}, "interval"),
        ({"interval": 101}, "interval"),
        ({"day_of_month": 29}, "day_of_month"),
        ({"day_of_month": "first"}, "day_of_month"),
        ({"day_of_month": True}, "day_of_month"),
        ({"frequency": "weekly", "day_of_month": 3}, "day_of_month"),
        ({"count": 0}, "count"),
        ({"count": 3, "end_date": "2031-12-31"}, "count"),
        ({"end_date": "2031-01-14"}, "end_date"),
        ({"items": []}, "items"),
        ({"items": [{"description": "x", "quantity": 0, "rate": 1}]}, "items"),
        ({"tax": 5, "tax_rate": 5}, "tax_rate"),
        ({"discount": 5000}, "discount"),
        ({"currency": "XXX1"}, "currency"),
        ({"bill_project_time": True}, "project_id"),
        ({"auto_send": "maybe"}, "auto_send"),
        ({"send_options": {"to": ["not-an-address"]}}, "send_options"),
        ({"client_id": "nope"}, "client_id"),
        ({"client_id": "5f0000000000000000000000"}, "client_id"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, auth, fields, field):
    assert field in _errors(_create(client, auth, **fields))


def test_a_start_date_more_than_100_runs_back_is_refused(client, auth):
    back = date.today() - timedelta(weeks=110)
    assert "start_date" in _errors(_create(client, auth, frequency="weekly", start_date=back.isoformat()))
    expect(_create(client, auth, frequency="weekly", start_date=back.isoformat(), count=3))  # 3 runs: fine


def test_the_project_must_be_the_clients_and_its_time_in_the_invoice_currency(client, auth):
    mine, other = make_client(client, auth)["_id"], make_client(client, auth, name="Other")["_id"]
    project = make_project(client, auth, client_id=other)["_id"]
    assert "project_id" in _errors(_create(client, auth, client_id=mine, project_id=project))
    own = make_project(client, auth, client_id=mine)["_id"]
    response = _create(client, auth, client_id=mine, project_id=own, bill_project_time=True, currency="EUR")
    assert "currency" in _errors(response)
    schedule = expect(_create(client, auth, client_id=mine, project_id=own, bill_project_time=True, items=[]))
    assert schedule["items"] == [] and schedule["total"] == 0 and schedule["bill_project_time"] is True


def test_other_users_clients_and_projects_are_422(client, auth, other_auth):
    theirs = make_client(client, other_auth)["_id"]
    their_project = make_project(client, other_auth, client_id=theirs)["_id"]
    assert "client_id" in _errors(_create(client, auth, client_id=theirs))
    assert "project_id" in _errors(_create(client, auth, project_id=their_project))


def test_other_users_schedules_are_404_everywhere(client, auth, other_auth):
    schedule = make_recurring(client, auth)
    base = f"{URL}/{schedule['_id']}"
    for method, path in (("get", ""), ("patch", ""), ("put", ""), ("delete", ""), ("post", "/pause"),
                         ("post", "/resume"), ("get", "/preview"), ("get", "/invoices"), ("get", "/runs")):
        kwargs = {"json": {"notes": "x"}} if method in ("patch", "put") else {}
        assert_error_shape(getattr(client, method)(base + path, headers=other_auth, **kwargs), 404)
        assert_error_shape(getattr(client, method)(f"{URL}/not-an-id{path}", headers=auth, **kwargs), 404)
    assert expect(client.get(base, headers=auth), 200)["notes"] is None


def test_patch_prices_the_template_again_and_keeps_what_is_not_sent(client, auth):
    schedule = make_recurring(client, auth, tax_rate=10, currency="USD")
    body = {"items": [{"description": "Retainer", "quantity": 2, "rate": 300}], "discount": 100}
    updated = expect(client.patch(f"{URL}/{schedule['_id']}", json=body, headers=auth), 200)
    assert (updated["subtotal"], updated["discount"], updated["tax"], updated["total"]) == (600, 100, 50, 550)
    assert updated["tax_rate"] == 10 and updated["next_run_date"] == "2031-01-15"
    cleared = expect(client.put(f"{URL}/{schedule['_id']}", json={"tax_rate": None, "notes": "n"}, headers=auth), 200)
    assert (cleared["tax"], cleared["total"], cleared["notes"], cleared["discount"]) == (0, 500, "n", 100)


def test_changing_the_rule_works_out_the_next_run_again(client, auth):
    url = f"{URL}/{make_recurring(client, auth, start_date='2031-01-15')['_id']}"
    assert expect(client.patch(url, json={"day_of_month": "last"}, headers=auth), 200)["next_run_date"] == "2031-01-31"
    assert "day_of_month" in _errors(client.patch(url, json={"frequency": "weekly"}, headers=auth))
    weekly = {"frequency": "weekly", "day_of_month": None, "end_date": "2031-01-29"}
    updated = expect(client.patch(url, json=weekly, headers=auth), 200)
    assert preview_runs(client, auth, updated, count=10) == ["2031-01-15", "2031-01-22", "2031-01-29"]


def test_a_rule_without_a_run_before_its_end_is_finished_from_the_start(client, auth):
    schedule = make_recurring(client, auth, start_date="2031-01-20", day_of_month=15, end_date="2031-01-31")
    assert schedule["status"] == "finished" and schedule["next_run_date"] is None
    assert preview_runs(client, auth, schedule) == []


def test_active_changes_only_through_pause_and_resume(client, auth):
    schedule = make_recurring(client, auth)
    assert "active" in _errors(client.patch(f"{URL}/{schedule['_id']}", json={"active": False}, headers=auth))
    paused = expect(client.post(f"{URL}/{schedule['_id']}/pause", headers=auth), 200)
    assert paused["active"] is False and paused["status"] == "paused"
    assert expect(client.post(f"{URL}/{schedule['_id']}/pause", headers=auth), 200)["status"] == "paused"
    assert preview_runs(client, auth, paused, count=2) == ["2031-01-15", "2031-02-15"]  # what resuming would do
    resumed = expect(client.post(f"{URL}/{schedule['_id']}/resume", headers=auth), 200)
    assert resumed["status"] == "active" and resumed["next_run_date"] == "2031-01-15"
    created_paused = make_recurring(client, auth, active=False)
    assert created_paused["status"] == "paused"


def test_list_filters_by_client_and_active_with_an_explicit_sort(client, auth, other_auth):
    acme, globex = make_client(client, auth)["_id"], make_client(client, auth, name="Globex")["_id"]
    first = make_recurring(client, auth, acme, name="b", start_date="2031-03-01")
    second = make_recurring(client, auth, globex, name="a", start_date="2031-02-01")
    third = make_recurring(client, auth, acme, name="c", start_date="2031-01-01", active=False)
    make_recurring(client, other_auth)
    ids = lambda query: [s["_id"] for s in expect(client.get(f"{URL}{query}", headers=auth), 200)]  # noqa: E731
    assert ids("") == [first["_id"], second["_id"], third["_id"]]
    assert ids(f"?client_id={acme}") == [first["_id"], third["_id"]]
    assert ids("?active=false") == [third["_id"]] and ids("?active=true") == [first["_id"], second["_id"]]
    assert ids("?sort=next_run_date") == [third["_id"], second["_id"], first["_id"]]
    assert ids("?sort=-name") == [third["_id"], first["_id"], second["_id"]]
    assert ids("?q=A") == [second["_id"]]
    assert "sort" in _errors(client.get(f"{URL}?sort=total", headers=auth), "query")


def test_deleting_a_client_or_project_a_schedule_uses_is_409(client, auth):
    customer = make_client(client, auth)["_id"]
    project = make_project(client, auth, client_id=customer)["_id"]
    schedule = make_recurring(client, auth, customer, project_id=project)
    body = assert_error_shape(client.delete(f"/api/clients/{customer}", headers=auth), 409)
    assert "1 recurring invoice" in body["message"]
    assert "1 recurring invoice" in assert_error_shape(client.delete(f"/api/projects/{project}", headers=auth),
                                                        409)["message"]
    assert expect(client.delete(f"{URL}/{schedule['_id']}", headers=auth), 200) == {
        "message": "Recurring invoice deleted"}
    assert_error_shape(client.get(f"{URL}/{schedule['_id']}", headers=auth), 404)
    expect(client.delete(f"/api/projects/{project}", headers=auth), 200)
    expect(client.delete(f"/api/clients/{customer}", headers=auth), 200)


def test_account_export_and_deletion_cover_recurring_invoices(client, user, other_auth, db):
    mine = make_recurring(client, user["headers"], name="Mine")
    make_recurring(client, other_auth, name="Theirs")
    exported = expect(client.get("/api/auth/me/export", headers=user["headers"]), 200)["data"]
    assert [s["_id"] for s in exported["recurring_invoices"]] == [mine["_id"]]
    expect(client.delete("/api/auth/me", json={"password": PASSWORD}, headers=user["headers"]), 200)
    assert [s["name"] for s in db.recurring_invoices.find()] == ["Theirs"]
