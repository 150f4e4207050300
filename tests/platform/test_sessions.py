"""The per-worker session and token caches never outlive what they cache.

Two apps built on the same database and Redis stand for two gunicorn workers: each keeps its
own caches, so a change made through one must be seen by the other on its very next request.
"""

import time
import uuid
from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token

from orbix.dev.redis_server import free_port
from tests.conftest import make_app
from tests.factories import PASSWORD, register_user


@pytest.fixture
def workers(app, mongo_uri, redis_uri):
    """Two more 'workers' sharing one Redis key prefix (the session epochs live there)."""
    prefix = f"w{uuid.uuid4().hex}"
    return (make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=prefix).test_client(),
            make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=prefix).test_client())


def _warm(client, headers):
    """Two reads: the first fills the worker's caches, the second is served from them."""
    for _ in range(2):
        assert client.get("/api/auth/me", headers=headers).status_code == 200


def test_logout_in_one_worker_revokes_the_token_in_another(workers):
    first, second = workers
    account = register_user(first)
    _warm(first, account["headers"])
    assert second.post("/api/auth/logout", headers=account["headers"]).status_code == 200
    response = first.get("/api/auth/me", headers=account["headers"])
    assert response.status_code == 401
    assert response.get_json()["message"] == "Token has been revoked"


def test_other_tokens_of_the_user_survive_a_logout(workers):
    first, second = workers
    account = register_user(first)
    other = first.post("/api/auth/login", json={"email": account["email"], "password": PASSWORD}).get_json()
    other_headers = {"Authorization": f"Bearer {other['token']}"}
    _warm(first, account["headers"])
    _warm(first, other_headers)
    assert second.post("/api/auth/logout", headers=account["headers"]).status_code == 200
    assert first.get("/api/auth/me", headers=account["headers"]).status_code == 401
    assert first.get("/api/auth/me", headers=other_headers).status_code == 200


def test_password_change_in_one_worker_ends_old_tokens_in_another(workers):
    first, second = workers
    account = register_user(first)
    _warm(first, account["headers"])
    changed = second.post("/api/auth/me/password", headers=account["headers"],
                         json={"current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert changed.status_code == 200, changed.get_json()
    assert first.get("/api/auth/me", headers=account["headers"]).status_code == 401


def test_profile_change_in_one_worker_is_seen_by_another(workers):
    first, second = workers
    account = register_user(first, name="Before")
    _warm(first, account["headers"])
    updated = second.put("/api/auth/me", headers=account["headers"], json={"name": "After", "timezone": "Europe/Paris"})
    assert updated.status_code == 200, updated.get_json()
    me = first.get("/api/auth/me", headers=account["headers"]).get_json()
    assert me["name"] == "After"
    assert me["settings"]["timezone"] == "Europe/Paris"


def test_account_deletion_in_one_worker_ends_sessions_in_another(workers):
    first, second = workers
    account = register_user(first)
    other = first.post("/api/auth/login", json={"email": account["email"], "password": PASSWORD}).get_json()
    other_headers = {"Authorization": f"Bearer {other['token']}"}
    _warm(first, other_headers)
    deleted = second.delete("/api/auth/me", headers=account["headers"], json={"password": PASSWORD})
    assert deleted.status_code in (200, 204), deleted.get_json()
    assert first.get("/api/auth/me", headers=other_headers).status_code == 401


def test_a_handler_changing_its_user_document_does_not_change_the_cache(app, client, user):
    """Requests get copies: what one request does to its user document stays in it."""
    from orbix.auth import sessions

    with app.test_request_context():
        payload = {"sub": user["id"], "jti": "not-revoked"}
        first = sessions.resolve(payload)
        first.user["name"] = "Mutated"
        first.user["settings"]["timezone"] = "Mars/Olympus"
        second = sessions.resolve(payload)
    assert second.user["name"] != "Mutated"
    assert second.user["settings"].get("timezone") != "Mars/Olympus"


def test_without_redis_every_request_reads_the_database(mongo_uri, app):
    """Redis unreachable: no cache, so a revocation still applies at once (and nothing 500s)."""
    down = f"redis://127.0.0.1:{free_port()}/0"
    first = make_app(mongo_uri, down).test_client()
    second = make_app(mongo_uri, down).test_client()
    account = register_user(first)
    _warm(first, account["headers"])
    assert second.post("/api/auth/logout", headers=account["headers"]).status_code == 200
    assert first.get("/api/auth/me", headers=account["headers"]).status_code == 401


def test_a_verified_token_is_refused_once_it_expires(app, client, user):
    with app.app_context():
        token = create_access_token(
            identity=user["id"], additional_claims={"ver": 0}, expires_delta=timedelta(seconds=2)
        )
    headers = {"Authorization": f"Bearer {token}"}
    _warm(client, headers)
    time.sleep(2.2)
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["message"] == "Token has expired"


def test_a_token_verified_by_one_app_is_not_trusted_by_an_app_with_another_secret(
    app, client, user, mongo_uri, redis_uri
):
    _warm(client, user["headers"])
    other = make_app(
        mongo_uri, redis_uri, JWT_SECRET_KEY="a-completely-different-secret-of-enough-length"
    ).test_client()
    response = other.get("/api/auth/me", headers=user["headers"])
    assert response.status_code == 401
    assert "Signature verification failed" in response.get_json()["message"]


def test_per_process_storage_keeps_revocation_immediate(mongo_uri, app):
    """memory:// (tests and single-process development only) keeps the epochs in the process."""
    single = make_app(mongo_uri, "memory://").test_client()
    account = register_user(single)
    _warm(single, account["headers"])
    assert single.post("/api/auth/logout", headers=account["headers"]).status_code == 200
    assert single.get("/api/auth/me", headers=account["headers"]).status_code == 401
