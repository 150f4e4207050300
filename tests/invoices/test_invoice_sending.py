"""POST /api/invoices/{id}/send and GET /api/invoices/{id}/messages, through HTTP, with the
job run by a real RQ worker on the real Redis and the e-mail read from a real SMTP server."""

from io import BytesIO

from pypdf import PdfReader
from rq.job import Job

from tests.conftest import make_app
from tests.factories import (
    assert_error_shape,
    expect,
    invoice_messages,
    make_invoice,
    send_invoice,
    set_invoice_status,
    set_settings,
)


def test_send_queues_a_message_and_moves_the_draft_to_sent_frozen(client, auth, jobs):
    invoice = make_invoice(client, auth)
    message = send_invoice(client, auth, invoice)
    assert message["status"] == "queued" and message["to"] == ["billing@acme.io"]
    assert message["invoice_id"] == invoice["_id"] and message["attachments"][0]["filename"].endswith(".pdf")
    stored = expect(client.get(f"/api/invoices/{invoice['_id']}", headers=auth), 200)
    assert stored["status"] == "sent" and stored["sent_at"] and stored["client"]["name"] == "Acme Ltd"


def test_the_worker_delivers_html_text_and_pdf_with_reply_to_the_freelancer(client, auth, user, jobs, mail_sink):
    set_settings(client, auth, business_name="Lovelace Analytics")
    invoice = make_invoice(client, auth)
    send_invoice(client, auth, invoice, cc=["boss@acme.io"], message="Thanks for the work on <the engine>.")
    jobs.run()
    [(sender, recipients, email)] = mail_sink.received
    assert sender == "invoices@orbix.test" and sorted(recipients) == ["billing@acme.io", "boss@acme.io"]
    assert email["Subject"] == f"Invoice {invoice['invoice_number']} from Lovelace Analytics"
    assert email["From"].addresses[0].display_name == "Lovelace Analytics"
    assert email["Reply-To"].addresses[0].addr_spec == user["email"]
    assert email["Cc"] == "boss@acme.io"
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert "Thanks for the work on <the engine>." in text and invoice["invoice_number"] in text
    assert "Thanks for the work on &lt;the engine&gt;." in html  # user text is escaped in HTML
    [attachment] = list(email.iter_attachments())
    assert attachment.get_filename() == f"{invoice['invoice_number']}.pdf"
    pdf_text = PdfReader(BytesIO(attachment.get_content())).pages[0].extract_text()
    assert invoice["invoice_number"] in pdf_text and "DRAFT" not in pdf_text


def test_messages_list_shows_sent_with_time_after_the_job(client, auth, jobs):
    invoice = make_invoice(client, auth)
    send_invoice(client, auth, invoice)
    assert invoice_messages(client, auth, invoice)[0]["status"] == "queued"
    jobs.run()
    [message] = invoice_messages(client, auth, invoice)
    assert message["status"] == "sent" and message["sent_at"] and message["attempts"] == 1 and message["error"] is None


def test_resending_queues_another_message_and_each_is_sent_once(client, auth, jobs, mail_sink):
    invoice = make_invoice(client, auth)
    send_invoice(client, auth, invoice)
    send_invoice(client, auth, invoice, to="accounts@acme.io", subject="Reminder: invoice attached", attach_pdf=False)
    jobs.run()
    jobs.run()
    assert [m["status"] for m in invoice_messages(client, auth, invoice)] == ["sent", "sent"]
    assert [r for _s, r, _e in mail_sink.received] == [["billing@acme.io"], ["accounts@acme.io"]]
    assert list(mail_sink.received[1][2].iter_attachments()) == []


def test_a_job_delivered_twice_sends_once(client, auth, jobs, mail_sink):
    invoice = make_invoice(client, auth)
    send_invoice(client, auth, invoice)
    [job] = jobs.queue.get_jobs()
    jobs.run()
    jobs.queue.enqueue_job(job)  # RQ hands the same job out again (e.g. after a lost acknowledgement)
    jobs.run()
    assert len(mail_sink.received) == 1


def test_a_rejected_recipient_is_retried_then_failed_with_the_error(client, auth, jobs, mail_sink, caplog):
    invoice = make_invoice(client, auth)
    response = client.post(f"/api/invoices/{invoice['_id']}/send", json={"to": "reject@acme.io"}, headers=auth)
    assert response.status_code == 201
    jobs.run()
    [message] = invoice_messages(client, auth, invoice)
    assert message["status"] == "failed" and message["attempts"] == 3  # the first try and JOBS_RETRY_MAX=2 retries
    assert "550" in message["error"] and message["failed_at"]
    [failed] = jobs.failed_ids()
    job = Job.fetch(failed, connection=jobs.queue.connection)
    assert job.meta["request_id"] == response.headers["X-Request-ID"]
    logged = [r for r in caplog.records if r.name == "orbix.jobs.registry" and r.levelname == "ERROR"]
    assert len(logged) == 3 and {r.request_id for r in logged} == {response.headers["X-Request-ID"]}
    assert mail_sink.received == []


def test_header_injection_in_subject_or_address_is_422(client, auth, jobs):
    invoice = make_invoice(client, auth)
    for body in ({"subject": "Hi\r\nBcc: victim@example.com"}, {"to": ["a@b.io\r\nBcc: victim@example.com"]},
                 {"cc": "not an address"}, {"to": []}, {"attach_pdf": "maybe"}):
        errors = assert_error_shape(client.post(f"/api/invoices/{invoice['_id']}/send", json=body, headers=auth), 422)
        assert set(errors["errors"]["json"]) == set(body)
    assert invoice_messages(client, auth, invoice) == []


def test_a_void_invoice_cannot_be_sent(client, auth, jobs):
    invoice = make_invoice(client, auth)
    expect(set_invoice_status(client, auth, invoice, "void"), 200)
    assert_error_shape(client.post(f"/api/invoices/{invoice['_id']}/send", json={}, headers=auth), 409)


def test_another_users_invoice_is_404_for_send_and_messages(client, auth, other_auth, jobs):
    invoice = make_invoice(client, auth)
    assert_error_shape(client.post(f"/api/invoices/{invoice['_id']}/send", json={}, headers=other_auth), 404)
    assert_error_shape(client.get(f"/api/invoices/{invoice['_id']}/messages", headers=other_auth), 404)
    assert_error_shape(client.get("/api/invoices/nope/messages", headers=auth), 404)


def test_without_redis_send_is_503_fast_and_writes_nothing(mongo_uri, redis_uri, mail_sink, client, auth):
    invoice = make_invoice(client, auth)
    dead = make_app(mongo_uri, redis_uri, SMTP_URL=mail_sink.url, JOBS_REDIS_URL="redis://127.0.0.1:9/0")
    response = dead.test_client().post(f"/api/invoices/{invoice['_id']}/send", json={}, headers=auth)
    body = assert_error_shape(response, 503)
    assert response.headers["Retry-After"] and "queue" in body["message"]
    assert invoice_messages(client, auth, invoice) == []
    stored = expect(client.get(f"/api/invoices/{invoice['_id']}", headers=auth), 200)
    assert stored["status"] == "draft" and stored["sent_at"] is None and stored["client"]["name"] == "Acme Ltd"


def test_the_job_retries_with_exponential_backoff(mongo_uri, redis_uri, mail_sink, client, auth, jobs):
    invoice = make_invoice(client, auth)
    app = make_app(mongo_uri, redis_uri, SMTP_URL=mail_sink.url, JOBS_QUEUE="orbix-test",
                   MAIL_FROM="Orbix <invoices@orbix.test>", JOBS_RETRY_BASE_SECONDS=30, JOBS_RETRY_MAX=4)
    expect(app.test_client().post(f"/api/invoices/{invoice['_id']}/send", json={}, headers=auth))
    [job] = jobs.queue.get_jobs()
    assert job.retries_left == 4 and job.retry_intervals == [30, 60, 120, 240]
