"""Malformed input is a 4xx naming the problem, never a 500: deep JSON, huge numbers,
chunked bodies, dates at the ends of the calendar, and CSV streams that must not break
after they started."""

import csv
import io

import pytest

from tests.factories import assert_error_shape

EVERY_RANGE_LIST = (
    "/api/time-tracking", "/api/time-tracking/summary", "/api/time-tracking/export.csv",
    "/api/invoices", "/api/invoices/export.csv", "/api/ai/usage",
    "/api/reports/revenue", "/api/reports/hours", "/api/reports/clients",
    "/api/reports/revenue?format=csv", "/api/reports/hours?format=csv", "/api/reports/clients?format=csv",
)


def post_raw(client, path, body, headers):
    return client.post(path, data=body, content_type="application/json", headers=headers)


def post_chunked(client, path, body, headers):
    """A body sent as ``Transfer-Encoding: chunked`` (no Content-Length), as gunicorn hands
    it to the app: dechunked, with ``wsgi.input_terminated`` set."""
    return client.post(path, input_stream=io.BytesIO(body), content_type="application/json",
                       headers={**headers, "Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})


def new_client(client, auth):
    response = client.post("/api/clients", json={"name": "Acme", "email": "ap@acme.example"}, headers=auth)
    assert response.status_code == 201
    return response.get_json()["_id"]


def get_with(client, path, query, auth):
    return client.get(f"{path}{'&' if '?' in path else '?'}{query}", headers=auth)


# ---- bodies ------------------------------------------------------------------------------

@pytest.mark.parametrize("body", ["[" * 1000 + "]" * 1000, '{"name": ' + '{"a": ' * 1000 + "1" + "}" * 1001])
def test_json_nested_a_thousand_deep_is_400_naming_the_limit(client, auth, body):
    response = post_raw(client, "/api/clients", body, auth)
    assert "nested too deeply" in assert_error_shape(response, 400)["message"]


def test_json_nested_32_deep_is_accepted(client, auth):
    body = '{"name": "Deep", "email": "d@example.com", "extra": ' + "[" * 31 + "]" * 31 + "}"
    assert post_raw(client, "/api/clients", body, auth).status_code == 201


def test_brackets_inside_strings_do_not_count_as_nesting(client, auth):
    response = client.post(
        "/api/clients", json={"name": "[" * 60 + '{\\"' * 40, "email": "b@example.com"}, headers=auth
    )
    assert response.status_code == 201


def test_a_number_with_five_thousand_digits_is_400_malformed(client, auth):
    response = post_raw(
        client, "/api/clients", b'{"name": "X", "email": "x@example.com", "n": ' + b"1" * 5000 + b"}", auth
    )
    assert assert_error_shape(response, 400)["message"] == "Malformed JSON body"


def test_a_chunked_body_with_a_lone_surrogate_is_400_and_writes_nothing(client, auth, db):
    body = b'{"name": "Bad \\ud800 name", "email": "x@example.com"}'
    assert "invalid Unicode" in assert_error_shape(post_chunked(client, "/api/clients", body, auth), 400)["message"]
    assert db.clients.count_documents({}) == 0


def test_a_chunked_body_over_the_size_limit_is_413(client, auth, app, db):
    body = b'{"name": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10) + b'", "email": "x@example.com"}'
    assert "at most" in assert_error_shape(post_chunked(client, "/api/clients", body, auth), 413)["message"]
    assert db.clients.count_documents({}) == 0


def test_a_chunked_body_within_the_limits_is_served(client, auth):
    response = post_chunked(client, "/api/clients", b'{"name": "Chunked", "email": "c@example.com"}', auth)
    assert response.status_code == 201
    assert response.get_json()["name"] == "Chunked"


@pytest.mark.parametrize("path", ["/health", "/api/clients", "/api/auth/login"])
def test_options_without_cors_headers_is_answered_not_500(client, auth, path):
    assert client.options(path, headers=auth).status_code == 200
    assert client.options(path).status_code == 200


# ---- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, field",
    [("/api/projects", "budget"), ("/api/projects", "hourly_rate"), ("/api/time-tracking", "hourly_rate")],
)
@pytest.mark.parametrize("amount", ["1e999999999", "1e-999999999"])
def test_an_amount_with_a_huge_exponent_is_422_naming_the_field(client, auth, path, field, amount):
    body = {"name": "P", "description": "x", "start_time": "2025-03-01T09:00:00Z", field: amount}
    assert field in assert_error_shape(client.post(path, json=body, headers=auth), 422)["errors"]["json"]


def test_an_invoice_item_with_a_huge_exponent_is_422_naming_the_field(client, auth):
    body = {
        "client_id": new_client(client, auth),
        "due_date": "9999-01-01",
        "items": [{"description": "Work", "quantity": "1e999999999", "rate": 10}],
    }
    errors = assert_error_shape(client.post("/api/invoices", json=body, headers=auth), 422)["errors"]["json"]
    assert "quantity" in errors["items"]["0"]


def test_a_zero_written_with_a_huge_exponent_is_zero(client, auth):
    response = client.post("/api/projects", json={"name": "P", "budget": "0e999999999"}, headers=auth)
    assert response.status_code == 201
    assert response.get_json()["budget"] == 0


# ---- dates and times ---------------------------------------------------------------------


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_timestamp_outside_utc_years_1_to_9999_is_422_naming_the_field(client, auth, start):
    response = client.post("/api/time-tracking", json={"description": "x", "start_time": start}, headers=auth)
    assert "Out of range" in assert_error_shape(response, 422)["errors"]["json"]["start_time"][0]


def test_a_due_date_timestamp_outside_the_calendar_is_422(client, auth):
    body = {
        "client_id": new_client(client, auth),
        "due_date": "0001-01-01T10:00:00+14:00",
        "items": [{"description": "Work", "quantity": 1, "rate": 10}],
    }
    response = client.post("/api/invoices", json=body, headers=auth)
    assert "due_date" in assert_error_shape(response, 422)["errors"]["json"]


def test_an_invoice_dated_9999_12_31_on_net_30_is_422_naming_the_due_date(client, auth, db):
    body = {
        "client_id": new_client(client, auth),
        "date": "9999-12-31",
        "payment_terms": "Net 30",
        "items": [{"description": "Work", "quantity": 1, "rate": 10}],
    }
    response = client.post("/api/invoices", json=body, headers=auth)
    assert "due_date" in assert_error_shape(response, 422)["errors"]["json"]
    assert db.invoices.count_documents({}) == 0


def test_an_invoice_dated_9999_12_31_with_its_due_date_is_created(client, auth):
    body = {
        "client_id": new_client(client, auth),
        "date": "9999-12-31",
        "due_date": "9999-12-31",
        "items": [{"description": "Work", "quantity": 1, "rate": 10}],
    }
    assert client.post("/api/invoices", json=body, headers=auth).status_code == 201


@pytest.mark.parametrize(
    "query",
    [
        "to=9999-12-31",
        "to=9999-12-31&tz=Pacific/Kiritimati",
        "to=9999-12-31&tz=America/Los_Angeles",
        "from=0001-01-01&to=0001-12-31",
        "from=0001-01-01&to=0001-12-31&tz=Pacific/Kiritimati",
        "to=0001-01-01",
        "to=0001-01-01&tz=America/Los_Angeles",
        "to=0001-01-01T00:00:00Z&tz=America/Los_Angeles",
        "from=9999-12-31T23:59:59Z&to=9999-12-31T23:59:59.999Z&tz=Pacific/Kiritimati",
    ],
)
@pytest.mark.parametrize("path", EVERY_RANGE_LIST)
def test_ranges_at_the_ends_of_the_calendar_are_answered_not_500(client, auth, path, query):
    response = get_with(client, path, query, auth)
    text = response.get_data(as_text=True)  # a CSV stream that broke off raises here
    assert response.status_code in (200, 422), text[:300]
    if response.status_code == 422:
        assert_error_shape(response, 422)


def test_an_open_ended_to_includes_everything_up_to_now(client, auth):
    client.post(
        "/api/time-tracking",
        json={"description": "Work", "start_time": "2025-03-01T09:00:00Z", "end_time": "2025-03-01T10:00:00Z"},
        headers=auth,
    )
    entries = client.get("/api/time-tracking?to=9999-12-31&tz=Pacific/Kiritimati", headers=auth).get_json()
    assert [entry["description"] for entry in entries] == ["Work"]
    assert client.get("/api/time-tracking?from=0001-01-01&tz=Pacific/Kiritimati", headers=auth).get_json() == entries


@pytest.mark.parametrize("path", ["/api/time-tracking/export.csv", "/api/invoices/export.csv"])
def test_a_csv_export_to_9999_12_31_is_a_complete_csv(client, auth, path):
    client.post(
        "/api/time-tracking",
        json={"description": "Work", "start_time": "2025-03-01T09:00:00Z", "end_time": "2025-03-01T10:00:00Z"},
        headers=auth,
    )
    client.post(
        "/api/invoices",
        json={
            "client_id": new_client(client, auth),
            "date": "2025-03-01",
            "due_date": "2025-04-01",
            "items": [{"description": "Work", "quantity": 1, "rate": 10}],
        },
        headers=auth,
    )
    response = client.get(f"{path}?to=9999-12-31", headers=auth)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 2


def test_a_report_window_ending_9999_12_31_groups_its_last_months(client, auth):
    response = client.get("/api/reports/revenue?to=9999-12-31", headers=auth)
    assert response.status_code == 200
    periods = response.get_json()["periods"]
    assert (periods[0]["period"], periods[-1]["period"], periods[-1]["end"]) == ("9999-01", "9999-12", "9999-12-31")


def test_a_report_window_ending_0001_01_01_starts_that_day(client, auth):
    response = client.get("/api/reports/revenue?to=0001-01-01&group=week", headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["to"] == "0001-01-01"
    assert [(p["period"], p["start"], p["end"]) for p in body["periods"]] == [("0001-W01", "0001-01-01", "0001-01-01")]
