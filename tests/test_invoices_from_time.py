"""Billing tracked time: POST /api/invoices/from-time.

Time tracking and projects are being built in parallel, so entries and projects are
inserted through the ``db`` fixture in the agreed storage model (rates as stored
ten-thousandths, durations in seconds).
"""

import threading
from datetime import datetime, timedelta, timezone

from bson import ObjectId

from orbix.common import money
from tests.conftest import assert_error_shape
from tests.test_invoices import make_client, put

START = datetime(2025, 5, 5, 9, 0, tzinfo=timezone.utc)


def entry(db, user, client_id, hours=1.0, rate=None, project_id=None, start=START, **fields):
    seconds = int(hours * 3600)
    doc = {
        "user_id": ObjectId(user["id"]), "description": fields.pop("description", "Work"), "project_id": project_id,
        "client_id": ObjectId(client_id), "start_time": start, "end_time": start + timedelta(seconds=seconds),
        "duration": seconds, "is_billable": True, "hourly_rate": money.rate_to_store(rate), "tags": [],
        "invoice_id": None, "invoiced_at": None, "created_at": start, "updated_at": start, **fields,
    }
    return str(db.time_entries.insert_one(doc).inserted_id)


def project(db, user, client_id, name="Website", rate=None):
    return db.projects.insert_one({"user_id": ObjectId(user["id"]), "name": name, "client_id": ObjectId(client_id), "hourly_rate": money.rate_to_store(rate), "currency": None}).inserted_id


def bill(client, auth, **body):
    return client.post("/api/invoices/from-time", json={"due_date": "2025-06-30", "date": "2025-06-01", **body}, headers=auth)


def invoice_ids(db, ids):
    return [db.time_entries.find_one({"_id": ObjectId(i)})["invoice_id"] for i in ids]


def test_bills_unbilled_billable_stopped_entries_at_their_effective_rates(client, auth, user, db):
    client_id = make_client(client, auth, default_hourly_rate=80, currency="EUR")
    web = project(db, user, client_id, rate=100)
    own_rate = entry(db, user, client_id, hours=1.5, rate=120)
    project_rate = entry(db, user, client_id, hours=0.25, project_id=web)
    client_rate = entry(db, user, client_id, hours=2)
    skipped = [
        entry(db, user, client_id, is_billable=False),
        entry(db, user, client_id, end_time=None, duration=0),
        entry(db, user, make_client(client, auth)),
    ]
    response = bill(client, auth, client_id=client_id, tax_rate=10)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "draft" and body["currency"] == "EUR"
    assert [(i["quantity"], i["rate"], i["amount"]) for i in body["items"]] == [(1.5, 120, 180), (0.25, 100, 25), (2, 80, 160)]
    assert (body["subtotal"], body["tax"], body["total"]) == (365, 36.5, 401.5)
    billed = [own_rate, project_rate, client_rate]
    assert sorted(body["time_entry_ids"]) == sorted(billed)
    assert invoice_ids(db, billed) == [ObjectId(body["_id"])] * 3
    assert invoice_ids(db, skipped) == [None] * 3
    assert_error_shape(bill(client, auth, client_id=client_id), 422)  # nothing left to bill


def test_amount_follows_the_billing_rule_per_entry(client, auth, user, db):
    client_id = make_client(client, auth)
    entry(db, user, client_id, hours=1000 / 3600, rate=100)  # 1000 s at 100/h = 27.777... -> 27.78
    body = bill(client, auth, client_id=client_id).get_json()
    assert body["items"][0]["amount"] == 27.78 and body["items"][0]["quantity"] == 0.2778


def test_grouping_per_project_and_per_rate(client, auth, user, db):
    client_id = make_client(client, auth, default_hourly_rate=50)
    web = project(db, user, client_id, name="Website")
    for hours in (1, 2):
        entry(db, user, client_id, hours=hours, project_id=web)
    entry(db, user, client_id, hours=1, rate=90, project_id=web)
    by_project = bill(client, auth, client_id=client_id, grouping="project").get_json()
    assert [(i["description"], i["quantity"], i["amount"]) for i in by_project["items"]] == [("Website at $50.00/h", 3, 150), ("Website at $90.00/h", 1, 90)]
    put(client, auth, by_project, status="void")  # releases the entries
    by_rate = bill(client, auth, client_id=client_id, grouping="rate").get_json()
    assert [(i["description"], i["amount"]) for i in by_rate["items"]] == [("Time at $50.00/h", 150), ("Time at $90.00/h", 90)]


def test_entry_ids_and_date_range_select_entries(client, auth, user, db):
    client_id = make_client(client, auth, default_hourly_rate=10)
    may = entry(db, user, client_id, start=START)
    june = entry(db, user, client_id, start=START + timedelta(days=31))
    chosen = bill(client, auth, client_id=client_id, entry_ids=[june]).get_json()
    assert chosen["time_entry_ids"] == [june]
    ranged = bill(client, auth, client_id=client_id, **{"from": "2025-05-01", "to": "2025-05-05"}).get_json()
    assert ranged["time_entry_ids"] == [may]


def test_project_selection_and_mismatched_client(client, auth, user, db):
    client_id = make_client(client, auth, default_hourly_rate=10)
    web = project(db, user, client_id)
    inside = entry(db, user, client_id, project_id=web)
    entry(db, user, client_id)
    body = bill(client, auth, project_id=str(web)).get_json()
    assert body["time_entry_ids"] == [inside] and body["project_id"] == str(web)
    assert_error_shape(bill(client, auth, project_id=str(web), client_id=make_client(client, auth)), 422)


def test_bad_requests_are_422_naming_the_field(client, auth, other_auth, user, db, make_user):
    client_id = make_client(client, auth)
    no_rate = entry(db, user, client_id)
    error = assert_error_shape(bill(client, auth, client_id=client_id), 422)
    assert no_rate in error["message"] and "entry_ids" in error["errors"]["json"]
    assert "client_id" in assert_error_shape(bill(client, auth), 422)["errors"]["json"]
    assert "client_id" in assert_error_shape(bill(client, auth, client_id=make_client(client, other_auth)), 422)["errors"]["json"]
    assert "grouping" in assert_error_shape(bill(client, auth, client_id=client_id, grouping="day"), 422)["errors"]["json"]
    assert "entry_ids" in assert_error_shape(bill(client, auth, client_id=client_id, entry_ids=[no_rate], **{"from": "2025-01-01"}), 422)["errors"]["json"]
    stranger = make_user()
    theirs = entry(db, stranger, make_client(client, stranger["headers"]), rate=10)
    error = assert_error_shape(bill(client, auth, client_id=client_id, entry_ids=[theirs]), 422)
    assert theirs in error["message"]
    assert invoice_ids(db, [theirs]) == [None]


def test_deleting_or_voiding_releases_entries(client, auth, user, db):
    client_id = make_client(client, auth, default_hourly_rate=10)
    ids = [entry(db, user, client_id), entry(db, user, client_id)]
    draft = bill(client, auth, client_id=client_id).get_json()
    assert client.delete(f"/api/invoices/{draft['_id']}", headers=auth).status_code == 200
    assert invoice_ids(db, ids) == [None, None]
    sent = bill(client, auth, client_id=client_id).get_json()
    put(client, auth, sent, status="sent")
    put(client, auth, sent, status="void")
    assert invoice_ids(db, ids) == [None, None]
    assert bill(client, auth, client_id=client_id).status_code == 201


def test_entries_are_released_when_the_invoice_cannot_be_written(client, auth, user, db, monkeypatch):
    from orbix.invoices import service

    client_id = make_client(client, auth, default_hourly_rate=10)
    ids = [entry(db, user, client_id)]

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(service.numbering, "insert_numbered", broken)
    assert_error_shape(bill(client, auth, client_id=client_id), 500)
    assert invoice_ids(db, ids) == [None] and db.time_entry_claims.count_documents({}) == 0


def test_concurrent_billing_never_bills_an_entry_twice(app, client, auth, user, db):
    client_id = make_client(client, auth, default_hourly_rate=10)
    ids = [entry(db, user, client_id, start=START + timedelta(hours=n)) for n in range(20)]
    results = []

    def attempt():
        results.append(app.test_client().post("/api/invoices/from-time", json={"client_id": client_id, "due_date": "2025-06-30", "date": "2025-06-01"}, headers=auth))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = [r.get_json() for r in results if r.status_code == 201]
    assert created and all(r.status_code in (201, 409, 422) for r in results)
    billed = [entry_id for invoice in created for entry_id in invoice["time_entry_ids"]]
    assert sorted(billed) == sorted(ids)  # every entry exactly once
    for invoice in created:
        marked = {str(e["_id"]) for e in db.time_entries.find({"invoice_id": ObjectId(invoice["_id"])})}
        assert marked == set(invoice["time_entry_ids"])
    assert sum(i["total"] for i in created) == 200
