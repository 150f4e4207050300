"""GET /api/dashboard: counts, money per currency and time, relative to today."""

from datetime import datetime, time, timedelta, timezone

from bson import ObjectId

from orbix.reports.periods import month_start
from tests.documents import csv_rows
from tests.factories import assert_error_shape, make_client, make_payment
from tests.reports.records import add_entry, add_project, issued

UTC = timezone.utc


def test_dashboard_counts_and_sums_the_users_records_relative_to_today(client, auth, user, other_auth, db):
    today = datetime.now(UTC).date()
    eur = make_client(client, auth, currency="EUR", default_hourly_rate=60)["_id"]
    usd = make_client(client, auth, currency="USD", default_hourly_rate=100)["_id"]
    make_client(client, auth, archived=True)
    add_project(db, user, eur, "Live")
    add_project(db, user, eur, "Done", status="completed")
    late = issued(
        client, auth, eur, 200, (today - timedelta(days=40)).isoformat(), (today - timedelta(days=10)).isoformat()
    )
    make_payment(client, auth, late, 50, date=today.isoformat())
    make_payment(client, auth, late, 30, date=month_start(today, back=1).isoformat())
    issued(client, auth, usd, 30, today.isoformat(), (today + timedelta(days=10)).isoformat())
    issued(client, auth, eur, 70, today.isoformat(), status="draft")
    issued(client, auth, eur, 80, today.isoformat(), status="void")
    uid = ObjectId(user["id"])
    db.contracts.insert_many(
        [
            {"user_id": uid, "status": "signed"},
            {"user_id": uid, "status": "draft"},
            {"user_id": ObjectId(), "status": "signed"},
        ]
    )
    db.resumes.insert_one({"user_id": uid, "title": "CV"})
    midnight = datetime.combine(today, time(), UTC)
    add_entry(db, user, midnight, 2, eur)  # today: this week and this month, unbilled 120 EUR
    add_entry(db, user, midnight, 1, usd, billable=False)
    add_entry(db, user, midnight, 1, usd, invoiced=True)
    add_entry(db, user, midnight - timedelta(days=400), 0.5, usd)  # long ago, still unbilled: 50 USD
    add_entry(db, user, midnight + timedelta(hours=1), 0, eur, running=True)
    issued(client, other_auth, make_client(client, other_auth, currency="EUR")["_id"], 999, today.isoformat())

    response = client.get("/api/dashboard", headers=auth)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["clients"] == {"total": 3, "active": 2} and body["projects"] == {"total": 2, "active": 1}
    assert body["invoices"]["by_status"] == {"draft": 1, "sent": 1, "partial": 0, "paid": 0, "overdue": 1, "void": 1}
    assert body["contracts"]["total"] == 2 and body["contracts"]["by_status"]["signed"] == 1 and body["resumes"] == 1
    assert body["outstanding"] == {"EUR": 120, "USD": 30} and body["overdue"] == {"EUR": 120}
    assert body["revenue"] == {"this_month": {"EUR": 50}, "last_month": {"EUR": 30}}
    for span in ("this_week", "this_month"):
        figures = body["hours"][span]
        assert (figures["hours"], figures["billable_hours"], figures["billable_share"], figures["value"]) == (
            4,
            3,
            0.75,
            {"EUR": 120, "USD": 100},
        )
    assert (body["unbilled"]["hours"], body["unbilled"]["value"]) == (2.5, {"EUR": 120, "USD": 50})
    assert body["running_timer"]["start_time"] == (midnight + timedelta(hours=1)).isoformat()

    rows = csv_rows(client.get("/api/dashboard?format=csv", headers=auth))
    assert ["outstanding", "", "USD", "30"] in rows and ["revenue", "last_month", "EUR", "30"] in rows


def test_dashboard_of_a_new_account_is_all_zero(client, auth):
    body = client.get("/api/dashboard?tz=Asia/Kolkata", headers=auth).get_json()
    assert body["tz"] == "Asia/Kolkata" and body["running_timer"] is None
    assert body["outstanding"] == {} and body["unbilled"]["hours"] == 0 and body["invoices"]["total"] == 0


def test_dashboard_bad_parameters_are_422(client, auth):
    for query, field in (("tz=Nowhere/City", "tz"), ("format=pdf", "format")):
        body = assert_error_shape(client.get(f"/api/dashboard?{query}", headers=auth), 422)
        assert field in body["errors"]["query"]
