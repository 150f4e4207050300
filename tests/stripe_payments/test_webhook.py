"""Stripe's webhook: signed events record card payments exactly once (retries, races, both
events of one payment), refunds reverse them, anything unsigned or unknown is 400 and writes
nothing. Events are signed the way Stripe signs them, with the test signing secret."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from bson import ObjectId

from tests.concurrency import at_once
from tests.factories import (
    assert_error_shape,
    charge_refunded,
    checkout_completed,
    connect_stripe,
    expect,
    get_invoice,
    intent_succeeded,
    invoice_messages,
    make_invoice,
    make_webhook,
    post_stripe_event,
    send_invoice,
    set_invoice_status,
    stripe_event,
    stripe_signature,
    webhook_deliveries,
)


@pytest.fixture
def stripe_account(client, auth, stripe_api):
    """The default user's Stripe connection: {webhook_path, ...}."""
    return connect_stripe(client, auth)


def _deliver(client, account, payload, status=200, **kwargs):
    return expect(post_stripe_event(client, account["webhook_path"], payload, **kwargs), status)


def _nothing_written(db):
    assert db.stripe_events.count_documents({}) == 0 and db.stripe_payments.count_documents({}) == 0
    assert db.payments.count_documents({}) == 0


def test_a_completed_checkout_records_a_card_payment_with_thanks_and_webhooks(
        client, auth, user, stripe_account, jobs, mail_sink):
    hook = make_webhook(client, auth, "http://127.0.0.1:9/hook")
    invoice = make_invoice(client, auth)
    send_invoice(client, auth, invoice)
    jobs.run()
    mail_sink.received.clear()
    payload = checkout_completed(invoice, user["id"], 10000, intent="pi_test_full")
    answer = _deliver(client, stripe_account, payload)
    paid = get_invoice(client, auth, invoice)
    [payment] = paid["payments"]
    assert answer == {"event_id": json.loads(payload)["id"], "type": "checkout.session.completed",
                      "outcome": "recorded", "invoice_id": invoice["_id"], "payment_id": payment["_id"]}
    assert paid["status"] == "paid" and paid["balance_due"] == 0 and paid["amount_paid"] == 100
    assert (payment["amount"], payment["currency"], payment["method"], payment["reference"]) == (
        100, "USD", "card", "pi_test_full")
    jobs.run()
    assert [email["Subject"] for _s, _r, email in mail_sink.received] == [
        f"Thank you for your payment of invoice {invoice['invoice_number']}"]
    assert [m["kind"] for m in invoice_messages(client, auth, invoice)] == ["invoice", "thank_you"]
    events = sorted(d["event"] for d in webhook_deliveries(client, auth, hook))
    assert events == ["client.created", "invoice.paid", "invoice.sent", "payment.created"]


def test_the_same_event_delivered_again_records_nothing_more(client, auth, user, stripe_account, db):
    invoice = make_invoice(client, auth, status="sent")
    payload = checkout_completed(invoice, user["id"], 4000)
    assert _deliver(client, stripe_account, payload)["outcome"] == "recorded"
    again = _deliver(client, stripe_account, payload)
    assert again["outcome"] == "duplicate" and again["reason"] == "Already handled: recorded"
    assert get_invoice(client, auth, invoice)["amount_paid"] == 40
    assert db.payments.count_documents({}) == 1 and db.stripe_events.count_documents({}) == 1


def test_both_events_of_one_payment_racing_record_it_once(app, client, auth, user, stripe_account, db):
    invoice = make_invoice(client, auth, status="sent")
    completed = checkout_completed(invoice, user["id"], 2500, intent="pi_test_race")
    succeeded = intent_succeeded(invoice, user["id"], 2500, "pi_test_race")
    path = stripe_account["webhook_path"]
    answers = at_once(app, *[lambda c, p=p: post_stripe_event(c, path, p) for p in (completed, succeeded)] * 2)
    assert all(answer.status_code in (200, 409) for answer in answers)
    outcomes = sorted(answer.get_json().get("outcome", "busy") for answer in answers)
    assert outcomes.count("recorded") == 1
    assert db.payments.count_documents({}) == 1
    assert get_invoice(client, auth, invoice)["amount_paid"] == 25
    for payload in (completed, succeeded):  # Stripe's retries of whatever was answered 409
        assert _deliver(client, stripe_account, payload)["outcome"] == "duplicate"
    assert db.payments.count_documents({}) == 1


def test_partial_then_full_payment(client, auth, user, stripe_account):
    invoice = make_invoice(client, auth, status="sent")
    _deliver(client, stripe_account, checkout_completed(invoice, user["id"], 3000))
    part = get_invoice(client, auth, invoice)
    assert part["status"] == "partial" and part["balance_due"] == 70
    _deliver(client, stripe_account, intent_succeeded(invoice, user["id"], 7000, "pi_test_rest"))
    paid = get_invoice(client, auth, invoice)
    assert paid["status"] == "paid" and [p["amount"] for p in paid["payments"]] == [30, 70]


def test_yen_amounts_are_whole_yen(client, auth, user, stripe_account):
    invoice = make_invoice(client, auth, status="sent", currency="JPY",
                           items=[{"description": "Work", "quantity": 1, "rate": 12000}])
    _deliver(client, stripe_account, checkout_completed(invoice, user["id"], 12000))
    paid = get_invoice(client, auth, invoice)
    assert paid["status"] == "paid" and paid["payments"][0]["amount"] == 12000


def test_a_refund_reverses_the_payment(client, auth, user, stripe_account, db):
    invoice = make_invoice(client, auth, status="sent")
    _deliver(client, stripe_account, checkout_completed(invoice, user["id"], 10000, intent="pi_test_refund"))
    partly = _deliver(client, stripe_account, charge_refunded("pi_test_refund", 10000, 2500, "usd"))
    assert partly["outcome"] == "refunded"
    after = get_invoice(client, auth, invoice)
    assert after["status"] == "partial" and after["amount_paid"] == 75
    assert after["payments"][0]["note"] == "Paid online (Stripe); 25 USD refunded"
    _deliver(client, stripe_account, charge_refunded("pi_test_refund", 10000, 10000, "usd"))
    back = get_invoice(client, auth, invoice)
    assert back["status"] == "sent" and back["payments"] == [] and back["balance_due"] == 100
    late = _deliver(client, stripe_account, charge_refunded("pi_test_refund", 10000, 10000, "usd"))
    assert late["outcome"] == "ignored"
    assert db.payments.count_documents({}) == 0


def test_a_refund_of_a_payment_orbix_never_recorded_is_ignored(client, stripe_account, db):
    answer = _deliver(client, stripe_account, charge_refunded("pi_test_elsewhere", 500, 500, "usd"))
    assert answer["outcome"] == "ignored" and db.payments.count_documents({}) == 0


def test_payments_that_do_not_fit_the_invoice_are_rejected_not_recorded(client, auth, user, stripe_account, db):
    invoice = make_invoice(client, auth, status="sent")
    too_much = _deliver(client, stripe_account, checkout_completed(invoice, user["id"], 10001))
    assert too_much["outcome"] == "rejected" and "Exceeds the balance due" in too_much["reason"]
    other_currency = _deliver(client, stripe_account, checkout_completed(invoice, user["id"], 100, currency="EUR"))
    assert other_currency["outcome"] == "rejected"
    expect(set_invoice_status(client, auth, invoice, "void"), 200)
    void = _deliver(client, stripe_account, checkout_completed(invoice, user["id"], 100))
    assert void["outcome"] == "rejected" and "void" in void["reason"]
    assert db.payments.count_documents({}) == 0
    assert sorted(c["state"] for c in db.stripe_payments.find()) == ["rejected"] * 3


def test_events_not_about_our_invoices_are_ignored(client, auth, user, make_user, stripe_account, db):
    invoice = make_invoice(client, auth, status="sent")
    stranger = make_user()
    foreign = _deliver(client, stripe_account, checkout_completed(invoice, stranger["id"], 100))
    assert foreign["outcome"] == "ignored"
    unpaid = _deliver(client, stripe_account, checkout_completed(invoice, user["id"], 100, payment_status="unpaid"))
    assert unpaid["outcome"] == "ignored"
    assert db.payments.count_documents({}) == 0


def test_a_signed_event_of_another_type_is_acknowledged_and_writes_nothing(client, stripe_account, db):
    answer = _deliver(client, stripe_account, stripe_event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert answer["outcome"] == "ignored" and answer["type"] == "customer.created"
    _nothing_written(db)


def test_unsigned_badly_signed_stale_and_unknown_deliveries_are_400(client, auth, user, stripe_account, db):
    invoice = make_invoice(client, auth, status="sent")
    payload = checkout_completed(invoice, user["id"], 10000)
    path = stripe_account["webhook_path"]
    refusals = {
        "missing header": post_stripe_event(client, path, payload, signature=""),
        "garbage header": post_stripe_event(client, path, payload, signature="nonsense"),
        "other secret": post_stripe_event(client, path, payload, secret="whsec_someoneElsesSecret0000"),
        "stale": post_stripe_event(client, path, payload, timestamp=int(time.time()) - 301),
        "body changed": post_stripe_event(client, path, payload.replace(b"10000", b"1"),
                                          signature=stripe_signature(payload)),
        "unknown webhook": post_stripe_event(client, "/api/payments/stripe/webhook/unknown", payload),
        "not an event": post_stripe_event(client, path, b'{"id": "evt_1"}'),
        "not json": post_stripe_event(client, path, b"\xff\xfe"),
    }
    for name, response in refusals.items():
        body = assert_error_shape(response, 400)
        assert body["message"], name
    assert "Stripe signature check failed" in refusals["stale"].get_json()["message"]
    assert "Unknown Stripe webhook URL" in refusals["unknown webhook"].get_json()["message"]
    _nothing_written(db)
    assert get_invoice(client, auth, invoice)["status"] == "sent"


def test_without_a_signing_secret_nothing_is_accepted(client, auth, user, stripe_api, db):
    account = connect_stripe(client, auth, webhook_secret=None)
    invoice = make_invoice(client, auth, status="sent")
    error = assert_error_shape(post_stripe_event(client, account["webhook_path"],
                                                 checkout_completed(invoice, user["id"], 100)), 400)
    assert "No webhook signing secret" in error["message"]
    _nothing_written(db)


def test_a_disconnected_account_has_no_webhook(client, auth, user, stripe_account, db):
    expect(client.delete("/api/payments/stripe", headers=auth), 200)
    invoice = make_invoice(client, auth, status="sent")
    assert_error_shape(post_stripe_event(client, stripe_account["webhook_path"],
                                         checkout_completed(invoice, user["id"], 100)), 400)
    _nothing_written(db)


def test_a_retry_after_a_crash_between_recording_and_marking_records_nothing_more(
        client, auth, user, stripe_account, db):
    invoice = make_invoice(client, auth, status="sent")
    payload = checkout_completed(invoice, user["id"], 4000, intent="pi_test_crash")
    first = _deliver(client, stripe_account, payload)
    # What a process dying after the payment was stored leaves: the payment, no claims.
    db.stripe_events.delete_many({})
    db.stripe_payments.delete_many({})
    again = _deliver(client, stripe_account, payload)
    assert again["outcome"] == "recorded" and again["payment_id"] == first["payment_id"]
    assert db.payments.count_documents({}) == 1 and get_invoice(client, auth, invoice)["amount_paid"] == 40


def test_with_payments_turned_off_the_webhook_answers_503_and_writes_nothing(app, client, auth, user,
                                                                            stripe_account, db):
    invoice = make_invoice(client, auth, status="sent")
    app.config["PAYMENTS_ENABLED"] = False
    try:
        assert_error_shape(post_stripe_event(client, stripe_account["webhook_path"],
                                             checkout_completed(invoice, user["id"], 100)), 503)
    finally:
        app.config["PAYMENTS_ENABLED"] = True
    _nothing_written(db)


def test_claims_in_progress_are_409_until_a_dead_process_leaves_them_stale(client, auth, user, stripe_account, db):
    invoice = make_invoice(client, auth, status="sent")
    payload = checkout_completed(invoice, user["id"], 5000, intent="pi_test_stuck")
    event_id = json.loads(payload)["id"]
    now = datetime.now(UTC)
    owner = ObjectId(user["id"])
    db.stripe_payments.insert_one({"_id": f"{user['id']}:pi_test_stuck", "user_id": owner, "state": "recording",
                                   "claimed_at": now})
    assert_error_shape(post_stripe_event(client, stripe_account["webhook_path"], payload), 409)
    assert db.stripe_events.count_documents({}) == 0  # released for Stripe's retry
    db.stripe_payments.update_one({}, {"$set": {"claimed_at": now - timedelta(minutes=6)}})
    db.stripe_events.insert_one({"_id": f"{user['id']}:{event_id}", "user_id": owner, "state": "processing",
                                 "claimed_at": now})
    assert_error_shape(post_stripe_event(client, stripe_account["webhook_path"], payload), 409)
    db.stripe_events.update_one({}, {"$set": {"claimed_at": now - timedelta(minutes=6)}})
    assert _deliver(client, stripe_account, payload)["outcome"] == "recorded"
    assert db.payments.count_documents({}) == 1
    assert [c["state"] for c in db.stripe_events.find()] == ["done"]
