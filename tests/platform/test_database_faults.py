"""A database outage answers every request with a prompt 503 and ``Retry-After`` (reads,
writes, readiness), with PyMongo's default timeouts: no second wait for the same outage,
no 500 from the bookkeeping that follows a write."""

import time

import pytest
from flask import request

from orbix.db import get_client
from orbix.dev.embedded_db import EmbeddedDatabase
from orbix.migrate import apply_migrations
from tests.conftest import TEST_DB_NAME, make_app
from tests.factories import PASSWORD, assert_error_shape, expect
from tests.faults import answered_within

# One server-selection timeout (MONGO_TIMEOUT_MS, 2 s by default) and some slack, not two.
OUTAGE_ANSWER_BOUND_SECONDS = 3


class Outage:
    """An app on a database of its own, which the test stops (and may start again on the same
    address and files); a registered user's session is warm (cached) or not, as the test chooses."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.database = EmbeddedDatabase(data_dir=data_dir)

    def start(self, redis_uri):
        self.database.start()
        self.app = make_app(self.database.uri, redis_uri)
        self.stop_after_next_create = False
        # Runs before write tracking's own hook (Flask runs them last registered, first).
        self.app.after_request(self._maybe_stop_after_a_create)
        with self.app.app_context():
            apply_migrations(get_client()[TEST_DB_NAME])
        self.client = self.app.test_client()
        account = self.client.post(
            "/api/auth/register", json={"name": "O", "email": "outage@example.com", "password": PASSWORD}
        )
        self.headers = {"Authorization": f"Bearer {account.get_json()['token']}"}

    def _maybe_stop_after_a_create(self, response):
        if self.stop_after_next_create and request.method == "POST" and response.status_code == 201:
            self.stop_after_next_create = False
            self.database.stop()
        return response

    def restart_database(self):
        address = self.database.address
        self.database = EmbeddedDatabase(data_dir=self.data_dir, listen=address)
        self.database.start()


@pytest.fixture
def outage(redis_uri, tmp_path):
    state = Outage(tmp_path / "db")
    try:
        state.start(redis_uri)
        yield state
    finally:
        state.database.stop()


def _during_outage(client, method, path, headers=None, **kwargs):
    response = answered_within(
        lambda: client.open(path, method=method, headers=headers, **kwargs), OUTAGE_ANSWER_BOUND_SECONDS
    )
    assert response is not None, f"{method} {path} took more than one database timeout"
    body = assert_error_shape(response, 503)
    assert int(response.headers["Retry-After"]) >= 1
    return body


def test_a_write_during_a_database_outage_is_a_prompt_503_with_retry_after(outage):
    client, headers, database = outage.client, outage.headers, outage.database
    assert client.get("/api/clients", headers=headers).status_code == 200  # session cached
    database.stop()
    body = _during_outage(client, "POST", "/api/clients", headers, json={"name": "Lost", "email": "l@l.example"})
    assert "unavailable" in body["message"]


def test_a_write_with_a_session_not_yet_cached_is_a_prompt_503(outage):
    """The token check itself needs the database: it fails once, and nothing asks again."""
    client, headers, database = outage.client, outage.headers, outage.database
    database.stop()
    _during_outage(client, "POST", "/api/clients", headers, json={"name": "Lost", "email": "l@l.example"})


def test_a_write_with_an_idempotency_key_during_an_outage_is_a_prompt_503(outage):
    client, headers, database = outage.client, outage.headers, outage.database
    assert client.get("/api/clients", headers=headers).status_code == 200
    database.stop()
    _during_outage(
        client,
        "POST",
        "/api/clients",
        {**headers, "Idempotency-Key": "outage-1"},
        json={"name": "Lost", "email": "l@l.example"},
    )


def test_ready_during_an_outage_is_503_with_retry_after(outage):
    client, database = outage.client, outage.database
    database.stop()
    assert _during_outage(client, "GET", "/ready")["database"] == "down"


def test_a_write_whose_version_bump_fails_is_answered_and_reports_stay_fresh(outage):
    """The database goes away between a write and the data-version bump that follows it: the
    write is still answered 201 (not 500), and once the database is back the reports show it,
    although the report cache was built before the write."""
    client, headers = outage.client, outage.headers
    window = {"from": "2025-01-01", "to": "2025-01-31"}
    hours = client.get("/api/reports/hours", query_string=window, headers=headers)
    assert hours.get_json()["total"]["hours"] == 0
    outage.stop_after_next_create = True
    entry = {
        "description": "Work",
        "start_time": "2025-01-10T09:00:00Z",
        "end_time": "2025-01-10T11:00:00Z",
        "is_billable": True,
        "hourly_rate": None,
    }
    assert client.post("/api/time-tracking", json=entry, headers=headers).status_code == 201
    outage.restart_database()
    deadline = time.monotonic() + 15
    while client.get("/ready").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    hours = client.get("/api/reports/hours", query_string=window, headers=headers)
    assert hours.status_code == 200
    assert hours.get_json()["total"]["hours"] == 2


@pytest.mark.parametrize("warm", [False, True], ids=["first-use", "cached"])
def test_a_personal_access_token_during_an_outage_is_a_prompt_503(outage, warm):
    """The token's owner (the rate limit's key) and record need the database: one timeout, not two."""
    client, database = outage.client, outage.database
    token = expect(client.post("/api/tokens", json={"name": "CI", "scopes": ["clients:read"]}, headers=outage.headers))
    headers = {"Authorization": f"Bearer {token['token']}"}
    if warm:
        assert client.get("/api/clients", headers=headers).status_code == 200
    database.stop()
    # (a read answered before the outage may come from the read cache: the data cannot change
    # while the database is away; a different query needs the database)
    _during_outage(client, "GET", "/api/clients?status=archived", headers)
