"""The report ledgers: every kind of write shows in the very next report, concurrent writes
leave the rows equal to the stored documents, and the migration builds them for old data."""

import importlib.util
import json
import zlib
from datetime import date, timedelta
from pathlib import Path

from bson import Binary, ObjectId

from orbix.common import data_versions
from orbix.invoices.ledger import INVOICE_ROWS, PAYMENT_ROWS
from orbix.time_tracking.ledger import LEDGER as ENTRY_ROWS
from tests.concurrency import at_once
from tests.factories import expect, make_client, make_invoice, make_payment, make_project, make_time_entry

YEAR = "from=2025-01-01&to=2025-12-31"
TODAY = date.today().isoformat()


def get(client, auth, path):
    return expect(client.get(path, headers=auth), 200)


def hours(client, auth):
    return get(client, auth, f"/api/reports/hours?{YEAR}&group=project")["total"]


def clients_rows(client, auth, window=f"from={TODAY}&to={TODAY}"):
    return {row["client"]: row for row in get(client, auth, f"/api/reports/clients?{window}")["clients"]}


def revenue(client, auth):
    return get(client, auth, f"/api/reports/revenue?from={TODAY}&to={TODAY}&group=day")["total"]


def source_rows(db, ledger, user):
    docs = db[ledger.source].find({"user_id": ObjectId(user["id"])}, ledger.projection)
    return {str(doc["_id"]): ledger.row(doc) for doc in docs}


def stored_rows(db, ledger, user):
    return ledger.rows(db, ObjectId(user["id"]))


def test_time_entry_create_update_stop_and_delete_each_show_in_the_next_hours_report(client, auth):
    acme = make_client(client, auth, currency="EUR", default_hourly_rate=100)["_id"]
    entry = make_time_entry(client, auth, hours=2, project_id=make_project(client, auth, client_id=acme)["_id"])
    assert hours(client, auth)["hours"] == 2 and hours(client, auth)["value"] == {"EUR": 200}
    expect(client.put(f"/api/time-tracking/{entry['_id']}", json={"is_billable": False}, headers=auth), 200)
    assert hours(client, auth)["billable_hours"] == 0
    timer = make_time_entry(client, auth, start_time="2025-03-02T09:00:00Z", end_time=None)
    assert get(client, auth, "/api/dashboard")["running_timer"]["_id"] == timer["_id"]
    stop = client.post(f"/api/time-tracking/{timer['_id']}/stop", json={"end_time": "2025-03-02T10:00:00Z"},
                       headers=auth)
    expect(stop, 200)
    assert get(client, auth, "/api/dashboard")["running_timer"] is None
    assert hours(client, auth)["hours"] == 3
    expect(client.delete(f"/api/time-tracking/{entry['_id']}", headers=auth), 200)
    assert hours(client, auth)["hours"] == 1


def test_invoice_create_edit_send_void_and_delete_each_show_in_the_next_reports(client, auth):
    acme = make_client(client, auth, name="Acme", currency="EUR")["_id"]
    draft = make_invoice(client, auth, acme, date=TODAY)
    assert get(client, auth, "/api/dashboard")["invoices"]["by_status"]["draft"] == 1
    items = [{"description": "X", "quantity": 1, "rate": 30}]
    expect(client.put(f"/api/invoices/{draft['_id']}", json={"items": items}, headers=auth), 200)
    expect(client.put(f"/api/invoices/{draft['_id']}", json={"status": "sent"}, headers=auth), 200)
    assert clients_rows(client, auth)["Acme"]["invoiced"] == {"EUR": 30}
    expect(client.put(f"/api/invoices/{draft['_id']}", json={"status": "void"}, headers=auth), 200)
    assert "Acme" not in clients_rows(client, auth)
    other = make_invoice(client, auth, acme, date=TODAY)
    assert get(client, auth, "/api/dashboard")["invoices"]["total"] == 2
    expect(client.delete(f"/api/invoices/{other['_id']}", headers=auth), 200)
    assert get(client, auth, "/api/dashboard")["invoices"]["total"] == 1


def test_payment_add_and_delete_each_show_in_the_next_revenue_report(client, auth):
    invoice = make_invoice(client, auth, status="sent", currency="EUR")
    paid = make_payment(client, auth, invoice, 40, date=TODAY)
    assert revenue(client, auth) == {"EUR": 40}
    assert get(client, auth, "/api/reports/aging")["total"] == {"EUR": 60}
    payment_id = get(client, auth, f"/api/invoices/{invoice['_id']}")["payments"][0]["_id"]
    expect(client.delete(f"/api/invoices/{paid['_id']}/payments/{payment_id}", headers=auth), 200)
    assert revenue(client, auth) == {}
    assert get(client, auth, "/api/reports/aging")["total"] == {"EUR": 100}


def test_billing_time_and_voiding_that_invoice_move_entries_out_of_and_back_into_unbilled(client, auth):
    acme = make_client(client, auth, currency="EUR", default_hourly_rate=50)["_id"]
    make_time_entry(client, auth, hours=2, project_id=make_project(client, auth, client_id=acme)["_id"])
    assert get(client, auth, "/api/dashboard")["unbilled"]["value"] == {"EUR": 100}
    body = {"client_id": acme, "payment_terms": "Net 30"}
    invoice = expect(client.post("/api/invoices/from-time", json=body, headers=auth))
    assert get(client, auth, "/api/dashboard")["unbilled"]["value"] == {}
    expect(client.delete(f"/api/invoices/{invoice['_id']}", headers=auth), 200)
    assert get(client, auth, "/api/dashboard")["unbilled"]["value"] == {"EUR": 100}


def test_client_rename_rate_change_and_project_archive_show_in_the_next_reports(client, auth):
    acme = make_client(client, auth, name="Acme", currency="EUR", default_hourly_rate=50)["_id"]
    project = make_project(client, auth, client_id=acme)
    make_time_entry(client, auth, hours=1, project_id=project["_id"])
    expect(client.put(f"/api/clients/{acme}", json={"name": "Acme Two", "default_hourly_rate": 80}, headers=auth), 200)
    rows = clients_rows(client, auth, YEAR)
    assert rows["Acme Two"]["value"] == {"EUR": 80}
    assert get(client, auth, "/api/dashboard")["projects"]["active"] == 1
    expect(client.put(f"/api/projects/{project['_id']}", json={"archived": True}, headers=auth), 200)
    assert get(client, auth, "/api/dashboard")["projects"]["active"] == 0


def test_moving_a_project_to_another_client_moves_its_hours_in_the_next_clients_report(client, auth):
    first = make_client(client, auth, name="First")["_id"]
    second = make_client(client, auth, name="Second")["_id"]
    project = make_project(client, auth, client_id=first)
    make_time_entry(client, auth, hours=1, project_id=project["_id"])
    assert clients_rows(client, auth, YEAR)["First"]["hours"] == 1
    expect(client.put(f"/api/projects/{project['_id']}", json={"client_id": second}, headers=auth), 200)
    rows = clients_rows(client, auth, YEAR)
    assert "First" not in rows and rows["Second"]["hours"] == 1


def test_concurrent_time_entry_writes_leave_the_ledger_equal_to_the_entries(app, client, auth, user, db):
    entries = [make_time_entry(client, auth, hours=1) for _ in range(4)]

    def edit(entry, hours_):
        body = {"end_time": f"2025-03-01T{9 + hours_:02d}:00:00Z"}
        return lambda c: c.put(f"/api/time-tracking/{entry['_id']}", json=body, headers=auth)

    creates = [lambda c: c.post("/api/time-tracking", json={"start_time": "2025-04-01T09:00:00Z",
                                                           "end_time": "2025-04-01T10:00:00Z"}, headers=auth)] * 4
    deletes = [lambda c, e=entries[0]: c.delete(f"/api/time-tracking/{e['_id']}", headers=auth)]
    responses = at_once(app, *creates, *deletes, edit(entries[1], 2), edit(entries[1], 3), edit(entries[2], 4))
    assert all(r.status_code in (200, 201) for r in responses)
    assert stored_rows(db, ENTRY_ROWS, user) == source_rows(db, ENTRY_ROWS, user)
    assert len(source_rows(db, ENTRY_ROWS, user)) == 7


def test_concurrent_payments_leave_the_ledgers_equal_to_the_invoices_and_payments(app, client, auth, user, db):
    invoice = make_invoice(client, auth, status="sent")
    pay = [lambda c: c.post(f"/api/invoices/{invoice['_id']}/payments", json={"amount": 10}, headers=auth)] * 5
    at_once(app, *pay)
    for ledger in (INVOICE_ROWS, PAYMENT_ROWS):
        assert stored_rows(db, ledger, user) == source_rows(db, ledger, user)
    assert revenue(client, auth) == {"USD": 50}


def migration(name):
    path = Path(__file__).resolve().parents[2] / "migrations" / name
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_builds_ledgers_for_data_written_before_them(client, auth, user, db):
    invoice = make_invoice(client, auth, status="sent", currency="EUR")
    make_payment(client, auth, invoice, 25, date=TODAY)
    make_time_entry(client, auth, hours=1)
    for ledger in (ENTRY_ROWS, INVOICE_ROWS, PAYMENT_ROWS):
        db[ledger.name].delete_many({})
    step = migration("0009_report_ledgers.py")
    step.up(db)
    step.up(db)  # idempotent
    assert revenue(client, auth) == {"EUR": 25}
    assert hours(client, auth)["hours"] == 1
    for ledger in (ENTRY_ROWS, INVOICE_ROWS, PAYMENT_ROWS):
        assert stored_rows(db, ledger, user) == source_rows(db, ledger, user)


def test_a_late_refresh_survives_a_rebuild_that_scanned_before_it(client, auth, user, db):
    entry = make_time_entry(client, auth, hours=1)
    uid, entry_id = ObjectId(user["id"]), ObjectId(entry["_id"])
    shard = ENTRY_ROWS.shard_of(entry_id)
    seq_before = ENTRY_ROWS._load(db, uid, shard)["seq"]
    stale = {entry["_id"]: ENTRY_ROWS.row(db.time_entries.find_one({"_id": entry_id}))}  # what a scan read
    expect(client.put(f"/api/time-tracking/{entry['_id']}", json={"end_time": "2025-03-01T13:00:00Z"}, headers=auth),
           200)
    ENTRY_ROWS._replace(db, uid, shard, stale, seq_before)
    assert hours(client, auth)["hours"] == timedelta(hours=4).total_seconds() / 3600


def test_migration_0014_rewrites_shards_of_the_json_format_and_drops_orphans(app, client, auth, user, db):
    invoice = make_invoice(client, auth, status="sent", currency="EUR")
    make_payment(client, auth, invoice, 25, date=TODAY)
    make_time_entry(client, auth, hours=1)
    uid = ObjectId(user["id"])
    for ledger in (ENTRY_ROWS, INVOICE_ROWS, PAYMENT_ROWS):  # as the format before 0014 stored them
        rows = stored_rows(db, ledger, user)
        state = {"seq": 3, "rows": rows, "touched": dict.fromkeys(rows, 3)}
        db[ledger.name].delete_many({})
        for owner in (uid, ObjectId()):  # the second: a user whose documents are all gone
            db[ledger.name].insert_one({"_id": ledger.shard_id(owner, 0), "user_id": owner,
                                        "data": Binary(zlib.compress(json.dumps(state).encode()))})
    assert hours(client, auth)["hours"] == 0  # read as empty until the migration has run
    step = migration("0014_columnar_ledgers.py")
    step.up(db)
    step.up(db)  # idempotent
    with app.app_context():  # a deploy migrates before workers start; this app has cached a snapshot
        data_versions.bump(uid)
    for ledger in (ENTRY_ROWS, INVOICE_ROWS, PAYMENT_ROWS):
        assert stored_rows(db, ledger, user) == source_rows(db, ledger, user)
        assert db[ledger.name].count_documents({"data": {"$exists": True}}) == 0
        assert {doc["user_id"] for doc in db[ledger.name].find()} == {uid}
    assert hours(client, auth)["hours"] == 1 and revenue(client, auth) == {"EUR": 25}
