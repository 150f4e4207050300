"""Making the invoices of due runs: once per period however often (and however concurrently)
the pass runs, the missed periods after an outage, the usual numbering, pausing, the end by
count or date, a worker that died mid-run, and auto_send through a real worker and SMTP sink.

The pass is ``generation.run_due(now)``, what the hourly task runs; most tests give it a
``now`` in 2031 so that run dates do not depend on today."""

from datetime import date, datetime, timedelta

from bson import ObjectId

from orbix.jobs import scheduler
from orbix.recurring import runs
from tests.concurrency import together
from tests.conftest import make_app
from tests.factories import (
    assert_error_shape,
    expect,
    invoice_messages,
    make_client,
    make_invoice,
    make_recurring,
    recurring_invoice,
    recurring_invoices_made,
    recurring_runs,
    send_invoice,
)
from tests.recurring.passes import UTC, at, run_pass

URL = "/api/recurring-invoices"


def dates_made(client, auth, schedule):
    """The issue dates of the invoices ``schedule`` made."""
    return [invoice["date"] for invoice in recurring_invoices_made(client, auth, schedule)]


def test_each_missed_run_makes_its_own_invoice_numbered_by_the_usual_counter(app, client, auth):
    customer = make_client(client, auth)["_id"]
    manual = make_invoice(client, auth, customer)
    schedule = make_recurring(client, auth, customer, start_date="2031-01-31", tax_rate=10, notes="Monthly")
    assert run_pass(app, at(date(2031, 3, 31))) == 3
    made = recurring_invoices_made(client, auth, schedule)
    assert [(i["invoice_number"], i["date"], i["due_date"]) for i in made] == [
        ("INV-00002", "2031-01-31", "2031-03-02"), ("INV-00003", "2031-02-28", "2031-03-30"),
        ("INV-00004", "2031-03-31", "2031-04-30")]
    assert manual["invoice_number"] == "INV-00001"
    first = expect(client.get(f"/api/invoices/{made[0]['_id']}", headers=auth), 200)
    assert first["status"] == "draft" and first["notes"] == "Monthly"
    assert first["recurring_invoice_id"] == schedule["_id"]
    assert [(i["description"], i["quantity"], i["rate"], i["amount"]) for i in first["items"]] == [
        ("Monthly retainer", 1, 1000, 1000)]
    assert (first["subtotal"], first["tax"], first["total"]) == (1000, 100, 1100)
    after = recurring_invoice(client, auth, schedule)
    assert (after["runs_count"], after["last_run_date"], after["next_run_date"]) == (3, "2031-03-31", "2031-04-30")
    assert after["last_invoice_id"] == made[-1]["_id"] and after["last_error"] is None
    assert [(r["run_date"], r["state"], r["invoice_number"]) for r in recurring_runs(client, auth, schedule)] == [
        ("2031-01-31", "invoiced", "INV-00002"), ("2031-02-28", "invoiced", "INV-00003"),
        ("2031-03-31", "invoiced", "INV-00004")]
    listed = expect(client.get(f"/api/invoices?recurring_invoice_id={schedule['_id']}", headers=auth), 200)
    assert [i["_id"] for i in listed] == [i["_id"] for i in made]


def test_a_pass_run_again_makes_nothing_more_and_the_next_period_makes_one(app, client, auth):
    schedule = make_recurring(client, auth, start_date="2031-01-15")
    assert run_pass(app, at(date(2031, 2, 20))) == 2
    assert run_pass(app, at(date(2031, 2, 20))) == 0
    assert run_pass(app, at(date(2031, 3, 14))) == 0
    assert run_pass(app, at(date(2031, 3, 15))) == 1
    assert dates_made(client, auth, schedule) == ["2031-01-15", "2031-02-15", "2031-03-15"]


def test_racing_passes_make_each_periods_invoice_once(app, client, auth):
    schedules = [make_recurring(client, auth, start_date=f"2031-01-1{n}") for n in range(3)]
    now = at(date(2031, 3, 20))
    for _ in range(2):  # and once more after everything was made
        together(*[lambda: run_pass(app, now) for _ in range(3)])
    made = [recurring_invoices_made(client, auth, schedule) for schedule in schedules]
    assert [[i["date"] for i in invoices] for invoices in made] == [
        [f"2031-0{m}-1{n}" for m in (1, 2, 3)] for n in range(3)]
    numbers = sorted(i["invoice_number"] for invoices in made for i in invoices)
    assert numbers == [f"INV-{n:05d}" for n in range(1, 10)]
    assert {recurring_invoice(client, auth, s)["runs_count"] for s in schedules} == {3}


def test_the_hourly_task_makes_the_runs_due_today_through_the_workers(app, client, auth, jobs):
    today = datetime.now(UTC).date()
    schedule = make_recurring(client, auth, frequency="weekly", start_date=(today - timedelta(days=14)).isoformat())
    with app.app_context():
        claimed = scheduler.tick(datetime.now(UTC))
    assert any(run_id.startswith("recurring.generate:") for run_id in claimed)
    jobs.run()
    assert dates_made(client, auth, schedule) == [
        (today - timedelta(days=d)).isoformat() for d in (14, 7, 0)]


def test_a_run_is_due_when_the_users_own_date_reaches_it(app, client, auth, make_user):
    expect(client.patch("/api/auth/me", json={"settings": {"timezone": "Pacific/Kiritimati"}}, headers=auth), 200)
    ahead = make_recurring(client, auth, start_date="2031-01-15")
    behind_auth = make_user(name="West")["headers"]
    expect(client.patch("/api/auth/me", json={"settings": {"timezone": "America/Los_Angeles"}}, headers=behind_auth),
           200)
    behind = make_recurring(client, behind_auth, start_date="2031-01-15")
    assert run_pass(app, datetime(2031, 1, 14, 11, 0, tzinfo=UTC)) == 1  # 01:00 on the 15th in Kiritimati
    assert dates_made(client, auth, ahead) == ["2031-01-15"]
    assert run_pass(app, datetime(2031, 1, 15, 7, 0, tzinfo=UTC)) == 0  # 23:00 on the 14th in Los Angeles
    assert run_pass(app, datetime(2031, 1, 15, 8, 0, tzinfo=UTC)) == 1
    assert dates_made(client, behind_auth, behind) == ["2031-01-15"]


def test_a_paused_schedule_makes_nothing_and_resuming_skips_the_paused_periods(app, client, auth):
    today = datetime.now(UTC).date()
    schedule = make_recurring(client, auth, frequency="weekly", start_date=(today - timedelta(days=21)).isoformat())
    expect(client.post(f"{URL}/{schedule['_id']}/pause", headers=auth), 200)
    assert run_pass(app, datetime.now(UTC)) == 0
    resumed = expect(client.post(f"{URL}/{schedule['_id']}/resume", headers=auth), 200)
    assert resumed["next_run_date"] == today.isoformat()
    assert run_pass(app, datetime.now(UTC)) == 1
    assert dates_made(client, auth, schedule) == [today.isoformat()]


def test_count_and_end_date_end_the_runs(app, client, auth):
    by_count = make_recurring(client, auth, start_date="2031-01-15", count=2)
    by_date = make_recurring(client, auth, start_date="2031-01-15", frequency="weekly", end_date="2031-01-29")
    assert run_pass(app, at(date(2031, 6, 1))) == 5
    assert dates_made(client, auth, by_count) == ["2031-01-15", "2031-02-15"]
    assert dates_made(client, auth, by_date) == ["2031-01-15", "2031-01-22", "2031-01-29"]
    for schedule in (by_count, by_date):
        finished = recurring_invoice(client, auth, schedule)
        assert finished["status"] == "finished" and finished["next_run_date"] is None
    assert run_pass(app, at(date(2032, 6, 1))) == 0
    url = f"{URL}/{by_count['_id']}"
    assert "count" in assert_error_shape(client.patch(url, json={"count": 1}, headers=auth), 422)["errors"]["json"]
    reopened = expect(client.patch(url, json={"count": 3}, headers=auth), 200)
    assert reopened["status"] == "active" and reopened["next_run_date"] == "2031-03-15"


def test_auto_send_emails_each_invoice_once(app, client, auth, jobs, mail_sink):
    schedule = make_recurring(client, auth, start_date="2031-01-15", auto_send=True,
                              send_options={"cc": ["boss@acme.io"], "message": "Your monthly invoice."})
    assert run_pass(app, at(date(2031, 2, 15))) == 2
    assert run_pass(app, at(date(2031, 2, 15))) == 0
    jobs.run()
    made = recurring_invoices_made(client, auth, schedule)
    assert [i["status"] for i in made] == ["sent", "sent"]
    assert sorted(email["Subject"] for _sender, _to, email in mail_sink.received) == [
        f"Invoice {i['invoice_number']} from Ada Lovelace" for i in made]
    assert {tuple(sorted(to)) for _sender, to, _email in mail_sink.received} == {("billing@acme.io", "boss@acme.io")}
    assert all("Your monthly invoice." in email.get_body(("plain",)).get_content()
               for _s, _t, email in mail_sink.received)
    recorded = recurring_runs(client, auth, schedule)
    assert [(r["send_status"], r["send_error"]) for r in recorded] == [("queued", None), ("queued", None)]
    assert [r["message_id"] for r in recorded] == [invoice_messages(client, auth, i)[0]["_id"] for i in made]


def test_a_send_that_cannot_be_queued_is_recorded_and_the_invoice_stays(mongo_uri, redis_uri, app, client, auth, jobs):
    schedule = make_recurring(client, auth, start_date="2031-01-15", auto_send=True)
    dead = make_app(mongo_uri, redis_uri, JOBS_REDIS_URL="redis://127.0.0.1:9/0", MAIL_FROM="Orbix <o@orbix.test>",
                    SMTP_URL="smtp://127.0.0.1:9")
    assert run_pass(dead, at(date(2031, 1, 20))) == 1
    [invoice] = recurring_invoices_made(client, auth, schedule)
    [run] = recurring_runs(client, auth, schedule)
    assert invoice["status"] == "draft" and run["state"] == "invoiced"
    assert run["send_status"] == "failed" and "queue" in run["send_error"]
    assert recurring_invoice(client, auth, schedule)["next_run_date"] == "2031-02-15"
    assert run_pass(app, at(date(2031, 1, 20))) == 0
    assert invoice_messages(client, auth, invoice) == []  # not retried; sending by hand works
    send_invoice(client, auth, invoice)


def test_a_claim_left_by_a_worker_that_died_is_finished_with_the_invoice_it_planned(app, client, auth, db):
    schedule = make_recurring(client, auth, start_date="2031-01-15")
    with app.app_context():  # a worker claims the run, then dies before writing the invoice
        stored = db.recurring_invoices.find_one({"_id": ObjectId(schedule["_id"])})
        claim = runs.claim(stored, date(2031, 1, 15))
    assert run_pass(app, at(date(2031, 1, 20))) == 0  # a fresh claim: its worker may still be on it
    db.recurring_runs.update_one({"_id": claim["_id"]}, {"$set": {"claimed_at": claim["claimed_at"] -
                                                                   runs.STALE_AFTER - timedelta(seconds=1)}})
    assert run_pass(app, at(date(2031, 1, 20))) == 1
    [invoice] = recurring_invoices_made(client, auth, schedule)
    assert invoice["_id"] == str(claim["planned_invoice_id"]) and invoice["date"] == "2031-01-15"
    assert run_pass(app, at(date(2031, 1, 20))) == 0


def test_more_than_100_missed_runs_make_the_latest_100(app, client, auth):
    today = datetime.now(UTC).date()
    start = today - timedelta(weeks=99)
    schedule = make_recurring(client, auth, frequency="weekly", start_date=start.isoformat())
    assert run_pass(app, at(today + timedelta(weeks=5))) == 100
    after = recurring_invoice(client, auth, schedule)
    assert after["skipped_runs"] == 5 and after["runs_count"] == 100
    dates = dates_made(client, auth, schedule)
    assert (dates[0], dates[-1]) == ((start + timedelta(weeks=5)).isoformat(), (today + timedelta(weeks=5)).isoformat())


def test_deleting_a_schedule_keeps_its_invoices(app, client, auth):
    schedule = make_recurring(client, auth, start_date="2031-01-15")
    run_pass(app, at(date(2031, 1, 15)))
    [invoice] = recurring_invoices_made(client, auth, schedule)
    expect(client.delete(f"{URL}/{schedule['_id']}", headers=auth), 200)
    kept = expect(client.get(f"/api/invoices/{invoice['_id']}", headers=auth), 200)
    assert kept["recurring_invoice_id"] == schedule["_id"]
    assert run_pass(app, at(date(2031, 6, 1))) == 0
