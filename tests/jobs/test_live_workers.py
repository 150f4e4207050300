"""Two app instances (gunicorn) and two job workers (``python -m orbix.jobs.worker``) on one
Redis and one database, with a real SMTP server: what a scaled deployment does."""

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from pymongo import MongoClient
from redis import Redis
from rq import Queue
from rq.job import Job
from rq.registry import FailedJobRegistry

from orbix.dev.mail_sink import MailSink
from tests.live import live_api as _api
from tests.live import until as _until
from tools.live_stack import live_cluster

pytestmark = pytest.mark.slow
FAILING_REQUEST_ID = "live-failing-send-0001"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with MailSink() as sink, live_cluster(
        tmp_path_factory.mktemp("cluster"), apps=2, WEB_CONCURRENCY="1", GUNICORN_THREADS="2", LOG_LEVEL="INFO",
        SMTP_URL=sink.url, MAIL_FROM="Orbix <invoices@orbix.test>", SCHEDULER_TICK_SECONDS="0.3",
        JOBS_RETRY_BASE_SECONDS="1", JOBS_RETRY_MAX="2", BCRYPT_ROUNDS="4",
    ) as cluster:
        first, second = cluster.bases
        account = {"name": "Ada", "email": "ada@example.com", "password": "correct horse battery"}
        token = _api(first, "POST", "/api/auth/register", json=account).json()["token"]
        customer = _api(second, "POST", "/api/clients", token, json={"name": "Acme", "email": "billing@acme.io"}).json()
        past_due = _api(first, "POST", "/api/invoices", token, json={
            "client_id": customer["_id"], "items": [{"description": "Work", "quantity": 1, "rate": 100}],
            "date": (date.today() - timedelta(days=40)).isoformat(),
            "due_date": (date.today() - timedelta(days=10)).isoformat()}).json()
        _api(second, "PUT", f"/api/invoices/{past_due['_id']}", token, json={"status": "sent"})
        draft = _api(second, "POST", "/api/invoices", token, json={
            "client_id": customer["_id"], "items": [{"description": "Work", "quantity": 2, "rate": 100}],
            "payment_terms": "Net 30"}).json()
        cluster.start_workers(2)  # after the invoice fell due: their scheduler marks it at start
        sent = _api(second, "POST", f"/api/invoices/{draft['_id']}/send", token, json={}).json()
        failing = _api(first, "POST", f"/api/invoices/{draft['_id']}/send", token, json={"to": "reject@acme.io"},
                       headers={"X-Request-ID": FAILING_REQUEST_ID}).json()

        def statuses():
            messages = _api(first, "GET", f"/api/invoices/{draft['_id']}/messages", token).json()
            done = all(m["status"] != "queued" for m in messages)
            return done and {m["_id"]: m for m in messages}

        messages = _until(statuses)
        time.sleep(2)  # several more scheduler ticks in both workers
        yield {"cluster": cluster, "sink": sink, "messages": messages, "sent": sent, "failing": failing,
               "past_due": past_due}


def test_a_send_through_either_app_is_delivered_once_by_a_worker(cluster):
    assert cluster["messages"][cluster["sent"]["_id"]]["status"] == "sent"
    [(_sender, recipients, email)] = cluster["sink"].received
    assert recipients == ["billing@acme.io"] and email.get_body(("html",)) is not None


def test_a_failing_send_is_retried_then_stays_in_the_failed_registry(cluster):
    message = cluster["messages"][cluster["failing"]["_id"]]
    assert message["status"] == "failed" and message["attempts"] == 3 and "550" in message["error"]
    connection = Redis.from_url(cluster["cluster"].env["RATELIMIT_STORAGE_URI"])
    [failed] = FailedJobRegistry(queue=Queue("orbix", connection=connection)).get_job_ids()
    assert Job.fetch(failed, connection=connection).meta["request_id"] == FAILING_REQUEST_ID
    logged = [line for line in cluster["cluster"].logs("worker")
              if line.get("message", "").startswith(f"job mail.send:{message['_id']} failed")]
    assert len(logged) == 3 and {line["request_id"] for line in logged} == {FAILING_REQUEST_ID}


def test_the_daily_period_runs_exactly_once_across_two_workers(cluster):
    today = datetime.now(UTC).date().isoformat()
    ran = [line for line in cluster["cluster"].logs("worker")
           if line.get("message") == f"periodic task invoices.mark_overdue:{today} ran"]
    assert len(ran) == 1
    db = MongoClient(cluster["cluster"].env["MONGO_URI"]).get_default_database()
    assert db.schedule_runs.count_documents({"task": "invoices.mark_overdue"}) == 1
    assert db.invoices.find_one({"invoice_number": cluster["past_due"]["invoice_number"]})["status"] == "overdue"
