"""Reports: revenue, hours, aging and clients, with hand-computed figures.

Time entries and projects are written straight into the database (tests/reports/records.py),
always before the first report of a test; clients, invoices and payments go through the API.
"""

from datetime import date, datetime, timedelta, timezone

import pytest
import redis
from bson import ObjectId

from orbix.common import data_versions
from orbix.reports import snapshot
from tests.documents import csv_rows
from tests.factories import assert_error_shape, make_client, make_expense, make_payment
from tests.reports.records import add_entry, add_project, issued

UTC = timezone.utc


def report(client, auth, name, **query):
    response = client.get(f"/api/reports/{name}", query_string=query, headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# --- revenue --------------------------------------------------------------------


@pytest.fixture
def payments(client, auth, other_auth):
    """EUR 200 invoice part-paid 50 on Jan 31 and 70.50 on Feb 1; USD 30 paid on Feb 28;
    another user's EUR payment on Feb 1 that must never show."""
    eur, usd = make_client(client, auth, currency="EUR")["_id"], make_client(client, auth, currency="USD")["_id"]
    invoice = issued(client, auth, eur, 200, "2025-01-10", "2025-02-10")
    make_payment(client, auth, invoice, 50, date="2025-01-31")
    make_payment(client, auth, invoice, 70.5, date="2025-02-01")
    make_payment(client, auth, issued(client, auth, usd, 30, "2025-02-01"), 30, date="2025-02-28")
    issued(client, auth, eur, 500, "2025-02-01", status="void")
    mallory = issued(client, other_auth, make_client(client, other_auth, currency="EUR")["_id"], 999, "2025-02-01")
    make_payment(client, other_auth, mallory, 999, date="2025-02-01")
    return eur, usd


def test_revenue_per_month_per_currency_with_the_payment_on_the_month_boundary(client, auth, payments):
    body = report(client, auth, "revenue", **{"from": "2025-01-01", "to": "2025-03-31"})
    assert [(p["period"], p["received"], p["payments"]) for p in body["periods"]] == [
        ("2025-01", {"EUR": 50}, 1), ("2025-02", {"EUR": 70.5, "USD": 30}, 2), ("2025-03", {}, 0)]
    assert body["total"] == {"EUR": 120.5, "USD": 30}


def test_revenue_gains_expenses_and_cash_profit_per_currency_in_the_window(client, auth, other_auth, payments):
    make_expense(client, auth, date="2025-01-15", amount=20.25, currency="EUR")
    make_expense(client, auth, date="2025-03-31", amount=10, currency="EUR", billable=True, markup_percent=10,
                 client_id=payments[0])
    make_expense(client, auth, date="2025-02-10", amount=7, currency="GBP")
    make_expense(client, auth, date="2025-04-01", amount=1000, currency="EUR")  # after the window
    make_expense(client, other_auth, date="2025-01-15", amount=999, currency="EUR")  # someone else's
    body = report(client, auth, "revenue", **{"from": "2025-01-01", "to": "2025-03-31"})
    assert body["expenses"] == {"EUR": 30.25, "GBP": 7}
    assert body["profit"] == {"EUR": 90.25, "GBP": -7, "USD": 30}  # 120.50 - 30.25; nothing received in GBP
    assert report(client, auth, "revenue", **{"from": "2025-01-01", "to": "2025-01-31"})["profit"] == {"EUR": 29.75}


def test_revenue_to_a_date_includes_that_day_only(client, auth, payments):
    assert report(client, auth, "revenue", **{"from": "2025-01-01", "to": "2025-01-31"})["total"] == {"EUR": 50}
    assert report(client, auth, "revenue", **{"from": "2025-02-01", "to": "2025-02-01"})["total"] == {"EUR": 70.5}


def test_revenue_payment_dates_are_calendar_dates_in_any_time_zone(client, auth, payments):
    for tz in ("Pacific/Auckland", "America/Los_Angeles"):
        body = report(client, auth, "revenue", **{"from": "2025-02-01", "to": "2025-02-28", "group": "week", "tz": tz})
        assert body["periods"][0] == {
            "period": "2025-W05",
            "start": "2025-02-01",
            "end": "2025-02-02",
            "payments": 1,
            "payments_by_currency": {"EUR": 1},
            "received": {"EUR": 70.5},
            "credited": {},
        }
        assert body["periods"][-1]["received"] == {"USD": 30} and body["total"] == {"EUR": 70.5, "USD": 30}


def test_revenue_csv_has_one_row_per_period_and_currency(client, auth, payments):
    rows = csv_rows(client.get("/api/reports/revenue?from=2025-01-01&to=2025-02-28&format=csv", headers=auth))
    assert rows == [
        ["period", "start", "end", "currency", "received", "payments"],
        ["2025-01", "2025-01-01", "2025-01-31", "EUR", "50", "1"],
        ["2025-02", "2025-02-01", "2025-02-28", "EUR", "70.5", "1"],  # payments in that currency
        ["2025-02", "2025-02-01", "2025-02-28", "USD", "30", "1"],
    ]


# --- hours ----------------------------------------------------------------------


def berlin_march(db, user, client_id):
    """Entries around the spring DST change (Sunday 2025-03-30, CET -> CEST), rate 80."""
    add_entry(db, user, datetime(2025, 3, 28, 23, 0, tzinfo=UTC), 1, client_id)  # 29th 00:00 CET: first instant
    add_entry(db, user, datetime(2025, 3, 29, 23, 30, tzinfo=UTC), 1, client_id)  # 30th 00:30 CET
    add_entry(db, user, datetime(2025, 3, 30, 21, 59, tzinfo=UTC), 0.5, client_id, billable=False)  # 30th 23:59 CEST
    add_entry(db, user, datetime(2025, 3, 30, 22, 30, tzinfo=UTC), 2, client_id)  # 31st 00:30 CEST
    add_entry(db, user, datetime(2025, 3, 31, 22, 0, tzinfo=UTC), 4, client_id)  # April 1st 00:00 CEST: after `to`


def day_rows(body):
    return [(g["key"], g["hours"], g["billable_hours"], g["value"]) for g in body["groups"]]


def test_hours_by_local_day_across_the_spring_dst_change(client, auth, user, db):
    berlin_march(db, user, make_client(client, auth, currency="EUR", default_hourly_rate=80)["_id"])
    body = report(client, auth, "hours", group="day", tz="Europe/Berlin", **{"from": "2025-03-29", "to": "2025-03-31"})
    assert day_rows(body) == [
        ("2025-03-29", 1, 1, {"EUR": 80}),
        ("2025-03-30", 1.5, 1, {"EUR": 80}),
        ("2025-03-31", 2, 2, {"EUR": 160}),
    ]
    assert (body["total"]["hours"], body["total"]["billable_share"], body["total"]["value"]) == (
        4.5,
        0.8889,
        {"EUR": 320},
    )
    utc = report(client, auth, "hours", group="day", **{"from": "2025-03-29", "to": "2025-03-31"})
    assert day_rows(utc) == [
        ("2025-03-29", 1, 1, {"EUR": 80}),
        ("2025-03-30", 2.5, 2, {"EUR": 160}),
        ("2025-03-31", 4, 4, {"EUR": 320}),
    ]


def test_hours_by_local_day_across_the_autumn_dst_change(client, auth, user, db):
    eur = make_client(client, auth, currency="EUR", default_hourly_rate=100)["_id"]
    add_entry(db, user, datetime(2025, 10, 25, 22, 30, tzinfo=UTC), 1, eur)  # 26th 00:30 CEST
    add_entry(db, user, datetime(2025, 10, 26, 22, 30, tzinfo=UTC), 1, eur)  # 26th 23:30 CET (the 25-hour day)
    add_entry(db, user, datetime(2025, 10, 26, 23, 0, tzinfo=UTC), 1, eur)  # 27th 00:00 CET
    body = report(client, auth, "hours", group="day", tz="Europe/Berlin", **{"from": "2025-10-26", "to": "2025-10-27"})
    assert day_rows(body) == [("2025-10-26", 2, 2, {"EUR": 200}), ("2025-10-27", 1, 1, {"EUR": 100})]


def test_hours_by_client_and_project_keep_currencies_apart(client, auth, user, other_auth, make_user, db):
    eur = make_client(client, auth, name="Acme", currency="EUR", default_hourly_rate=80)["_id"]
    usd = make_client(client, auth, name="Bolt", currency="USD", default_hourly_rate=50)["_id"]
    site = add_project(db, user, eur, "Website", rate=100)
    day = datetime(2025, 5, 5, 9, tzinfo=UTC)
    add_entry(db, user, day, 1.5, eur, site)  # project rate: 150 EUR
    add_entry(db, user, day, 1, eur, site, rate=120)  # own rate: 120 EUR
    add_entry(db, user, day, 2, eur)  # client rate: 160 EUR
    add_entry(db, user, day, 1000 / 3600, usd)  # 1000 s at 50/h = 13.888.. -> 13.89 USD
    add_entry(db, user, day, 3, usd, billable=False)
    add_entry(db, user, day, 5, usd, running=True)  # a running timer is not tracked time yet
    intruder = make_user()
    add_entry(
        db, intruder, day, 9, make_client(client, intruder["headers"], currency="EUR", default_hourly_rate=1000)["_id"]
    )
    window = {"from": "2025-05-01", "to": "2025-05-31"}
    by_client = report(client, auth, "hours", group="client", **window)
    assert [(g["label"], g["hours"], g["billable_hours"], g["value"]) for g in by_client["groups"]] == [
        ("Acme", 4.5, 4.5, {"EUR": 430}),
        ("Bolt", 3.28, 0.28, {"USD": 13.89}),
    ]
    assert by_client["total"]["value"] == {"EUR": 430, "USD": 13.89} and by_client["total"]["seconds"] == 28000
    by_project = report(client, auth, "hours", group="project", **window)
    assert [(g["key"], g["label"], g["value"]) for g in by_project["groups"]] == [
        (site, "Website", {"EUR": 270}),
        (None, "No project", {"EUR": 160, "USD": 13.89}),
    ]


def test_hours_entry_starting_exactly_at_a_timestamp_to_is_included(client, auth, user, db):
    eur = make_client(client, auth, currency="EUR", default_hourly_rate=10)["_id"]
    add_entry(db, user, datetime(2025, 6, 1, tzinfo=UTC), 1, eur)
    add_entry(db, user, datetime(2025, 6, 1, 0, 0, 1, tzinfo=UTC), 1, eur)
    body = report(
        client, auth, "hours", group="client", **{"from": "2025-05-31T00:00:00Z", "to": "2025-06-01T00:00:00Z"}
    )
    assert body["total"]["hours"] == 1 and body["to"] == "2025-06-01"


def test_hours_csv_escapes_formulas_in_names(client, auth, user, db):
    evil = make_client(client, auth, name='=HYPERLINK("http://x")', currency="EUR", default_hourly_rate=10)["_id"]
    add_entry(db, user, datetime(2025, 6, 2, tzinfo=UTC), 2, evil)
    rows = csv_rows(
        client.get("/api/reports/hours?group=client&from=2025-06-01&to=2025-06-30&format=csv", headers=auth)
    )
    assert rows[0] == ["key", "label", "hours", "billable_hours", "currency", "value"]
    assert rows[1][1:] == ['\'=HYPERLINK("http://x")', "2", "2", "EUR", "20"]


# --- aging ----------------------------------------------------------------------

AS_OF = date(2025, 6, 30)


def due(days_late):
    return (AS_OF - timedelta(days=days_late)).isoformat()


def test_aging_buckets_open_balances_at_their_edges(client, auth, other_auth):
    eur, usd = make_client(client, auth, currency="EUR")["_id"], make_client(client, auth, currency="USD")["_id"]
    numbers = {}
    for late, amount in ((-5, 10), (0, 20), (30, 30), (31, 40), (90, 50), (91, 60)):
        numbers[late] = issued(client, auth, eur, amount, due(late + 30), due(late))["invoice_number"]
    part = issued(client, auth, usd, 100, due(60), due(45))
    make_payment(client, auth, part, 25.5, date=due(40))
    make_payment(client, auth, issued(client, auth, eur, 70, due(80), due(50)), 70, date=due(50))  # settled
    issued(client, auth, eur, 80, due(80), due(50), status="void")
    issued(client, auth, eur, 90, due(80), due(50), status="draft")
    issued(client, other_auth, make_client(client, other_auth)["_id"], 1000, due(100), due(100))
    body = report(client, auth, "aging", as_of=AS_OF.isoformat())
    summary = {
        b["bucket"]: (b["count"], b["balance_due"], [i["invoice_number"] for i in b["invoices"]])
        for b in body["buckets"]
    }
    assert summary == {
        "current": (2, {"EUR": 30}, [numbers[0], numbers[-5]]),
        "1-30": (1, {"EUR": 30}, [numbers[30]]),
        "31-60": (2, {"EUR": 40, "USD": 74.5}, [part["invoice_number"], numbers[31]]),
        "61-90": (1, {"EUR": 50}, [numbers[90]]),
        "90+": (1, {"EUR": 60}, [numbers[91]]),
    }
    assert body["total"] == {"EUR": 210, "USD": 74.5}
    late = body["buckets"][2]["invoices"][0]
    assert (late["status"], late["days_overdue"], late["balance_due"], late["currency"]) == ("overdue", 45, 74.5, "USD")


def test_aging_csv_lists_invoices(client, auth):
    invoice = issued(client, auth, make_client(client, auth, name="@risk", currency="EUR")["_id"], 10, due(40), due(10))
    rows = csv_rows(client.get(f"/api/reports/aging?as_of={AS_OF}&format=csv", headers=auth))
    assert rows[1] == ["1-30", invoice["invoice_number"], "'@risk", "overdue", due(10), "10", "EUR", "10"]


# --- clients --------------------------------------------------------------------


def test_clients_report_per_client_and_currency(client, auth, user, other_auth, db):
    acme = make_client(client, auth, name="Acme", currency="EUR", default_hourly_rate=50)["_id"]
    bolt = make_client(client, auth, name="Bolt", currency="USD")["_id"]
    first = issued(client, auth, acme, 300, "2025-03-01", "2025-03-31")
    make_payment(client, auth, first, 100, date="2025-03-15")
    make_payment(client, auth, first, 50, date="2025-04-01")  # after the window
    issued(client, auth, acme, 999, "2025-03-05", status="void")
    issued(client, auth, acme, 555, "2025-03-05", status="draft")
    issued(client, auth, acme, 20, "2025-02-28")  # before the window
    make_payment(client, auth, issued(client, auth, acme, 40, "2025-03-10", currency="USD"), 40, date="2025-03-20")
    issued(client, auth, bolt, 10, "2025-03-31")
    add_entry(db, user, datetime(2025, 3, 3, 9, tzinfo=UTC), 4, acme)
    add_entry(db, user, datetime(2025, 3, 4, 9, tzinfo=UTC), 1, acme, billable=False)
    add_entry(db, user, datetime(2025, 4, 1, 9, tzinfo=UTC), 8, acme)  # after the window
    issued(client, other_auth, make_client(client, other_auth, name="Acme")["_id"], 5000, "2025-03-05")
    body = report(client, auth, "clients", **{"from": "2025-03-01", "to": "2025-03-31"})
    assert body["clients"] == [
        {
            "client_id": acme,
            "client": "Acme",
            "invoiced": {"EUR": 300, "USD": 40},
            "credited": {},
            "paid": {"EUR": 100, "USD": 40},
            "outstanding": {"EUR": 150, "USD": 0},
            "hours": 5,
            "billable_hours": 4,
            "value": {"EUR": 200},
            "effective_hourly_rate": {"EUR": 75, "USD": 10},  # invoiced / 4 billable hours
        },
        {
            "client_id": bolt,
            "client": "Bolt",
            "invoiced": {"USD": 10},
            "credited": {},
            "paid": {},
            "outstanding": {"USD": 10},
            "hours": 0,
            "billable_hours": 0,
            "value": {},
            "effective_hourly_rate": {},
        },
    ]
    rows = csv_rows(client.get("/api/reports/clients?from=2025-03-01&to=2025-03-31&format=csv", headers=auth))
    assert rows[1:3] == [
        ["Acme", "EUR", "300", "100", "150", "200", "5", "75"],
        ["Acme", "USD", "40", "40", "0", "0", "5", "10"],
    ]


# --- validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path, query, field",
    [
        ("revenue", "group=year", "group"),
        ("hours", "group=month", "group"),
        ("revenue", "tz=Mars/Olympus", "tz"),
        ("hours", "tz=../../etc/passwd", "tz"),
        ("clients", "from=2025-02-30", "from"),
        ("revenue", "from=2025-03-01&to=2025-02-01", "to"),
        ("hours", "from=2025-03-01T10:00:00Z&to=2025-03-01T09:00:00Z", "to"),
        ("revenue", "from=2000-01-01&to=2025-01-01&group=day", "from"),
        ("clients", "format=xlsx", "format"),
        ("aging", "as_of=yesterday", "as_of"),
    ],
)
def test_bad_query_parameters_are_422_naming_them(client, auth, path, query, field):
    body = assert_error_shape(client.get(f"/api/reports/{path}?{query}", headers=auth), 422)
    assert field in body["errors"]["query"], body


@pytest.mark.parametrize(
    "path",
    ["/api/dashboard", "/api/reports/revenue", "/api/reports/hours", "/api/reports/aging", "/api/reports/clients"],
)
def test_reports_require_a_token(client, path):
    assert_error_shape(client.get(path), 401)


# --- freshness ------------------------------------------------------------------


def test_a_write_through_the_api_shows_in_the_next_report(client, auth, other_auth, user, db):
    invoice = issued(client, auth, make_client(client, auth, currency="EUR")["_id"], 100, "2025-01-01")
    window = {"from": "2025-01-01", "to": "2025-01-31"}
    assert report(client, auth, "revenue", **window)["total"] == {}
    token = db.data_versions.find_one({"_id": ObjectId(user["id"])})["token"]
    issued(client, other_auth, make_client(client, other_auth)["_id"], 5, "2025-01-01")  # another user's write
    assert db.data_versions.find_one({"_id": ObjectId(user["id"])})["token"] == token
    make_payment(client, auth, invoice, 12.5, date="2025-01-02")
    assert db.data_versions.find_one({"_id": ObjectId(user["id"])})["token"] != token
    assert report(client, auth, "revenue", **window)["total"] == {"EUR": 12.5}


def test_reads_and_unauthenticated_writes_keep_the_version(client, auth, user, db):
    """(A write refused by validation does bump: the bump before the view cannot know.)"""
    report(client, auth, "aging")
    token = db.data_versions.find_one({"_id": ObjectId(user["id"])})["token"]
    assert client.post("/api/clients", json={}).status_code == 401
    client.get("/api/clients", headers=auth)
    assert db.data_versions.find_one({"_id": ObjectId(user["id"])})["token"] == token


def test_a_write_during_a_cache_build_makes_the_next_request_rebuild(client, auth, user, monkeypatch):
    builds = []
    original = snapshot.build

    def build_with_a_concurrent_write(user_id, user_doc):
        result = original(user_id, user_doc)
        if not builds:
            data_versions.bump(user_id)  # a write that committed while this build was scanning
        builds.append(user_id)
        return result

    monkeypatch.setattr(snapshot, "build", build_with_a_concurrent_write)
    for _ in range(3):
        report(client, auth, "aging")
    assert len(builds) == 2  # rebuilt once after the concurrent write, then served warm


def test_cli_mark_overdue_bumps_every_users_version(app, client, auth, other_auth, db):
    issued(client, auth, make_client(client, auth)["_id"], 10, "2025-01-01", "2025-01-02")
    report(client, auth, "aging")
    report(client, other_auth, "aging")
    before = {doc["_id"]: doc["token"] for doc in db.data_versions.find()}
    result = app.test_cli_runner().invoke(args=["invoices", "mark-overdue"])
    assert result.exit_code == 0 and "marked 1 invoice overdue" in result.output
    after = {doc["_id"]: doc["token"] for doc in db.data_versions.find()}
    assert after.keys() == before.keys() and all(after[key] != before[key] for key in before)


def test_report_json_echoes_the_window_it_used(client, auth):
    body = report(client, auth, "revenue", **{"from": "2025-01-01", "to": "2025-03-31"})
    assert body["from"] == "2025-01-01" and body["to"] == "2025-03-31"
    default = report(client, auth, "clients")
    assert default["from"] <= default["to"]


def test_a_write_replaces_the_redis_half_of_the_version_and_a_read_keeps_it(client, auth, user, redis_uri):
    """The bump before a write's view rides on the rate limiter's Redis round trip (no database write)."""
    versions = redis.Redis.from_url(redis_uri)
    key = f"orbix:data-version:{user['id']}"
    client.get("/api/clients", headers=auth)
    before = versions.get(key)
    assert before is not None
    client.get("/api/clients", headers=auth)
    assert versions.get(key) == before
    make_client(client, auth)
    assert versions.get(key) not in (None, before)
