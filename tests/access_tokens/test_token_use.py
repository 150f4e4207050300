"""Using a personal access token as ``Authorization: Bearer``: scopes per family (403 naming
the missing one), login-only endpoints, expiry, revocation in every worker at once, last use,
password changes and rate limits."""

import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from orbix.dev.redis_server import RedisServer
from tests.conftest import make_app
from tests.factories import (
    PASSWORD,
    assert_error_shape,
    bearer,
    expect,
    make_access_token,
    make_client,
    make_invoice,
    register_user,
)
from tests.redis_monitor import commands_sent

NEW_CLIENT = {"name": "Scripted Ltd", "email": "ap@scripted.example"}


def _forbidden(response, scope=None):
    body = assert_error_shape(response, 403)
    if scope:
        assert body["message"] == f"This personal access token lacks the scope {scope}"
        assert body["required_scope"] == scope
    return body


def _unauthorized(response, message):
    body = assert_error_shape(response, 401)
    assert body["message"] == message
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_acts_as_its_user_on_the_same_data(client, auth):
    made = make_client(client, auth, name="Made by login")
    token = make_access_token(client, auth, scopes=["clients:write"])
    listed = expect(client.get("/api/clients", headers=token["headers"]), 200)
    assert [c["_id"] for c in listed] == [made["_id"]]
    created = expect(client.post("/api/clients", json=NEW_CLIENT, headers=token["headers"]))
    assert [c["name"] for c in expect(client.get("/api/clients", headers=auth), 200)] == [
        "Made by login", "Scripted Ltd"]
    assert created["user_id"] == made["user_id"]


def test_read_scope_reads_but_cannot_write(client, auth):
    token = make_access_token(client, auth, scopes=["clients:read"])
    made = make_client(client, auth)
    assert client.get(f"/api/clients/{made['_id']}", headers=token["headers"]).status_code == 200
    assert client.head("/api/clients", headers=token["headers"]).status_code == 200
    _forbidden(client.post("/api/clients", json=NEW_CLIENT, headers=token["headers"]), "clients:write")
    _forbidden(client.patch(f"/api/clients/{made['_id']}", json={"name": "X"}, headers=token["headers"]),
               "clients:write")
    _forbidden(client.delete(f"/api/clients/{made['_id']}", headers=token["headers"]), "clients:write")
    assert expect(client.get(f"/api/clients/{made['_id']}", headers=auth), 200)["name"] == made["name"]


def test_a_scope_opens_its_family_only(client, auth):
    token = make_access_token(client, auth, scopes=["invoices:write"])
    invoice = make_invoice(client, auth)
    assert client.get(f"/api/invoices/{invoice['_id']}", headers=token["headers"]).status_code == 200
    assert client.get("/api/invoices/export.csv", headers=token["headers"]).status_code == 200
    _forbidden(client.get("/api/clients", headers=token["headers"]), "clients:read")
    _forbidden(client.get("/api/time-tracking", headers=token["headers"]), "time:read")
    _forbidden(client.get("/api/reports/revenue", headers=token["headers"]), "reports:read")
    _forbidden(client.get("/api/auth/me", headers=token["headers"]), "account:read")
    _forbidden(client.get("/api/ai/usage", headers=token["headers"]), "ai:read")


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("/api/projects", "projects:read"), ("/api/time-tracking", "time:read"), ("/api/contracts", "contracts:read"),
        ("/api/contracts/templates", "contracts:read"), ("/api/resumes", "resumes:read"),
        ("/api/dashboard", "reports:read"), ("/api/ai/usage", "ai:read"), ("/api/auth/me", "account:read"),
    ],
)
def test_each_family_is_read_with_its_own_scope(client, auth, path, scope):
    allowed = make_access_token(client, auth, scopes=[scope])
    assert client.get(path, headers=allowed["headers"]).status_code == 200
    other = "clients:read" if scope != "clients:read" else "projects:read"
    _forbidden(client.get(path, headers=make_access_token(client, auth, scopes=[other])["headers"]), scope)


def test_wildcards_cover_every_family(client, auth):
    reader = make_access_token(client, auth, scopes=["*:read"])
    writer = make_access_token(client, auth, scopes=["*:*"])
    for path in ("/api/clients", "/api/invoices", "/api/reports/hours", "/api/auth/me"):
        assert client.get(path, headers=reader["headers"]).status_code == 200, path
        assert client.get(path, headers=writer["headers"]).status_code == 200, path
    _forbidden(client.post("/api/projects", json={"name": "P"}, headers=reader["headers"]), "projects:write")
    assert client.post("/api/projects", json={"name": "P"}, headers=writer["headers"]).status_code == 201
    renamed = client.patch("/api/auth/me", json={"business_name": "Scripted"}, headers=writer["headers"])
    assert expect(renamed, 200)["settings"]["business_name"] == "Scripted"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/tokens", None),
        ("POST", "/api/tokens", {"name": "Child", "scopes": ["clients:read"]}),
        ("DELETE", "/api/tokens/" + "0" * 24, None),
        ("POST", "/api/auth/me/password", {"current_password": PASSWORD, "new_password": "another passphrase"}),
        ("GET", "/api/auth/me/export", None),
        ("DELETE", "/api/auth/me", {"password": PASSWORD}),
        ("POST", "/api/auth/logout", None),
        ("POST", "/api/auth/refresh", None),
    ],
)
def test_login_only_endpoints_refuse_any_token(client, user, db, method, path, body):
    token = make_access_token(client, user["headers"], scopes=["*:write"])
    response = client.open(path, method=method, json=body, headers=token["headers"])
    assert "needs a login session" in _forbidden(response)["message"]
    assert db.access_tokens.count_documents({}) == 1
    assert db.users.count_documents({}) == 1
    assert client.get("/api/clients", headers=token["headers"]).status_code == 200
    assert client.get("/api/auth/me", headers=user["headers"]).status_code == 200


def test_unknown_malformed_and_foreign_prefixed_tokens_are_401(client, auth):
    token = make_access_token(client, auth)["token"]
    upper = "orbix_pat_" + token.removeprefix("orbix_pat_").upper()
    for wrong in ("orbix_pat_" + "a" * 52, token[:-1], token + "x", upper):
        _unauthorized(client.get("/api/clients", headers=bearer(wrong)), "Invalid token: no such personal access token")
    assert_error_shape(client.get("/api/clients", headers=bearer("orbix_pat")), 401)  # not the prefix: a bad JWT


def test_an_expired_token_is_401_and_listed_as_expired(client, auth):
    soon = (datetime.now(timezone.utc) + timedelta(seconds=2)).isoformat()
    token = make_access_token(client, auth, scopes=["clients:read"], expires_at=soon)
    assert client.get("/api/clients", headers=token["headers"]).status_code == 200
    time.sleep(2.2)
    _unauthorized(client.get("/api/clients", headers=token["headers"]), "Token has expired")
    assert expect(client.get(f"/api/tokens/{token['_id']}", headers=auth), 200)["status"] == "expired"
    assert [t["_id"] for t in client.get("/api/tokens?status=expired", headers=auth).get_json()] == [token["_id"]]


def test_last_used_is_recorded_at_most_once_a_minute(client, auth, db):
    token = make_access_token(client, auth, scopes=["clients:read"])
    assert client.get("/api/clients", headers=token["headers"]).status_code == 200
    first = expect(client.get(f"/api/tokens/{token['_id']}", headers=auth), 200)["last_used_at"]
    assert first is not None and first >= token["created_at"]
    stored = db.access_tokens.find_one({})["last_used_at"]
    for _ in range(3):
        assert client.get("/api/clients", headers=token["headers"]).status_code == 200
    assert db.access_tokens.find_one({})["last_used_at"] == stored
    assert expect(client.get(f"/api/tokens/{token['_id']}", headers=auth), 200)["last_used_at"] == first


def test_a_refused_request_is_never_answered_from_an_idempotent_replay(client, auth, db):
    headers = {"Idempotency-Key": "create-once"}
    assert client.post("/api/clients", json=NEW_CLIENT, headers={**auth, **headers}).status_code == 201
    reader = make_access_token(client, auth, scopes=["clients:read"])
    replay = client.post("/api/clients", json=NEW_CLIENT, headers={**reader["headers"], **headers})
    _forbidden(replay, "clients:write")
    assert "Idempotent-Replayed" not in replay.headers
    writer = make_access_token(client, auth, scopes=["clients:write"])
    replay = client.post("/api/clients", json=NEW_CLIENT, headers={**writer["headers"], **headers})
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert db.clients.count_documents({}) == 1


def test_tokens_survive_a_password_change(client, user):
    token = make_access_token(client, user["headers"], scopes=["clients:read"])
    changed = client.post("/api/auth/me/password", headers=user["headers"],
                          json={"current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert changed.status_code == 200
    assert_error_shape(client.get("/api/clients", headers=user["headers"]), 401)
    assert client.get("/api/clients", headers=token["headers"]).status_code == 200


# ---- several workers, rate limits ----------------------------------------------------------


@pytest.fixture
def workers(app, mongo_uri, redis_uri):
    """Two 'workers' (apps with their own caches) sharing one Redis key prefix."""
    prefix = f"w{uuid.uuid4().hex}"
    return (make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=prefix).test_client(),
            make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=prefix).test_client())


def test_revoking_in_one_worker_stops_the_token_in_another_at_once(workers):
    first, second = workers
    account = register_user(first)
    token = make_access_token(first, account["headers"], scopes=["clients:read"])
    for _ in range(2):  # the second read is served from the worker's cache
        assert first.get("/api/clients", headers=token["headers"]).status_code == 200
    assert second.delete(f"/api/tokens/{token['_id']}", headers=account["headers"]).status_code == 200
    _unauthorized(first.get("/api/clients", headers=token["headers"]), "Token has been revoked")
    assert first.get("/api/clients", headers=account["headers"]).status_code == 200


def test_account_deletion_in_one_worker_stops_its_tokens_in_another(workers):
    first, second = workers
    account = register_user(first)
    token = make_access_token(first, account["headers"])
    assert first.get("/api/clients", headers=token["headers"]).status_code == 200
    assert second.delete("/api/auth/me", json={"password": PASSWORD}, headers=account["headers"]).status_code == 200
    _unauthorized(first.get("/api/clients", headers=token["headers"]), "Token has been revoked")


def test_a_token_shares_its_users_rate_limit(mongo_uri, redis_uri, app):
    limited = make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex}", RATELIMIT_DEFAULT="3/minute")
    client = limited.test_client()
    account = register_user(client)
    token = make_access_token(app.test_client(), account["headers"], scopes=["clients:read"])
    statuses = [client.get("/api/clients", headers=headers).status_code
                for headers in (account["headers"], token["headers"], token["headers"], token["headers"])]
    assert statuses == [200, 200, 200, 429]
    assert int(client.get("/api/clients", headers=account["headers"]).headers["Retry-After"]) >= 1
    other = register_user(client)
    assert client.get("/api/clients", headers=other["headers"]).status_code == 200


def test_a_read_with_a_token_asks_redis_once(mongo_uri, app):
    """The per-user counter and the session epoch the token check uses come in one round trip."""
    with RedisServer() as server:
        client = make_app(mongo_uri, server.uri, RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex}").test_client()
        account = register_user(client)
        token = make_access_token(client, account["headers"], scopes=["clients:read"])
        assert client.get("/api/clients", headers=token["headers"]).status_code == 200  # warm
        response, commands = commands_sent(server.uri, lambda: client.get("/api/clients", headers=token["headers"]))
    assert response.status_code == 200
    assert len(commands) == 1, commands
