"""The read cache (orbix.platform.read_cache): repeated reads are answered from the worker's copy
while the owner's data version stands, and every kind of write makes the next read fresh.

A change made straight in the database (behind the API's back) is how these tests see whether
an answer came from the cache: the API itself never writes without bumping the version."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from bson import ObjectId

from orbix.jobs.queue import enqueue
from orbix.jobs.registry import job
from orbix.platform import read_cache, shared_copies

from ..conftest import make_app
from ..factories import PASSWORD, expect, make_client, make_invoice, page_path, register_user, share_invoice


@job("tests.rename_client")
def _rename_client(client_id, name):
    """A background job writing an owner's data (as reminders and deliveries do)."""
    from orbix.db import get_db

    get_db().clients.update_one({"_id": ObjectId(client_id)}, {"$set": {"name": name}})


def rename_behind_the_api(db, client_doc, name):
    db.clients.update_one({"_id": ObjectId(client_doc["_id"])}, {"$set": {"name": name}})


def read_name(client, headers, client_doc):
    return expect(client.get(f"/api/clients/{client_doc['_id']}", headers=headers), 200)["name"]


@pytest.fixture
def cached_client(client, auth, db):
    """A client read once through the API (so cached), then renamed behind the API's back."""
    acme = make_client(client, auth, name="Acme")
    assert read_name(client, auth, acme) == "Acme"
    rename_behind_the_api(db, acme, "Renamed")
    return acme


def test_a_repeated_read_is_answered_from_the_cache(client, auth, cached_client):
    assert read_name(client, auth, cached_client) == "Acme"


def test_the_owners_write_makes_the_next_read_fresh(client, auth, cached_client):
    make_client(client, auth, name="Another")  # any write of theirs, not only to this client
    assert read_name(client, auth, cached_client) == "Renamed"


def test_a_refused_write_leaves_reads_cacheable_again(client, auth, db, cached_client):
    assert client.post("/api/clients", json={}, headers=auth).status_code == 422
    assert read_name(client, auth, cached_client) == "Renamed"  # the version moved: read afresh
    rename_behind_the_api(db, cached_client, "Renamed again")
    assert read_name(client, auth, cached_client) == "Renamed"  # and cached again (not left "in flight")


def test_a_write_answered_before_its_view_leaves_reads_cacheable(client, auth, db, cached_client):
    """A replayed create (Idempotency-Key) is answered before the view runs: the version the
    rate limiter marked "in flight" is settled all the same."""
    headers = {**auth, "Idempotency-Key": "create-once"}
    body = {"name": "Once", "email": "once@example.com"}
    expect(client.post("/api/clients", json=body, headers=headers))
    expect(client.post("/api/clients", json=body, headers=headers))  # the replay
    assert read_name(client, auth, cached_client) == "Renamed"
    rename_behind_the_api(db, cached_client, "Renamed again")
    assert read_name(client, auth, cached_client) == "Renamed"


def test_another_users_write_keeps_the_copy(client, auth, other_auth, cached_client):
    make_client(client, other_auth, name="Theirs")
    assert read_name(client, auth, cached_client) == "Acme"


def test_a_public_page_view_makes_the_next_read_fresh(client, auth, db):
    invoice = make_invoice(client, auth, status="sent")
    link = share_invoice(client, auth, invoice)
    acme = {"_id": invoice["client_id"]}
    first = read_name(client, auth, acme)
    rename_behind_the_api(db, acme, "Renamed")
    assert read_name(client, auth, acme) == first
    assert client.get(page_path(link["url"])).status_code == 200  # the client's visit records the view
    assert read_name(client, auth, acme) == "Renamed"


def test_a_write_with_no_caller_makes_the_next_read_fresh(client, auth, user, cached_client):
    """A request with no verified caller that may write (a Stripe webhook, a signature on a public
    page; here a login, which records a session): the platform cannot know whose data it touched."""
    expect(client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD}), 200)
    assert read_name(client, auth, cached_client) == "Renamed"


def test_a_refused_write_with_no_caller_keeps_the_copy(client, auth, user, cached_client):
    assert client.post("/api/auth/login", json={"email": user["email"], "password": "wrong"}).status_code == 401
    assert read_name(client, auth, cached_client) == "Acme"


def test_a_background_job_makes_the_next_read_fresh(app, client, auth, jobs, cached_client):
    with app.app_context():
        enqueue("tests.rename_client", "By a job", key=cached_client["_id"])
    jobs.run()
    assert read_name(client, auth, cached_client) == "By a job"


def test_the_other_user_never_gets_the_copy(client, auth, other_auth, cached_client):
    assert client.get(f"/api/clients/{cached_client['_id']}", headers=other_auth).status_code == 404


def test_a_personal_access_token_without_the_scope_is_refused_even_when_cached(client, auth, cached_client):
    token = expect(client.post("/api/tokens", json={"name": "CI", "scopes": ["invoices:read"]}, headers=auth))
    headers = {"Authorization": f"Bearer {token['token']}"}
    assert client.get(f"/api/clients/{cached_client['_id']}", headers=headers).status_code == 403


def test_each_query_is_its_own_entry_and_the_headers_are_kept(client, auth, db):
    for name in ("A", "B", "C"):
        make_client(client, auth, name=name)
    first = client.get("/api/clients?page_size=2", headers=auth)
    db.clients.delete_many({})
    again = client.get("/api/clients?page_size=2", headers=auth)
    assert again.get_json() == first.get_json() and len(first.get_json()) == 2
    assert again.headers["X-Pagination"] == first.headers["X-Pagination"]
    assert again.headers["Content-Type"] == "application/json"
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]  # the platform's, per request
    assert again.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/api/clients?page_size=3", headers=auth).get_json() == []  # another query reads afresh


def test_invoice_statuses_turn_overdue_at_midnight_even_when_cached(client, auth, monkeypatch):
    invoice = make_invoice(client, auth, status="sent", due_date=date.today().isoformat())
    path = f"/api/invoices/{invoice['_id']}"
    assert expect(client.get(path, headers=auth), 200)["status"] == "sent"
    tomorrow = date.today() + timedelta(days=1)
    monkeypatch.setattr("orbix.common.timeutil.utc_today", lambda: tomorrow)  # the invoices' day and the cache's
    assert expect(client.get(path, headers=auth), 200)["status"] == "overdue"
    assert expect(client.get("/api/invoices", headers=auth), 200)[0]["status"] == "overdue"


def test_a_copy_is_never_older_than_its_limit(client, auth, cached_client, monkeypatch):
    cache = client.application.extensions[read_cache.EXTENSION]
    monkeypatch.setattr(cache, "max_age", 0)
    assert read_name(client, auth, cached_client) == "Renamed"


def test_nothing_is_cached_without_redis(mongo_uri, db):
    app = make_app(mongo_uri, "memory://")
    client = app.test_client()
    headers = register_user(client)["headers"]
    acme = make_client(client, headers, name="Acme")
    assert read_name(client, headers, acme) == "Acme"
    rename_behind_the_api(db, acme, "Renamed")
    assert read_name(client, headers, acme) == "Renamed"


def test_a_huge_answer_is_not_kept(client, auth, db, cached_client, monkeypatch):
    cache = client.application.extensions[read_cache.EXTENSION]
    monkeypatch.setattr(cache, "max_bytes", 40)  # a client's JSON is far longer than 40 / 4 bytes
    make_client(client, auth, name="Another")
    assert read_name(client, auth, cached_client) == "Renamed"
    rename_behind_the_api(db, cached_client, "Renamed again")
    assert read_name(client, auth, cached_client) == "Renamed again"


def slow_client_reads(monkeypatch):
    """Client reads by id take 0.3 s (long enough for every other thread to ask meanwhile);
    returns the list they are recorded in."""
    from orbix.clients import service

    reads = []
    original = service.get_client

    def slow_read(user_id, client_id):
        reads.append(client_id)
        time.sleep(0.3)
        return original(user_id, client_id)

    monkeypatch.setattr(service, "get_client", slow_read)
    return reads


def test_identical_reads_at_once_read_the_database_once(app, client, auth, monkeypatch):
    acme = make_client(client, auth, name="Acme")
    reads = slow_client_reads(monkeypatch)
    path = f"/api/clients/{acme['_id']}"
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: app.test_client().get(path, headers=auth), range(6)))
    assert [answer.status_code for answer in answers] == [200] * 6
    assert {answer.get_json()["name"] for answer in answers} == {"Acme"}
    assert len(reads) == 1


@pytest.fixture
def other_worker(mongo_uri, redis_uri):
    """A second app on the same database and Redis: another gunicorn worker, with its own copies."""
    return make_app(mongo_uri, redis_uri).test_client()


def test_another_worker_takes_the_shared_copy(client, auth, other_worker, cached_client):
    """What one worker read, another takes from Redis under the same version (platform.shared_copies)."""
    assert read_name(other_worker, auth, cached_client) == "Acme"
    make_client(client, auth, name="Another")  # a write: no worker's copy is good any more
    assert read_name(other_worker, auth, cached_client) == "Renamed"
    assert read_name(client, auth, cached_client) == "Renamed"


def test_workers_missing_at_once_read_the_database_once(client, auth, other_worker, monkeypatch):
    acme = make_client(client, auth, name="Acme")
    reads = slow_client_reads(monkeypatch)
    workers = [client.application.test_client(), other_worker] * 2
    with ThreadPoolExecutor(4) as pool:
        names = list(pool.map(lambda worker: read_name(worker, auth, acme), workers))
    assert names == ["Acme"] * 4
    assert len(reads) == 1


def test_a_worker_whose_read_fails_does_not_hold_up_the_others(client, auth, other_worker, monkeypatch):
    from orbix.clients import service

    acme = make_client(client, auth, name="Acme")
    original = service.get_client

    def broken_read(user_id, client_id):
        monkeypatch.setattr(service, "get_client", original)  # once
        raise RuntimeError("the database connection broke mid-read")

    monkeypatch.setattr(service, "get_client", broken_read)
    assert client.get(f"/api/clients/{acme['_id']}", headers=auth).status_code == 500
    started = time.monotonic()
    assert read_name(other_worker, auth, acme) == "Acme"
    assert time.monotonic() - started < shared_copies.WAIT_SECONDS / 2  # the claim was given back
