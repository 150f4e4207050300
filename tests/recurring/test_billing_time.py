"""Recurring invoices that also bill the project's tracked time: the period just ended, each
entry once (whoever else bills it), a period with nothing to bill, and a run whose time cannot
be priced."""

from datetime import date

from tests.factories import (
    expect,
    make_client,
    make_project,
    make_recurring,
    make_time_entry,
    recurring_invoice,
    recurring_invoices_made,
    recurring_runs,
)
from tests.recurring.passes import at, run_pass


def _setup(client, auth, hourly_rate=100, **fields):
    customer = make_client(client, auth)["_id"]
    project = make_project(client, auth, client_id=customer, hourly_rate=hourly_rate)["_id"]
    schedule = make_recurring(client, auth, customer, project_id=project, bill_project_time=True,
                              start_date="2031-02-01", **fields)
    return schedule, project


def _entry(client, auth, project, start, hours):
    return make_time_entry(client, auth, project_id=project, start_time=start, hours=hours)["_id"]


def _lines(invoice):
    return [(item["description"], item["quantity"], item["rate"], item["amount"]) for item in invoice["items"]]


def test_the_runs_bill_the_time_of_the_period_just_ended_once(app, client, auth):
    schedule, project = _setup(client, auth)
    before = _entry(client, auth, project, "2030-12-20T09:00:00Z", 1)
    january = [_entry(client, auth, project, "2031-01-10T09:00:00Z", 2),
               _entry(client, auth, project, "2031-01-31T23:00:00Z", 0.5)]
    february = _entry(client, auth, project, "2031-02-01T09:00:00Z", 1)
    assert run_pass(app, at(date(2031, 2, 1), hour=18)) == 1
    [first] = recurring_invoices_made(client, auth, schedule)
    first = expect(client.get(f"/api/invoices/{first['_id']}", headers=auth), 200)
    assert _lines(first) == [("Monthly retainer", 1, 1000, 1000), ("Work (2031-01-10)", 2, 100, 200),
                             ("Work (2031-01-31)", 0.5, 100, 50)]
    assert first["total"] == 1250 and sorted(first["time_entry_ids"]) == sorted(january)
    assert first["project_id"] == project and first["recurring_invoice_id"] == schedule["_id"]
    billed = {e: expect(client.get(f"/api/time-tracking/{e}", headers=auth), 200)["invoice_id"]
              for e in [before, *january, february]}
    assert billed == {before: None, january[0]: first["_id"], january[1]: first["_id"], february: None}
    assert run_pass(app, at(date(2031, 3, 1))) == 1
    second = recurring_invoices_made(client, auth, schedule)[1]
    second = expect(client.get(f"/api/invoices/{second['_id']}", headers=auth), 200)
    assert second["time_entry_ids"] == [february] and second["date"] == "2031-03-01"


def test_time_billed_by_hand_first_is_not_billed_again(app, client, auth):
    schedule, project = _setup(client, auth)
    by_hand = _entry(client, auth, project, "2031-01-10T09:00:00Z", 2)
    left = _entry(client, auth, project, "2031-01-11T09:00:00Z", 1)
    manual = expect(client.post("/api/invoices/from-time", json={"project_id": project, "entry_ids": [by_hand],
                                                                 "payment_terms": "Net 30"}, headers=auth))
    assert run_pass(app, at(date(2031, 2, 1))) == 1
    [made] = recurring_invoices_made(client, auth, schedule)
    made = expect(client.get(f"/api/invoices/{made['_id']}", headers=auth), 200)
    assert made["time_entry_ids"] == [left] and manual["time_entry_ids"] == [by_hand]


def test_a_time_only_period_without_time_makes_no_invoice(app, client, auth):
    schedule, project = _setup(client, auth, items=[])
    assert run_pass(app, at(date(2031, 2, 1))) == 1
    assert recurring_invoices_made(client, auth, schedule) == []
    assert [(r["run_date"], r["state"], r["invoice_id"]) for r in recurring_runs(client, auth, schedule)] == [
        ("2031-02-01", "nothing_to_bill", None)]
    _entry(client, auth, project, "2031-02-03T09:00:00Z", 3)
    assert run_pass(app, at(date(2031, 3, 1))) == 1
    [made] = recurring_invoices_made(client, auth, schedule)
    assert made["total"] == 300 and recurring_invoice(client, auth, schedule)["runs_count"] == 2


def test_a_run_whose_time_has_no_rate_fails_and_is_made_once_the_rate_is_set(app, client, auth):
    schedule, project = _setup(client, auth, hourly_rate=None)
    entry = _entry(client, auth, project, "2031-01-10T09:00:00Z", 2)
    assert run_pass(app, at(date(2031, 2, 1))) == 0
    failed = recurring_invoice(client, auth, schedule)
    assert "No hourly rate" in failed["last_error"] and failed["next_run_date"] == "2031-02-01"
    [run] = recurring_runs(client, auth, schedule)
    assert run["state"] == "failed" and run["error"] == failed["last_error"]
    assert expect(client.get(f"/api/time-tracking/{entry}", headers=auth), 200)["invoice_id"] is None
    expect(client.patch(f"/api/projects/{project}", json={"hourly_rate": 90}, headers=auth), 200)
    assert run_pass(app, at(date(2031, 2, 1))) == 1
    [made] = recurring_invoices_made(client, auth, schedule)
    assert made["total"] == 1180
    done = recurring_invoice(client, auth, schedule)
    assert done["last_error"] is None and done["next_run_date"] == "2031-03-01"
    assert recurring_runs(client, auth, schedule)[0]["state"] == "invoiced"
