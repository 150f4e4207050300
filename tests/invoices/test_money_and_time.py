"""Money and time defects of the outside review: each test failed before its fix."""

from tests.factories import assert_error_shape, make_client, make_invoice, make_project, make_time_entry


def _set_timezone(client, auth, name):
    response = client.patch("/api/auth/me", json={"settings": {"timezone": name}}, headers=auth)
    assert response.status_code == 200, response.get_json()


def test_dashboard_and_reports_default_to_the_users_timezone(client, auth):
    _set_timezone(client, auth, "Europe/Paris")
    assert client.get("/api/dashboard", headers=auth).get_json()["tz"] == "Europe/Paris"
    assert client.get("/api/reports/revenue", headers=auth).get_json()["tz"] == "Europe/Paris"
    assert client.get("/api/dashboard?tz=Asia/Tokyo", headers=auth).get_json()["tz"] == "Asia/Tokyo"


def test_time_entry_lists_read_bare_dates_in_the_users_timezone(client, auth):
    _set_timezone(client, auth, "Europe/Paris")
    # 23:30 UTC on 27 Nov is 00:30 on 28 Nov in Paris
    make_time_entry(
        client, auth, start_time="2026-11-27T23:30:00Z", end_time="2026-11-28T00:30:00Z", description="late"
    )
    on_28th = client.get("/api/time-tracking?from=2026-11-28&to=2026-11-28", headers=auth).get_json()
    assert [e["description"] for e in on_28th] == ["late"]
    assert client.get("/api/time-tracking?from=2026-11-27&to=2026-11-27", headers=auth).get_json() == []


def test_time_csv_prints_local_dates_and_plain_decimals(client, auth):
    _set_timezone(client, auth, "Europe/Paris")
    make_time_entry(client, auth, start_time="2026-11-27T23:30:00Z", end_time="2026-11-28T01:30:00Z", hourly_rate=60)
    lines = client.get("/api/time-tracking/export.csv", headers=auth).get_data(as_text=True).splitlines()
    row = lines[1].split(",")
    assert row[0] == "2026-11-28" and row[1] == "2026-11-28T00:30:00+01:00" and row[2] == "2026-11-28T02:30:00+01:00"
    assert row[8] == "60.00" and row[9] == "120.00"
    utc_row = client.get("/api/time-tracking/export.csv?tz=UTC", headers=auth).get_data(as_text=True).splitlines()[1]
    assert utc_row.startswith("2026-11-27,2026-11-27T23:30:00+00:00,")


def _usd_time(client, auth, hours=3, rate=60):
    """A USD client with ``hours`` of unbilled time at ``rate`` in one project."""
    client_id = make_client(client, auth, currency="USD")["_id"]
    project_id = make_project(client, auth, client_id=client_id, hourly_rate=rate)["_id"]
    make_time_entry(client, auth, hours=hours, project_id=project_id)
    return client_id, project_id


def test_billing_time_in_another_currency_without_a_rate_is_refused(client, auth, db):
    client_id, _ = _usd_time(client, auth)
    response = client.post("/api/invoices/from-time", json={"client_id": client_id, "currency": "JPY"}, headers=auth)
    body = assert_error_shape(response, 422)
    assert "USD" in body["message"] and "JPY" in body["message"]
    assert db.invoices.count_documents({}) == 0 and db.time_entries.count_documents({"invoice_id": {"$ne": None}}) == 0


def test_billing_time_with_an_exchange_rate_converts_exactly_and_keeps_the_rate(client, auth):
    client_id, _ = _usd_time(client, auth, hours=3, rate=60)  # $180.00
    body = {"client_id": client_id, "currency": "JPY", "exchange_rate": 149.537, "payment_terms": "Net 30"}
    response = client.post("/api/invoices/from-time", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    invoice = response.get_json()
    assert invoice["currency"] == "JPY" and invoice["total"] == 26917  # 180 x 149.537 = 26916.66 -> 26917
    assert invoice["exchange_rate"] == 149.537 and invoice["exchange_from"] == "USD"
    assert invoice["items"][0]["rate"] == 8972.22


def test_payment_with_more_decimals_than_the_currency_allows_is_refused(client, auth):
    client_id = make_client(client, auth, currency="JPY")["_id"]
    items = [{"description": "Work", "quantity": 1, "rate": 1000}]
    invoice = make_invoice(client, auth, client_id, status="sent", currency="JPY", items=items)
    response = client.post(f"/api/invoices/{invoice['_id']}/payments", json={"amount": 100.5}, headers=auth)
    body = assert_error_shape(response, 422)
    assert "amount" in body["errors"]["json"] and "JPY" in body["message"]
    assert client.get(f"/api/invoices/{invoice['_id']}", headers=auth).get_json()["amount_paid"] == 0


def test_paid_at_is_the_date_of_the_payment_that_settled_the_invoice(client, auth):
    invoice = make_invoice(client, auth, status="sent", items=[{"description": "Work", "quantity": 1, "rate": 100}])
    url = f"/api/invoices/{invoice['_id']}"
    client.post(f"{url}/payments", json={"amount": 40, "date": "2026-01-10"}, headers=auth)
    paid = client.post(f"{url}/payments", json={"amount": 60, "date": "2026-01-20"}, headers=auth).get_json()
    assert paid["status"] == "paid" and paid["paid_at"].startswith("2026-01-20")


def test_invoice_list_filters_by_project(client, auth):
    client_id, project_id = _usd_time(client, auth)
    billed = client.post(
        "/api/invoices/from-time", json={"project_id": project_id, "payment_terms": "Net 30"}, headers=auth
    ).get_json()
    make_invoice(client, auth, client_id)
    listed = client.get(f"/api/invoices?project_id={project_id}", headers=auth).get_json()
    assert [i["_id"] for i in listed] == [billed["_id"]]


def test_deleting_a_void_invoice_does_not_say_void_it_instead(client, auth):
    invoice = make_invoice(client, auth, status="sent")
    assert client.put(f"/api/invoices/{invoice['_id']}", json={"status": "void"}, headers=auth).status_code == 200
    body = assert_error_shape(client.delete(f"/api/invoices/{invoice['_id']}", headers=auth), 409)
    assert "void it instead" not in body["message"] and "void already" in body["message"]
