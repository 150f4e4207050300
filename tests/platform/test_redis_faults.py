"""A hung Redis (the process stopped, its socket still accepting) must not hang requests:
every Redis call has short timeouts, the rate limiter fails open, the session cache is
bypassed (MongoDB answers), and both go back to Redis once it runs again."""

import itertools
import os
import signal
import time
import uuid
from contextlib import contextmanager

import pytest
import redis

from orbix.dev.redis_server import RedisServer
from tests.conftest import make_app
from tests.factories import make_client, register_user
from tests.faults import answered_within
from tests.reports.records import issued

# The issue is a hang: a read must answer well within this, not after Redis comes back.
ANSWER_BOUND_SECONDS = 1.5


@pytest.fixture
def own_redis():
    """A redis-server of this test's own, so stopping it leaves the suite's one alone."""
    with RedisServer() as server:
        yield server


@contextmanager
def hung(server):
    """Redis stopped with SIGSTOP: connections are accepted by the kernel, nothing answers."""
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(server.process.pid, signal.SIGCONT)


def _app_on(server, app, mongo_uri, **overrides):
    """An app using ``server`` for rate limits and session epochs (``app`` prepared the database)."""
    return make_app(mongo_uri, server.uri, RATELIMIT_KEY_PREFIX=f"f{uuid.uuid4().hex}", **overrides)


def test_authenticated_reads_answer_while_redis_is_hung(own_redis, app, mongo_uri):
    client = _app_on(own_redis, app, mongo_uri).test_client()
    account = register_user(client)
    for _ in range(2):  # the session is cached under a Redis epoch
        assert client.get("/api/auth/me", headers=account["headers"]).status_code == 200
    with hung(own_redis):
        for _ in range(3):
            response = answered_within(
                lambda: client.get("/api/auth/me", headers=account["headers"]), ANSWER_BOUND_SECONDS
            )
            assert response is not None, "the read hung with Redis"
            assert response.status_code == 200


def test_a_logout_while_redis_is_hung_revokes_the_token_at_once(own_redis, app, mongo_uri):
    """The session cache is bypassed while Redis cannot answer: MongoDB decides."""
    client = _app_on(own_redis, app, mongo_uri).test_client()
    account = register_user(client)
    assert client.get("/api/auth/me", headers=account["headers"]).status_code == 200
    with hung(own_redis):
        logout = answered_within(lambda: client.post("/api/auth/logout", headers=account["headers"]), 5)
        assert logout is not None and logout.status_code == 200
        response = answered_within(lambda: client.get("/api/auth/me", headers=account["headers"]), ANSWER_BOUND_SECONDS)
        assert response is not None and response.status_code == 401


def test_the_session_cache_is_used_again_once_redis_resumes(own_redis, app, mongo_uri, db):
    """A rename written straight to MongoDB (no epoch change) stays unseen only while the
    cached session is trusted, which shows the cache is in use."""
    client = _app_on(own_redis, app, mongo_uri, REDIS_RETRY_SECONDS=0.2).test_client()
    account = register_user(client, name="Before")
    headers = account["headers"]
    with hung(own_redis):
        assert answered_within(lambda: client.get("/api/auth/me", headers=headers), ANSWER_BOUND_SECONDS) is not None
    deadline = time.monotonic() + 10
    while True:  # after the retry pause, a read files the session under the epoch again
        assert client.get("/api/auth/me", headers=headers).status_code == 200
        db.users.update_one({"email": account["email"]}, {"$set": {"name": "Changed behind the cache"}})
        name = client.get("/api/auth/me", headers=headers).get_json()["name"]
        if name == "Before" or time.monotonic() > deadline:
            break
        db.users.update_one({"email": account["email"]}, {"$set": {"name": "Before"}})
        time.sleep(0.1)
    assert name == "Before"


def test_rate_limits_are_counted_in_redis_again_once_it_resumes(own_redis, app, mongo_uri):
    """While Redis is hung the limiter fails open (counting in memory); afterwards each new
    caller's counter shows up in Redis again. Callers are told apart by client IP."""
    prefix = f"f{uuid.uuid4().hex}"
    client = make_app(mongo_uri, own_redis.uri, RATELIMIT_KEY_PREFIX=prefix).test_client()

    def anonymous_read(ip):
        return client.get("/api/clients", environ_base={"REMOTE_ADDR": ip})

    with hung(own_redis):
        response = answered_within(lambda: anonymous_read("10.8.0.1"), ANSWER_BOUND_SECONDS)
        assert response is not None and response.status_code == 401  # let through, then refused by auth
    counters = redis.Redis.from_url(own_redis.uri)
    deadline = time.monotonic() + 40  # the limiter asks Redis again after REDIS_RETRY_SECONDS
    for attempt in itertools.count():
        ip = f"10.9.{attempt // 250}.{attempt % 250 + 1}"
        anonymous_read(ip)
        if any(counters.scan_iter(f"*/{prefix}/ip:{ip}/*")) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert any(counters.scan_iter(f"*/{prefix}/ip:{ip}/*"))


def test_a_write_while_redis_is_hung_shows_in_the_next_report(own_redis, app, mongo_uri):
    """The data version bump that rides on Redis falls back to MongoDB, and a report read while
    Redis cannot answer does not trust a copy built before the write."""
    client = _app_on(own_redis, app, mongo_uri).test_client()
    headers = register_user(client)["headers"]
    invoice = issued(client, headers, make_client(client, headers, currency="EUR")["_id"], 100, "2025-01-01")
    revenue = "/api/reports/revenue?from=2025-01-01&to=2025-01-31"
    assert client.get(revenue, headers=headers).get_json()["total"] == {}
    with hung(own_redis):
        paid = answered_within(lambda: client.post(f"/api/invoices/{invoice['_id']}/payments",
                                                   json={"amount": 12.5, "date": "2025-01-02"}, headers=headers), 5)
        assert paid is not None and paid.status_code == 201
        response = answered_within(lambda: client.get(revenue, headers=headers), ANSWER_BOUND_SECONDS)
        assert response is not None and response.get_json()["total"] == {"EUR": 12.5}
    assert client.get(revenue, headers=headers).get_json()["total"] == {"EUR": 12.5}
