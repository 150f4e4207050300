"""Deliveries to a real HTTP receiver (tests/webhook_receiver.py) by the job worker on the real
Redis: every wired event, signed as README "Webhooks" says (its snippet verifies them), retried on
the documented schedule, failed after the window, redelivered, pinged, swept after a Redis outage."""

import time
from collections import Counter
from datetime import datetime, timedelta

from orbix.webhooks import delivery as webhook_delivery
from orbix.webhooks.signing import header
from orbix.webhooks.transport import RESPONSE_LIMIT
from tests.conftest import make_app
from tests.factories import (
    assert_error_shape,
    expect,
    make_client,
    make_contract,
    make_invoice,
    make_payment,
    make_time_entry,
    make_webhook,
    page_path,
    send_contract,
    send_invoice,
    set_invoice_status,
    share_invoice,
    webhook_deliveries,
)

SIGNER = {"name": "Grace Hopper", "email": "grace@navy.example", "agree": True}


def _at(text):
    return datetime.fromisoformat(text)


def _only(client, auth, hook):
    [delivery] = webhook_deliveries(client, auth, hook)
    return delivery


def test_every_wired_event_is_delivered_signed_with_the_object_as_the_api_returns_it(
    client, auth, webhook_jobs, receiver, verify
):
    hook = make_webhook(client, auth, receiver.url)
    customer = make_client(client, auth)
    invoice = make_invoice(client, auth, client_id=customer["_id"])
    expect(set_invoice_status(client, auth, invoice, "sent"), 200)
    make_payment(client, auth, invoice, 40)
    paid = make_payment(client, auth, invoice, 60)
    first_payment = paid["payments"][0]
    expect(client.delete(f"/api/invoices/{invoice['_id']}/payments/{first_payment['_id']}", headers=auth), 200)
    mailed = make_invoice(client, auth, client_id=customer["_id"])
    send_invoice(client, auth, mailed)
    marked = make_invoice(client, auth, client_id=customer["_id"], status="sent")
    expect(set_invoice_status(client, auth, marked, "paid"), 200)  # records the balance as a payment
    page = page_path(share_invoice(client, auth, mailed)["url"])
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200  # the same link again: no second event
    assert client.get(page_path(share_invoice(client, auth, mailed)["url"])).status_code == 200  # another link
    contract = make_contract(client, auth, client_id=customer["_id"], allow_any_signer=True)
    token = send_contract(client, auth, contract["_id"])["signing_url"].rsplit("/", 1)[1]
    expect(client.get(f"/api/public/contracts/{token}"), 200)
    expect(client.get(f"/api/public/contracts/{token}"), 200)  # the same link again: no second event
    expect(client.post(f"/api/public/contracts/{token}/sign", json=SIGNER), 200)
    timer = make_time_entry(client, auth, start_time="2026-01-05T09:00:00Z", end_time=None)
    stopped = expect(client.post(f"/api/time-tracking/{timer['_id']}/stop", json={}, headers=auth), 200)
    edited = make_time_entry(client, auth, start_time="2026-01-06T09:00:00Z", end_time=None)
    expect(client.patch(f"/api/time-tracking/{edited['_id']}", json={"end_time": "2026-01-06T10:00:00Z"},
                        headers=auth), 200)
    webhook_jobs.run()

    events = {}
    for request in receiver.requests:
        events.setdefault(request.json["type"], []).append(request)
    assert Counter({kind: len(found) for kind, found in events.items()}) == Counter({
        "client.created": 1, "invoice.sent": 3, "payment.created": 3, "invoice.paid": 2, "payment.deleted": 1,
        "invoice.viewed": 2, "contract.sent": 1, "contract.viewed": 1, "contract.signed": 1, "time_entry.stopped": 2})
    for request in receiver.requests:
        assert verify(hook["secret"], request.headers["Orbix-Signature"], request.body), request.json["type"]
        assert request.headers["Orbix-Event"] == request.json["type"]
        assert request.headers["User-Agent"] == "Orbix-Webhooks/1"
        assert request.headers["Content-Type"] == "application/json"
        assert request.path == "/hooks/orbix"
        assert set(request.json) == {"id", "type", "created_at", "data"}
    assert events["client.created"][0].json["data"] == expect(client.get(f"/api/clients/{customer['_id']}",
                                                                         headers=auth), 200)
    assert events["time_entry.stopped"][0].json["data"] == stopped
    assert {r.json["data"]["_id"] for r in events["invoice.paid"]} == {invoice["_id"], marked["_id"]}
    assert {(r.json["data"]["status"], r.json["data"]["balance_due"]) for r in events["invoice.paid"]} == {("paid", 0)}
    assert {r.json["data"]["_id"] for r in events["invoice.sent"]} == {invoice["_id"], mailed["_id"], marked["_id"]}
    assert {r.json["data"]["invoice_id"] for r in events["payment.created"]} == {invoice["_id"], marked["_id"]}
    assert events["payment.deleted"][0].json["data"] == first_payment
    assert events["contract.signed"][0].json["data"]["signed_by"]["name"] == "Grace Hopper"
    assert events["contract.viewed"][0].json["data"]["status"] == "sent"
    assert {r.json["data"]["_id"] for r in events["invoice.viewed"]} == {mailed["_id"]}
    log = webhook_deliveries(client, auth, hook)
    assert all(d["status"] == "succeeded" and d["attempts"] == 1 for d in log)
    assert {d["_id"] for d in log} == {r.headers["Orbix-Delivery"] for r in receiver.requests}


def test_the_snippet_refuses_a_changed_body_another_secret_and_an_old_timestamp(client, auth, webhook_jobs,
                                                                               receiver, verify):
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    webhook_jobs.run()
    [request] = receiver.requests
    signature = request.headers["Orbix-Signature"]
    assert verify(hook["secret"], signature, request.body)
    assert not verify(hook["secret"], signature, request.body + b" ")
    assert not verify("whsec_other", signature, request.body)
    assert not verify(hook["secret"], "v1=" + signature.split("v1=")[1], request.body)
    old = int(time.time()) - 3600
    assert not verify(hook["secret"], header(hook["secret"], old, request.body), request.body)
    assert verify(hook["secret"], header(hook["secret"], old, request.body), request.body, tolerance=7200)


def test_only_subscribed_active_endpoints_get_an_event(client, auth, webhook_jobs, receiver):
    wanted = make_webhook(client, auth, receiver.url + "/wanted", events=["client.created"])
    make_webhook(client, auth, receiver.url + "/other", events=["invoice.paid"])
    inactive = make_webhook(client, auth, receiver.url + "/inactive", events=["*"], active=False)
    make_client(client, auth)
    webhook_jobs.run()
    assert [r.path for r in receiver.requests] == ["/hooks/orbix/wanted"]
    assert _only(client, auth, wanted)["status"] == "succeeded"
    assert webhook_deliveries(client, auth, inactive) == []


def test_an_endpoint_deactivated_before_the_attempt_gets_nothing(client, auth, webhook_jobs, receiver):
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    expect(client.patch(f"/api/webhooks/{hook['_id']}", json={"active": False}, headers=auth), 200)
    webhook_jobs.run()
    assert receiver.requests == []
    delivery = _only(client, auth, hook)
    assert delivery["status"] == "failed" and delivery["error"] == "Not sent: the endpoint is inactive"
    assert delivery["next_attempt_at"] is None and delivery["response_code"] is None


def test_a_success_logs_status_code_duration_and_the_first_kilobyte(client, auth, webhook_jobs, receiver):
    receiver.reply = b"x" * 5000
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    webhook_jobs.run()
    delivery = _only(client, auth, hook)
    assert delivery["status"] == "succeeded" and delivery["attempts"] == 1 and delivery["response_code"] == 200
    assert delivery["error"] is None and delivery["next_attempt_at"] is None
    assert isinstance(delivery["duration_ms"], int) and delivery["duration_ms"] >= 0
    assert delivery["response_body"] == "x" * RESPONSE_LIMIT
    assert delivery["event"] == "client.created" and delivery["delivered_at"] == delivery["last_attempt_at"]
    detail = expect(client.get(f"/api/webhooks/{hook['_id']}/deliveries/{delivery['_id']}", headers=auth), 200)
    assert detail["payload"] == receiver.requests[0].json and detail["payload"]["id"] == delivery["event_id"]


def test_a_500_is_retried_on_the_backoff_schedule_until_it_succeeds(client, auth, webhook_jobs, receiver):
    receiver.answers = [500, 503]
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    webhook_jobs.run()
    first = _only(client, auth, hook)
    assert (first["status"], first["attempts"], first["response_code"]) == ("pending", 1, 500)
    assert first["error"] == "HTTP 500 Internal Server Error"
    due = _at(first["next_attempt_at"])
    assert due - _at(first["last_attempt_at"]) == timedelta(minutes=1)
    assert webhook_jobs.sweep(due - timedelta(seconds=1)) == 0  # not due yet
    assert webhook_jobs.sweep(due) == 1
    webhook_jobs.run()
    second = _only(client, auth, hook)
    assert (second["status"], second["attempts"], second["response_code"]) == ("pending", 2, 503)
    assert _at(second["next_attempt_at"]) - _at(second["last_attempt_at"]) == timedelta(minutes=5)
    assert webhook_jobs.sweep(_at(second["next_attempt_at"])) == 1
    webhook_jobs.run()
    third = _only(client, auth, hook)
    assert (third["status"], third["attempts"], third["response_code"], third["error"]) == ("succeeded", 3, 200, None)
    assert third["next_attempt_at"] is None
    assert len(receiver.requests) == 3 and len({r.body for r in receiver.requests}) == 1  # the same event each time


def test_after_24_hours_of_failures_the_delivery_is_failed(client, auth, webhook_jobs, receiver, db):
    receiver.answers = [500] * 20
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    delivery = db.webhook_deliveries.find_one()
    now, gaps = delivery["created_at"], []
    while webhook_jobs.attempt(delivery["_id"], now=now) == "pending":
        delivery = db.webhook_deliveries.find_one()
        gaps.append(delivery["next_attempt_at"] - now)
        now = delivery["next_attempt_at"]
    assert [gap.total_seconds() for gap in gaps] == [60, 300, 1800, 7200, 18000, 36000, 23040]
    failed = _only(client, auth, hook)
    assert (failed["status"], failed["attempts"], failed["response_code"]) == ("failed", 8, 500)
    assert _at(failed["failed_at"]) - _at(failed["created_at"]) == timedelta(hours=24)
    assert failed["next_attempt_at"] is None and len(receiver.requests) == 8
    assert webhook_jobs.sweep(now + timedelta(days=2)) == 0


def test_redirects_are_not_followed(client, auth, webhook_jobs, receiver):
    receiver.answers = [302]
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    webhook_jobs.run()
    delivery = _only(client, auth, hook)
    assert (delivery["status"], delivery["response_code"], delivery["error"]) == ("pending", 302, "HTTP 302 Found")
    assert [r.path for r in receiver.requests] == ["/hooks/orbix"]


def test_a_slow_receiver_times_out_and_is_retried(mongo_uri, redis_uri, client, auth, receiver, jobs, db):
    receiver.delay = 3
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    impatient = make_app(mongo_uri, redis_uri, WEBHOOKS_TIMEOUT_SECONDS=0.5)
    with impatient.app_context():
        assert webhook_delivery.attempt(db.webhook_deliveries.find_one()["_id"]) == "pending"
    logged = _only(client, auth, hook)
    assert logged["error"] == "Timed out after 0.5 s" and logged["response_code"] is None
    assert logged["attempts"] == 1 and logged["next_attempt_at"] is not None


def test_a_target_that_turned_private_is_not_sent_to(mongo_uri, redis_uri, client, auth, receiver, jobs, db):
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    strict = make_app(mongo_uri, redis_uri, WEBHOOKS_ALLOW_PRIVATE=False)
    with strict.app_context():
        assert webhook_delivery.attempt(db.webhook_deliveries.find_one()["_id"]) == "pending"
    assert receiver.requests == []
    logged = _only(client, auth, hook)
    assert logged["error"].startswith("Not sent: The host 127.0.0.1 resolves to 127.0.0.1, which is not a public")


def test_redelivery_sends_the_same_event_again_as_a_new_delivery(client, auth, webhook_jobs, receiver, verify):
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    webhook_jobs.run()
    original = _only(client, auth, hook)
    again = expect(client.post(f"/api/webhooks/{hook['_id']}/deliveries/{original['_id']}/redeliver", headers=auth))
    assert again["redelivery_of"] == original["_id"] and again["event_id"] == original["event_id"]
    assert again["status"] == "pending" and again["_id"] != original["_id"]
    webhook_jobs.run()
    first, second = receiver.requests
    assert first.body == second.body and verify(hook["secret"], second.headers["Orbix-Signature"], second.body)
    assert second.headers["Orbix-Delivery"] == again["_id"]
    newest, oldest = webhook_deliveries(client, auth, hook)
    assert (newest["_id"], newest["status"], oldest["_id"]) == (again["_id"], "succeeded", original["_id"])


def test_ping_sends_a_test_event_to_that_endpoint(client, auth, webhook_jobs, receiver, verify):
    hook = make_webhook(client, auth, receiver.url, events=["invoice.paid"])
    make_webhook(client, auth, receiver.url + "/other")
    ping = expect(client.post(f"/api/webhooks/{hook['_id']}/ping", headers=auth))
    assert ping["event"] == "ping" and ping["status"] == "pending"
    webhook_jobs.run()
    [request] = receiver.requests
    assert request.json["type"] == "ping" and request.json["data"]["webhook_id"] == hook["_id"]
    assert request.path == "/hooks/orbix" and verify(hook["secret"], request.headers["Orbix-Signature"], request.body)
    assert _only(client, auth, hook)["status"] == "succeeded"


def test_ping_and_redelivery_of_an_inactive_endpoint_are_409(client, auth, receiver):
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    delivery = _only(client, auth, hook)
    expect(client.patch(f"/api/webhooks/{hook['_id']}", json={"active": False}, headers=auth), 200)
    assert_error_shape(client.post(f"/api/webhooks/{hook['_id']}/ping", headers=auth), 409)
    assert_error_shape(client.post(f"/api/webhooks/{hook['_id']}/deliveries/{delivery['_id']}/redeliver",
                                   headers=auth), 409)


def test_a_rotated_secret_signs_the_next_attempts(client, auth, webhook_jobs, receiver, verify):
    hook = make_webhook(client, auth, receiver.url)
    rotated = expect(client.post(f"/api/webhooks/{hook['_id']}/rotate-secret", headers=auth), 200)
    make_client(client, auth)
    webhook_jobs.run()
    [request] = receiver.requests
    assert verify(rotated["secret"], request.headers["Orbix-Signature"], request.body)
    assert not verify(hook["secret"], request.headers["Orbix-Signature"], request.body)


def test_with_redis_down_the_request_succeeds_and_the_sweep_delivers_later(
    mongo_uri, redis_uri, client, auth, webhook_jobs, receiver, verify
):
    hook = make_webhook(client, auth, receiver.url)
    no_queue = make_app(mongo_uri, redis_uri, JOBS_REDIS_URL="redis://127.0.0.1:9/0")
    customer = expect(no_queue.test_client().post("/api/clients", json={"name": "Acme", "email": "a@acme.io"},
                                                  headers=auth))
    pending = _only(client, auth, hook)
    assert (pending["status"], pending["attempts"]) == ("pending", 0)
    webhook_jobs.run()
    assert receiver.requests == []  # nothing was queued
    assert webhook_jobs.sweep() == 1
    assert webhook_jobs.sweep() == 0  # queued already: not twice
    webhook_jobs.run()
    [request] = receiver.requests
    assert request.json["data"]["_id"] == customer["_id"]
    assert verify(hook["secret"], request.headers["Orbix-Signature"], request.body)
    assert _only(client, auth, hook)["status"] == "succeeded"


def test_a_job_delivered_twice_sends_once(client, auth, webhook_jobs, receiver, db):
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    delivery = db.webhook_deliveries.find_one()
    db.webhook_deliveries.update_one({"_id": delivery["_id"]}, {"$unset": {"queued_attempt": ""}})
    assert webhook_jobs.sweep() == 1  # the same attempt queued again (as after a lost queue entry)
    webhook_jobs.run()
    assert len(receiver.requests) == 1 and _only(client, auth, hook)["attempts"] == 1


def test_the_log_is_newest_first_paginated_and_filtered(client, auth, webhook_jobs, receiver):
    hook = make_webhook(client, auth, receiver.url)
    for n in range(3):
        make_client(client, auth, name=f"C{n}")
    expect(client.post(f"/api/webhooks/{hook['_id']}/ping", headers=auth))
    webhook_jobs.run()
    log = webhook_deliveries(client, auth, hook)
    assert [d["event"] for d in log] == ["ping", "client.created", "client.created", "client.created"]
    assert [d["event"] for d in webhook_deliveries(client, auth, hook, event="ping")] == ["ping"]
    assert webhook_deliveries(client, auth, hook, status="failed") == []
    response = client.get(f"/api/webhooks/{hook['_id']}/deliveries?page=2&page_size=3", headers=auth)
    assert [d["_id"] for d in expect(response, 200)] == [log[-1]["_id"]]
    assert '"total": 4' in response.headers["X-Pagination"]
    assert_error_shape(client.get(f"/api/webhooks/{hook['_id']}/deliveries?status=lost", headers=auth), 422)
