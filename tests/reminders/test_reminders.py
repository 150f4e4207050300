"""Payment reminders: the hourly run, driven through time, sends each invoice's latest due step
once (through a real RQ worker to a real SMTP server), never after payment or void."""

from datetime import UTC, datetime, timedelta

import pytest
from bson import ObjectId

from orbix.common.exceptions import Unavailable
from orbix.jobs import scheduler
from tests.concurrency import together
from tests.conftest import make_app
from tests.factories import (
    expect,
    get_invoice,
    invoice_messages,
    long_date,
    make_invoice,
    make_payment,
    register_user,
    send_invoice,
    set_invoice_status,
    update_settings,
)

from .conftest import day, in_days, reminder_run

DUE_IN = 5  # days from today (when the invoices are sent) to their due date


def _sent(client, auth, due_in=DUE_IN, **fields):
    """An invoice of 100.00 USD marked sent today, due in ``due_in`` days."""
    return make_invoice(client, auth, status="sent", due_date=in_days(due_in), **fields)


def _mail(mail_sink):
    """(recipients, subject) of every e-mail received, in order."""
    return [(recipients, email["Subject"]) for _sender, recipients, email in mail_sink.received]


def _text(mail_sink, index=-1):
    return mail_sink.received[index][2].get_body(("plain",)).get_content()


def test_each_step_of_the_default_schedule_goes_out_once_on_its_day(client, auth, remind, mail_sink):
    invoice = _sent(client, auth)
    number, due = invoice["invoice_number"], invoice["due_date"]
    assert remind(day(1)) == {"reminders": 0, "thanks": 0}  # three days before is tomorrow
    assert remind(day(2)) == {"reminders": 1, "thanks": 0}
    assert remind(day(2, hour=13)) == {"reminders": 0, "thanks": 0}
    assert f"is due on {long_date(due)}, in 3 days" in _text(mail_sink) and "$100.00" in _text(mail_sink)
    remind(day(5))
    assert f"is due today, {long_date(due)}" in _text(mail_sink)
    remind(day(12))
    assert f"was due on {long_date(due)} (7 days ago) and $100.00 is still outstanding" in _text(mail_sink)
    remind(day(19))
    remind(day(60))
    assert _mail(mail_sink) == [
        (["billing@acme.io"], f"Reminder: invoice {number} is due on {long_date(due)}"),
        (["billing@acme.io"], f"Reminder: invoice {number} is due today ({long_date(due)})"),
        (["billing@acme.io"], f"Reminder: invoice {number} was due on {long_date(due)}"),
        (["billing@acme.io"], f"Reminder: invoice {number} was due on {long_date(due)}"),
    ]
    assert "14 days ago" in _text(mail_sink)
    email = mail_sink.received[0][2]
    assert [a.get_filename() for a in email.iter_attachments()] == [f"{number}.pdf"]
    assert "$100.00" in email.get_body(("html",)).get_content()
    stored = get_invoice(client, auth, invoice)
    assert [entry["step"] for entry in stored["reminders_sent"]] == [-3, 0, 7, 14]
    messages = invoice_messages(client, auth, invoice)
    assert [(m["kind"], m["status"]) for m in messages] == [("reminder", "sent")] * 4
    assert [entry["message_id"] for entry in stored["reminders_sent"]] == [m["_id"] for m in messages]


def test_an_edited_schedule_is_followed(client, auth, remind, mail_sink):
    update_settings(client, auth, reminder_schedule=[1, 30])
    _sent(client, auth)
    for offset in range(0, 40):
        remind(day(offset))
    assert [entry["step"] for entry in get_invoice(client, auth, _sent_only(client, auth))["reminders_sent"]] == [1, 30]
    assert len(mail_sink.received) == 2 and "(1 day ago)" in _text(mail_sink, 0) and "(30 days ago)" in _text(mail_sink)


def _sent_only(client, auth):
    [invoice] = expect(client.get("/api/invoices", headers=auth), 200)
    return invoice


def test_after_downtime_only_the_latest_due_step_is_sent_and_the_older_ones_are_skipped(
        client, auth, remind, mail_sink, db):
    invoice = _sent(client, auth)
    assert remind(day(13)) == {"reminders": 1, "thanks": 0}  # -3 and 0 were missed, 7 is due
    assert f"was due on {long_date(invoice['due_date'])} (8 days ago)" in _text(mail_sink)
    remind(day(14))
    remind(day(19))
    assert len(mail_sink.received) == 2
    assert [e["step"] for e in get_invoice(client, auth, invoice)["reminders_sent"]] == [7, 14]
    states = {c["step"]: (c["state"], c.get("reason")) for c in db.reminder_claims.find()}
    assert states == {-3: ("skipped", "a later step was due"), 0: ("skipped", "a later step was due"),
                      7: ("sent", None), 14: ("sent", None)}


def test_steps_on_or_before_the_day_of_sending_are_not_reminders(client, auth, remind, mail_sink):
    invoice = make_invoice(client, auth, status="sent", date=in_days(-30), due_date=in_days(-10))  # issued late
    remind(day(0))
    remind(day(3))
    assert mail_sink.received == []  # 7 days after fell before it was sent; 14 days after is tomorrow
    remind(day(4))
    assert _mail(mail_sink) == [(["billing@acme.io"], f"Reminder: invoice {invoice['invoice_number']} was due on "
                                                      f"{long_date(invoice['due_date'])}")]


def test_a_run_repeated_or_raced_by_another_worker_sends_each_step_once(app, client, auth, jobs, mail_sink):
    invoices = [_sent(client, auth) for _ in range(4)]
    first, second = together(lambda: reminder_run(app, day(5)), lambda: reminder_run(app, day(5)))
    assert first["reminders"] + second["reminders"] == 4
    assert reminder_run(app, day(5, hour=18)) == {"reminders": 0, "thanks": 0}
    jobs.run()
    jobs.run()
    subjects = sorted(email["Subject"] for _s, _r, email in mail_sink.received)
    assert subjects == sorted(f"Reminder: invoice {i['invoice_number']} is due today ({long_date(i['due_date'])})"
                              for i in invoices)


def test_the_hourly_scheduler_runs_the_reminders(app, client, auth, jobs, mail_sink):
    invoice = _sent(client, auth)
    with app.app_context():
        claimed = scheduler.tick(day(5, hour=9, minute=30))
    assert f"reminders.send:{day(5, hour=9).strftime('%Y-%m-%dT%H')}" in claimed
    jobs.run()
    assert _mail(mail_sink) == [(["billing@acme.io"], f"Reminder: invoice {invoice['invoice_number']} is due "
                                                      f"today ({long_date(invoice['due_date'])})")]


def test_no_reminders_after_payment_or_void_and_part_paid_ones_ask_for_the_balance(client, auth, remind, mail_sink):
    paid = _sent(client, auth)
    make_payment(client, auth, paid, 100)
    void = _sent(client, auth)
    expect(set_invoice_status(client, auth, void, "void"), 200)
    marked_paid = _sent(client, auth)
    expect(set_invoice_status(client, auth, marked_paid, "paid"), 200)
    part_paid = _sent(client, auth)
    make_payment(client, auth, part_paid, 40)
    remind(day(12))
    assert _mail(mail_sink) == [(["billing@acme.io"], f"Reminder: invoice {part_paid['invoice_number']} was due on "
                                                      f"{long_date(part_paid['due_date'])}")]
    assert "$60.00 is still outstanding" in _text(mail_sink)
    for invoice in (paid, void, marked_paid):
        assert get_invoice(client, auth, invoice)["reminders_sent"] == []
        assert [m["kind"] for m in invoice_messages(client, auth, invoice)] == []


def test_a_payment_landing_before_the_mail_worker_cancels_the_queued_reminder(app, client, auth, jobs, mail_sink):
    invoice = make_invoice(client, auth, due_date=in_days(DUE_IN))
    send_invoice(client, auth, invoice)
    assert reminder_run(app, day(12))["reminders"] == 1
    make_payment(client, auth, invoice, 100)  # while the reminder waits in the queue
    jobs.run()
    assert [email["Subject"] for _s, _r, email in mail_sink.received] == [
        f"Invoice {invoice['invoice_number']} from Ada Lovelace",
        f"Thank you for your payment of invoice {invoice['invoice_number']}"]
    messages = invoice_messages(client, auth, invoice)
    assert [(m["kind"], m["status"], m["error"]) for m in messages] == [
        ("invoice", "sent", None), ("reminder", "cancelled", "the invoice is paid"), ("thank_you", "sent", None)]
    assert get_invoice(client, auth, invoice)["reminders_sent"] == []


def test_reminders_switched_off_for_an_invoice_or_the_account_are_not_sent(client, auth, remind, mail_sink):
    off_from_start = _sent(client, auth, reminders_enabled=False)
    switched_off = _sent(client, auth)
    expect(client.patch(f"/api/invoices/{switched_off['_id']}", json={"reminders_enabled": False}, headers=auth), 200)
    kept = _sent(client, auth)
    remind(day(5))
    assert [subject for _r, subject in _mail(mail_sink)] == [
        f"Reminder: invoice {kept['invoice_number']} is due today ({long_date(kept['due_date'])})"]
    update_settings(client, auth, reminders_enabled=False)
    remind(day(12))
    assert len(mail_sink.received) == 1
    update_settings(client, auth, reminders_enabled=True)
    expect(client.patch(f"/api/invoices/{switched_off['_id']}", json={"reminders_enabled": True}, headers=auth), 200)
    remind(day(19))
    assert sorted(subject for _r, subject in _mail(mail_sink)[1:]) == sorted(
        f"Reminder: invoice {i['invoice_number']} was due on {long_date(i['due_date'])}" for i in (kept, switched_off))
    assert get_invoice(client, auth, off_from_start)["reminders_sent"] == []


def test_a_client_without_an_email_address_gets_no_reminder(client, auth, remind, mail_sink, db):
    invoice = _sent(client, auth)
    # The API requires a client's e-mail; clients imported from the old service may lack one.
    db.clients.update_one({}, {"$set": {"email": None}})
    db.invoices.update_one({}, {"$set": {"client_snapshot.email": None}})
    remind(day(5))
    assert mail_sink.received == [] and db.reminder_claims.count_documents({}) == 0
    assert get_invoice(client, auth, invoice)["reminders_sent"] == []


def test_reminders_go_to_the_clients_current_address(client, auth, remind, mail_sink):
    invoice = _sent(client, auth)
    expect(client.put(f"/api/clients/{invoice['client_id']}", json={"email": "accounts@acme.io"}, headers=auth), 200)
    remind(day(5))
    assert [recipients for recipients, _s in _mail(mail_sink)] == [["accounts@acme.io"]]


def test_the_users_local_date_decides_when_a_step_is_due(client, remind, mail_sink):
    tokyo, honolulu = register_user(client)["headers"], register_user(client)["headers"]
    for headers, zone in ((tokyo, "Asia/Tokyo"), (honolulu, "Pacific/Honolulu")):  # UTC+9 and UTC-10, no DST
        update_settings(client, headers, timezone=zone, reminder_schedule=[0])
    in_tokyo, in_honolulu = _sent(client, tokyo, due_in=5), _sent(client, honolulu, due_in=5)

    def reminded():
        return [email["Reply-To"].addresses[0].addr_spec for _s, _r, email in mail_sink.received]

    remind(day(4, hour=14, minute=59))  # 23:59 on the day before in Tokyo
    assert reminded() == []
    remind(day(4, hour=15))  # midnight of the due date in Tokyo, 05:00 the day before in Honolulu
    assert len(reminded()) == 1
    assert "due today" in mail_sink.received[0][2]["Subject"] and in_tokyo["invoice_number"] in _text(mail_sink)
    remind(day(5, hour=9, minute=59))  # 23:59 the day before in Honolulu
    assert len(reminded()) == 1
    remind(day(5, hour=10))
    assert len(reminded()) == 2 and long_date(in_honolulu["due_date"]) in mail_sink.received[1][2]["Subject"]


def test_a_reminder_whose_queueing_failed_is_sent_by_a_later_run(mongo_uri, redis_uri, mail_sink, app, client, auth,
                                                                 remind, db):
    invoice = _sent(client, auth)
    dead = make_app(mongo_uri, redis_uri, SMTP_URL=mail_sink.url, MAIL_FROM="Orbix <invoices@orbix.test>",
                    JOBS_REDIS_URL="redis://127.0.0.1:9/0")
    with pytest.raises(Unavailable):
        reminder_run(dead, day(5))
    assert db.reminder_claims.count_documents({"step": 0}) == 0 and invoice_messages(client, auth, invoice) == []
    assert remind(day(5, hour=13))["reminders"] == 1
    assert len(mail_sink.received) == 1


def test_invoices_stored_before_reminders_existed_are_reminded(client, auth, remind, mail_sink, db):
    invoice = _sent(client, auth)
    db.invoices.update_one({}, {"$unset": {"reminders_enabled": ""}})
    assert get_invoice(client, auth, invoice)["reminders_enabled"] is True
    assert remind(day(5))["reminders"] == 1


def test_a_claim_left_by_a_process_that_died_is_settled_by_a_later_run(app, client, auth, remind, mail_sink, db):
    queued, lost = _sent(client, auth), _sent(client, auth)
    remind(day(5))
    assert len(mail_sink.received) == 2
    # One process died after queueing its reminder, the other before: both claims stayed "claimed".
    long_ago = datetime.now(UTC) - timedelta(minutes=11)
    db.reminder_claims.update_many({"step": 0}, {"$set": {"state": "claimed", "claimed_at": long_ago}})
    db.messages.delete_one({"invoice_id": ObjectId(lost["_id"])})
    assert remind(day(5, hour=14))["reminders"] == 1
    assert [email["Subject"] for _s, _r, email in mail_sink.received[2:]] == [
        f"Reminder: invoice {lost['invoice_number']} is due today ({long_date(lost['due_date'])})"]
    for invoice in (queued, lost):
        [entry] = get_invoice(client, auth, invoice)["reminders_sent"]
        assert entry["step"] == 0 and entry["message_id"] == invoice_messages(client, auth, invoice)[-1]["_id"]
