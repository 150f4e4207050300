"""Billing tracked time: POST /api/invoices/from-time.

Every project and time entry is created through the HTTP API (``/api/projects``,
``/api/time-tracking``). An entry gets its ``client_id`` only through its project, so
an entry billed at the client's rate sits in a project without a rate of its own.
The ``db`` fixture is used only to read stored state.
"""

from datetime import datetime, timedelta, timezone

from bson import ObjectId

from tests.concurrency import at_once
from tests.factories import assert_error_shape, make_client, make_project, make_time_entry, set_invoice_status

ENTRIES = "/api/time-tracking"
START = datetime(2025, 5, 5, 9, 0, tzinfo=timezone.utc)


def bill(client, auth, **body):
    return client.post(
        "/api/invoices/from-time", json={"due_date": "2025-06-30", "date": "2025-06-01", **body}, headers=auth
    )


def invoice_ids(db, ids):
    return [db.time_entries.find_one({"_id": ObjectId(i)})["invoice_id"] for i in ids]


def test_bills_unbilled_billable_stopped_entries_at_their_effective_rates(client, auth, db):
    client_id = make_client(client, auth, default_hourly_rate=80, currency="EUR")["_id"]
    web = make_project(client, auth, client_id=client_id, name="Website", hourly_rate=100)["_id"]
    support = make_project(client, auth, client_id=client_id, name="Support")["_id"]  # no rate: the client's applies
    own_rate = make_time_entry(client, auth, project_id=web, start_time=START, hours=1.5, hourly_rate=120)[
        "_id"
    ]  # the entry's rate beats the project's
    project_rate = make_time_entry(client, auth, project_id=web, start_time=START + timedelta(hours=2), hours=0.25)[
        "_id"
    ]
    client_rate = make_time_entry(client, auth, project_id=support, start_time=START + timedelta(hours=3), hours=2)[
        "_id"
    ]
    other_client = make_client(client, auth)["_id"]
    elsewhere = make_project(client, auth, client_id=other_client, name="Elsewhere", hourly_rate=70)["_id"]
    skipped = [
        make_time_entry(
            client, auth, project_id=support, start_time=START + timedelta(hours=4), hours=1, is_billable=False
        )["_id"],
        make_time_entry(client, auth, project_id=support, start_time=START + timedelta(hours=5), end_time=None)["_id"],
        make_time_entry(client, auth, project_id=elsewhere, start_time=START + timedelta(hours=6), hours=1)["_id"],
    ]
    response = bill(client, auth, client_id=client_id, tax_rate=10)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "draft" and body["currency"] == "EUR"
    assert [(i["quantity"], i["rate"], i["amount"]) for i in body["items"]] == [
        (1.5, 120, 180),
        (0.25, 100, 25),
        (2, 80, 160),
    ]
    assert (body["subtotal"], body["tax"], body["total"]) == (365, 36.5, 401.5)
    billed = [own_rate, project_rate, client_rate]
    assert sorted(body["time_entry_ids"]) == sorted(billed)
    assert invoice_ids(db, billed) == [ObjectId(body["_id"])] * 3
    assert invoice_ids(db, skipped) == [None] * 3
    assert_error_shape(bill(client, auth, client_id=client_id), 422)  # nothing left to bill


def test_users_default_rate_is_the_last_fallback(client, auth):
    settings = {"settings": {"default_hourly_rate": 40, "default_currency": "GBP"}}
    assert client.patch("/api/auth/me", json=settings, headers=auth).status_code == 200
    client_id = make_client(client, auth)["_id"]  # no rate, no currency
    web = make_project(client, auth, client_id=client_id)["_id"]
    only = make_time_entry(client, auth, project_id=web, start_time=START, hours=3)["_id"]
    body = bill(client, auth, client_id=client_id).get_json()
    assert body["currency"] == "GBP" and body["time_entry_ids"] == [only]
    assert [(i["quantity"], i["rate"], i["amount"]) for i in body["items"]] == [(3, 40, 120)]


def test_amount_follows_the_billing_rule_per_entry(client, auth):
    client_id = make_client(client, auth)["_id"]
    web = make_project(client, auth, client_id=client_id)["_id"]
    make_time_entry(
        client, auth, project_id=web, start_time=START, hours=1000 / 3600, hourly_rate=100
    )  # 1000 s at 100/h = 27.777... -> 27.78
    body = bill(client, auth, client_id=client_id).get_json()
    assert body["items"][0]["amount"] == 27.78 and body["items"][0]["quantity"] == 0.2778


def test_lines_group_entries_per_project_and_rate_or_per_rate(client, auth):
    client_id = make_client(client, auth, default_hourly_rate=50)["_id"]
    web = make_project(client, auth, client_id=client_id, name="Website")["_id"]
    for n, hours in enumerate((1, 2)):
        make_time_entry(client, auth, project_id=web, start_time=START + timedelta(hours=3 * n), hours=hours)
    make_time_entry(client, auth, project_id=web, start_time=START + timedelta(hours=6), hours=1, hourly_rate=90)
    by_project = bill(client, auth, client_id=client_id, grouping="project").get_json()
    assert [(i["description"], i["quantity"], i["amount"]) for i in by_project["items"]] == [
        ("Website at $50.00/h", 3, 150),
        ("Website at $90.00/h", 1, 90),
    ]
    set_invoice_status(client, auth, by_project, "void")  # releases the entries
    by_rate = bill(client, auth, client_id=client_id, grouping="rate").get_json()
    assert [(i["description"], i["amount"]) for i in by_rate["items"]] == [
        ("Time at $50.00/h", 150),
        ("Time at $90.00/h", 90),
    ]


def test_entry_ids_and_date_range_select_entries(client, auth):
    client_id = make_client(client, auth, default_hourly_rate=10)["_id"]
    web = make_project(client, auth, client_id=client_id)["_id"]
    may = make_time_entry(client, auth, project_id=web, start_time=START, hours=1)["_id"]
    june = make_time_entry(client, auth, project_id=web, start_time=START + timedelta(days=31), hours=1)["_id"]
    chosen = bill(client, auth, client_id=client_id, entry_ids=[june]).get_json()
    assert chosen["time_entry_ids"] == [june]
    ranged = bill(client, auth, client_id=client_id, **{"from": "2025-05-01", "to": "2025-05-05"}).get_json()
    assert ranged["time_entry_ids"] == [may]


def test_billing_a_project_takes_its_entries_only_and_refuses_another_client(client, auth):
    client_id = make_client(client, auth, default_hourly_rate=10)["_id"]
    web = make_project(client, auth, client_id=client_id)["_id"]
    inside = make_time_entry(client, auth, project_id=web, start_time=START, hours=1)["_id"]
    other = make_project(client, auth, client_id=client_id, name="Other")["_id"]
    make_time_entry(client, auth, project_id=other, start_time=START + timedelta(hours=2), hours=1)
    body = bill(client, auth, project_id=web).get_json()
    assert body["time_entry_ids"] == [inside] and body["project_id"] == web
    assert_error_shape(bill(client, auth, project_id=web, client_id=make_client(client, auth)["_id"]), 422)


def test_bad_requests_are_422_naming_the_field(client, auth, other_auth, db, make_user):
    client_id = make_client(client, auth)["_id"]
    web = make_project(client, auth, client_id=client_id)["_id"]
    no_rate = make_time_entry(client, auth, project_id=web, start_time=START, hours=1)["_id"]
    error = assert_error_shape(bill(client, auth, client_id=client_id), 422)
    assert no_rate in error["message"] and "entry_ids" in error["errors"]["json"]
    assert "client_id" in assert_error_shape(bill(client, auth), 422)["errors"]["json"]
    assert (
        "client_id"
        in assert_error_shape(bill(client, auth, client_id=make_client(client, other_auth)["_id"]), 422)["errors"][
            "json"
        ]
    )
    assert (
        "grouping" in assert_error_shape(bill(client, auth, client_id=client_id, grouping="day"), 422)["errors"]["json"]
    )
    assert (
        "entry_ids"
        in assert_error_shape(
            bill(client, auth, client_id=client_id, entry_ids=[no_rate], **{"from": "2025-01-01"}), 422
        )["errors"]["json"]
    )
    stranger = make_user()
    their_client = make_client(client, stranger["headers"])["_id"]
    their_project = make_project(client, stranger["headers"], client_id=their_client)["_id"]
    theirs = make_time_entry(
        client, stranger["headers"], project_id=their_project, start_time=START, hours=1, hourly_rate=10
    )["_id"]
    error = assert_error_shape(bill(client, auth, client_id=client_id, entry_ids=[theirs]), 422)
    assert theirs in error["message"]
    assert invoice_ids(db, [theirs, no_rate]) == [None, None]


def test_deleting_or_voiding_releases_entries(client, auth, db):
    client_id = make_client(client, auth, default_hourly_rate=10)["_id"]
    web = make_project(client, auth, client_id=client_id)["_id"]
    ids = [
        make_time_entry(client, auth, project_id=web, start_time=START + timedelta(hours=n), hours=1)["_id"]
        for n in (0, 2)
    ]
    draft = bill(client, auth, client_id=client_id).get_json()
    assert client.delete(f"/api/invoices/{draft['_id']}", headers=auth).status_code == 200
    assert invoice_ids(db, ids) == [None, None]
    sent = bill(client, auth, client_id=client_id).get_json()
    set_invoice_status(client, auth, sent, "sent")
    set_invoice_status(client, auth, sent, "void")
    assert invoice_ids(db, ids) == [None, None]
    assert bill(client, auth, client_id=client_id).status_code == 201


def test_released_entries_follow_a_project_moved_to_another_client_meanwhile(client, auth):
    first = make_client(client, auth, default_hourly_rate=10)["_id"]
    second = make_client(client, auth, name="Second Ltd", default_hourly_rate=20)["_id"]
    web = make_project(client, auth, client_id=first)["_id"]
    billed = make_time_entry(client, auth, project_id=web, start_time=START, hours=1)["_id"]
    invoice = bill(client, auth, client_id=first).get_json()
    assert client.patch(f"/api/projects/{web}", json={"client_id": second}, headers=auth).status_code == 200
    assert client.get(f"{ENTRIES}/{billed}", headers=auth).get_json()["client_id"] == first  # invoiced: stays put
    assert set_invoice_status(client, auth, invoice, "void").status_code == 200
    assert client.get(f"{ENTRIES}/{billed}", headers=auth).get_json()["client_id"] == second
    assert_error_shape(bill(client, auth, client_id=first), 422)
    rebilled = bill(client, auth, project_id=web).get_json()
    assert rebilled["client_id"] == second and rebilled["time_entry_ids"] == [billed] and rebilled["total"] == 20


def test_entries_are_released_when_the_invoice_cannot_be_written(client, auth, db, monkeypatch):
    from orbix.invoices import service

    client_id = make_client(client, auth, default_hourly_rate=10)["_id"]
    web = make_project(client, auth, client_id=client_id)["_id"]
    ids = [make_time_entry(client, auth, project_id=web, start_time=START, hours=1)["_id"]]

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(service.numbering, "insert_numbered", broken)
    assert_error_shape(bill(client, auth, client_id=client_id), 500)
    assert invoice_ids(db, ids) == [None] and db.time_entry_claims.count_documents({}) == 0
    monkeypatch.undo()
    assert client.patch(f"{ENTRIES}/{ids[0]}", json={"description": "Still editable"}, headers=auth).status_code == 200
    assert bill(client, auth, client_id=client_id).get_json()["time_entry_ids"] == ids


def test_concurrent_billing_never_bills_an_entry_twice(app, client, auth, db):
    client_id = make_client(client, auth, default_hourly_rate=10)["_id"]
    web = make_project(client, auth, client_id=client_id)["_id"]
    ids = [
        make_time_entry(client, auth, project_id=web, start_time=START + timedelta(hours=n), hours=1)["_id"]
        for n in range(20)
    ]
    results = at_once(app, *[lambda http: bill(http, auth, client_id=client_id)] * 8)
    created = [r.get_json() for r in results if r.status_code == 201]
    assert created and all(r.status_code in (201, 409, 422) for r in results)
    billed = [entry_id for invoice in created for entry_id in invoice["time_entry_ids"]]
    assert sorted(billed) == sorted(ids)  # every entry exactly once
    for invoice in created:
        marked = {str(e["_id"]) for e in db.time_entries.find({"invoice_id": ObjectId(invoice["_id"])})}
        assert marked == set(invoice["time_entry_ids"])
    assert sum(i["total"] for i in created) == 200


def test_tracked_time_is_billed_locked_and_unlocked_by_voiding(client, auth):
    client_id = make_client(client, auth, default_hourly_rate=60)["_id"]
    build = make_project(client, auth, client_id=client_id, name="Build")["_id"]
    timer = make_time_entry(client, auth, project_id=build, start_time=START, end_time=None, description="Timer")["_id"]
    stopped = client.post(
        f"{ENTRIES}/{timer}/stop", json={"end_time": (START + timedelta(minutes=90)).isoformat()}, headers=auth
    )
    assert stopped.status_code == 200 and stopped.get_json()["duration"] == 5400
    logged = make_time_entry(
        client, auth, project_id=build, start_time=START + timedelta(hours=2), hours=0.5, description="Logged"
    )["_id"]

    invoice = bill(client, auth, client_id=client_id)
    assert invoice.status_code == 201, invoice.get_json()
    invoice = invoice.get_json()
    assert sorted(invoice["time_entry_ids"]) == sorted([timer, logged]) and invoice["total"] == 120
    for entry_id in (timer, logged):
        shown = client.get(f"{ENTRIES}/{entry_id}", headers=auth).get_json()
        assert shown["invoice_id"] == invoice["_id"] and shown["invoiced_at"] is not None
        assert (
            invoice["_id"]
            in assert_error_shape(
                client.put(f"{ENTRIES}/{entry_id}", json={"description": "Changed"}, headers=auth), 409
            )["message"]
        )
        assert_error_shape(client.patch(f"{ENTRIES}/{entry_id}", json={"hourly_rate": 1}, headers=auth), 409)
        assert_error_shape(client.delete(f"{ENTRIES}/{entry_id}", headers=auth), 409)
    invoiced = client.get(f"{ENTRIES}?invoiced=true", headers=auth).get_json()
    assert sorted(e["_id"] for e in invoiced) == sorted([timer, logged])
    assert_error_shape(bill(client, auth, client_id=client_id), 422)  # nothing left to bill

    voided = set_invoice_status(client, auth, invoice, "void")
    assert voided.status_code == 200 and voided.get_json()["status"] == "void"
    for entry_id in (timer, logged):
        shown = client.get(f"{ENTRIES}/{entry_id}", headers=auth).get_json()
        assert shown["invoice_id"] is None and shown["invoiced_at"] is None
    assert client.get(f"{ENTRIES}?invoiced=true", headers=auth).get_json() == []
    edited = client.put(f"{ENTRIES}/{logged}", json={"description": "Logged, revised"}, headers=auth)
    assert edited.status_code == 200 and edited.get_json()["description"] == "Logged, revised"

    again = bill(client, auth, client_id=client_id)
    assert again.status_code == 201, again.get_json()
    again = again.get_json()
    assert (
        again["_id"] != invoice["_id"]
        and sorted(again["time_entry_ids"]) == sorted([timer, logged])
        and again["total"] == 120
    )
    assert client.get(f"{ENTRIES}/{logged}", headers=auth).get_json()["invoice_id"] == again["_id"]
    assert_error_shape(client.delete(f"{ENTRIES}/{timer}", headers=auth), 409)
