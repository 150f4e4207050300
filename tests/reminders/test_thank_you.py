"""The thank-you e-mail: once per invoice, after the payment that settles it, caught up by the
reminder run when the queue was down at payment time."""

from datetime import UTC, datetime

from tests.conftest import make_app
from tests.factories import (
    expect,
    invoice_messages,
    make_invoice,
    make_payment,
    send_invoice,
    set_invoice_status,
    update_settings,
)

from .conftest import reminder_run


def _emailed(client, auth, jobs, mail_sink):
    """An invoice of 100.00 USD e-mailed to the client (the e-mail delivered and forgotten)."""
    invoice = make_invoice(client, auth)
    send_invoice(client, auth, invoice)
    jobs.run()
    mail_sink.received.clear()
    return invoice


def _subjects(mail_sink):
    return [email["Subject"] for _s, _r, email in mail_sink.received]


def _thanks(invoice):
    return f"Thank you for your payment of invoice {invoice['invoice_number']}"


def test_the_payment_that_settles_the_invoice_thanks_the_client_once(app, client, auth, jobs, mail_sink):
    invoice = _emailed(client, auth, jobs, mail_sink)
    make_payment(client, auth, invoice, 40)
    assert [m["kind"] for m in invoice_messages(client, auth, invoice)] == ["invoice"]
    settled = make_payment(client, auth, invoice, 60)
    assert settled["status"] == "paid"
    expect(client.delete(f"/api/invoices/{invoice['_id']}/payments/{settled['payments'][-1]['_id']}", headers=auth),
           200)
    make_payment(client, auth, invoice, 60)  # paid again: the client was thanked already
    jobs.run()
    assert _subjects(mail_sink) == [_thanks(invoice)]
    [(_sender, recipients, email)] = mail_sink.received
    assert recipients == ["billing@acme.io"] and email["Reply-To"].addresses[0].display_name == "Ada Lovelace"
    text = email.get_body(("plain",)).get_content()
    assert "We have received $100.00 in full" in text and invoice["invoice_number"] in text
    assert list(email.iter_attachments()) == []
    assert [(m["kind"], m["status"]) for m in invoice_messages(client, auth, invoice)] == [
        ("invoice", "sent"), ("thank_you", "sent")]
    assert reminder_run(app, datetime.now(UTC)) == {"reminders": 0, "thanks": 0}


def test_marking_an_invoice_paid_thanks_the_client_too(client, auth, jobs, mail_sink):
    invoice = _emailed(client, auth, jobs, mail_sink)
    expect(set_invoice_status(client, auth, invoice, "paid"), 200)
    jobs.run()
    assert _subjects(mail_sink) == [_thanks(invoice)]


def test_a_payment_while_the_queue_is_down_is_recorded_and_the_run_sends_the_thank_you(
        mongo_uri, redis_uri, app, client, auth, jobs, mail_sink):
    invoice = _emailed(client, auth, jobs, mail_sink)
    dead = make_app(mongo_uri, redis_uri, SMTP_URL=mail_sink.url, MAIL_FROM="Orbix <invoices@orbix.test>",
                    JOBS_REDIS_URL="redis://127.0.0.1:9/0")
    paid = make_payment(dead.test_client(), auth, invoice, 100)
    assert paid["status"] == "paid" and paid["balance_due"] == 0
    assert [m["kind"] for m in invoice_messages(client, auth, invoice)] == ["invoice"]
    assert reminder_run(app, datetime.now(UTC)) == {"reminders": 0, "thanks": 1}
    assert reminder_run(app, datetime.now(UTC)) == {"reminders": 0, "thanks": 0}
    jobs.run()
    assert _subjects(mail_sink) == [_thanks(invoice)]


def test_no_thank_you_when_switched_off_or_the_client_never_heard_from_orbix(app, client, auth, jobs, mail_sink, db):
    never_emailed = make_invoice(client, auth, status="sent")  # sent by hand: no e-mail from Orbix
    make_payment(client, auth, never_emailed, 100)
    update_settings(client, auth, thank_you_enabled=False)
    emailed = _emailed(client, auth, jobs, mail_sink)
    make_payment(client, auth, emailed, 100)
    update_settings(client, auth, thank_you_enabled=True)
    assert reminder_run(app, datetime.now(UTC)) == {"reminders": 0, "thanks": 0}  # skipped for good, not missed
    jobs.run()
    assert mail_sink.received == []
    reasons = {claim["invoice_id"]: (claim["state"], claim["reason"]) for claim in db.reminder_claims.find()}
    assert {str(k): v for k, v in reasons.items()} == {
        never_emailed["_id"]: ("skipped", "the client was never e-mailed about this invoice"),
        emailed["_id"]: ("skipped", "thank-yous are off in the account's settings"),
    }


def test_a_thank_you_queued_before_the_payment_was_deleted_is_cancelled(client, auth, jobs, mail_sink):
    invoice = _emailed(client, auth, jobs, mail_sink)
    paid = make_payment(client, auth, invoice, 100)
    expect(client.delete(f"/api/invoices/{invoice['_id']}/payments/{paid['payments'][0]['_id']}", headers=auth), 200)
    jobs.run()
    assert mail_sink.received == []
    thanks = invoice_messages(client, auth, invoice)[-1]
    assert (thanks["kind"], thanks["status"]) == ("thank_you", "cancelled")
    assert thanks["error"] == "the invoice is no longer paid (it is sent)"
