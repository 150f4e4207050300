"""Rate limits, security headers, request ids, logs, metrics, idempotency, outages, account export/deletion."""

import json
import logging
import time
import uuid

from orbix.dev.embedded_db import EmbeddedDatabase
from orbix.migrate import apply_migrations

from .conftest import PASSWORD, TEST_DB_NAME, assert_error_shape, make_app


def _limited_app(mongo_uri, redis_uri, **limits):
    """An app with its own Redis key prefix, so counters start at zero."""
    return make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex}", **limits)


def test_login_is_rate_limited_per_email_with_retry_after(mongo_uri, redis_uri, make_user):
    make_user(email="limited@example.com")
    app = _limited_app(mongo_uri, redis_uri, RATELIMIT_AUTH="3/minute")
    client = app.test_client()
    statuses = [client.post("/api/auth/login", json={"email": "limited@example.com", "password": "wrong-pass"},
                            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = client.post("/api/auth/login", json={"email": "LIMITED@example.com", "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert_error_shape(response, 429)
    assert int(response.headers["Retry-After"]) >= 1


def test_register_is_rate_limited_per_ip(mongo_uri, redis_uri):
    app = _limited_app(mongo_uri, redis_uri, RATELIMIT_AUTH="2/minute")
    client = app.test_client()
    statuses = [client.post("/api/auth/register", json={"name": "N", "email": f"ip{i}@example.com", "password": PASSWORD}).status_code
                for i in range(3)]
    assert statuses == [201, 201, 429]


def test_limits_are_shared_between_app_instances_through_redis(mongo_uri, redis_uri):
    prefix = f"t{uuid.uuid4().hex}"
    first = make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=prefix, RATELIMIT_AUTH="2/minute").test_client()
    second = make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=prefix, RATELIMIT_AUTH="2/minute").test_client()
    body = {"email": "shared@example.com", "password": "whatever-1"}
    assert first.post("/api/auth/login", json=body).status_code == 401
    assert second.post("/api/auth/login", json=body).status_code == 401
    assert first.post("/api/auth/login", json=body).status_code == 429


def test_global_per_user_limit(mongo_uri, redis_uri, user):
    app = _limited_app(mongo_uri, redis_uri, RATELIMIT_DEFAULT="3/minute")
    client = app.test_client()
    statuses = [client.get("/api/clients", headers=user["headers"]).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/health").status_code == 200  # probes are exempt


def test_security_headers_on_api_and_docs(client):
    api = client.get("/health")
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    assert api.headers["X-Frame-Options"] == "DENY"
    assert api.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in api.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in api.headers
    assert "Server" not in api.headers
    docs = client.get("/docs")
    assert "script-src 'self'" in docs.headers["Content-Security-Policy"]
    secure = client.get("/health", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_request_id_is_echoed_or_generated(client):
    given = client.get("/health", headers={"X-Request-ID": "req-12345678"})
    assert given.headers["X-Request-ID"] == "req-12345678"
    generated = client.get("/health", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["X-Request-ID"] != "bad id with spaces"
    assert len(generated.headers["X-Request-ID"]) == 32


def test_access_log_is_json_with_request_fields(mongo_uri, redis_uri, user, capsys):
    app = make_app(mongo_uri, redis_uri, ACCESS_LOG=True)
    app.test_client().get("/api/clients", headers={**user["headers"], "X-Request-ID": "trace-abcdef12"})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    record = next(line for line in lines if line.get("request_id") == "trace-abcdef12" and line.get("path") == "/api/clients")
    assert record["method"] == "GET" and record["status"] == 200
    assert record["user_id"] == user["id"]
    assert record["duration_ms"] >= 0


def test_error_logs_carry_the_request_id(app, caplog):
    with app.test_request_context("/x"):
        from flask import g

        g.request_id = "log-req-0001"
        with caplog.at_level(logging.INFO):
            logging.getLogger("orbix.test").info("hello")
    assert any(getattr(r, "request_id", None) == "log-req-0001" for r in caplog.records)


def test_metrics_need_the_token_and_count_requests(mongo_uri, redis_uri):
    app = make_app(mongo_uri, redis_uri, METRICS_TOKEN="metrics-secret")
    client = app.test_client()
    client.get("/health")
    assert_error_shape(client.get("/metrics"), 401)
    response = client.get("/metrics", headers={"Authorization": "Bearer metrics-secret"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'orbix_http_requests_total{endpoint="/health",method="GET",status="200"}' in text
    assert "orbix_http_request_duration_seconds_bucket" in text


def test_metrics_are_off_without_a_token(client):
    assert_error_shape(client.get("/metrics"), 404)


def test_idempotency_key_replays_the_first_create(client, auth, db):
    headers = {**auth, "Idempotency-Key": "create-acme-1"}
    body = {"name": "Acme", "email": "ap@acme.example"}
    first = client.post("/api/clients", json=body, headers=headers)
    second = client.post("/api/clients", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert db.clients.count_documents({}) == 1


def test_idempotency_key_with_a_different_body_is_422(client, auth, db):
    headers = {**auth, "Idempotency-Key": "create-acme-2"}
    client.post("/api/clients", json={"name": "Acme", "email": "ap@acme.example"}, headers=headers)
    response = client.post("/api/clients", json={"name": "Other", "email": "ap@acme.example"}, headers=headers)
    assert_error_shape(response, 422)
    assert db.clients.count_documents({}) == 1


def test_idempotency_keys_are_per_user(client, auth, other_auth, db):
    body = {"name": "Acme", "email": "ap@acme.example"}
    client.post("/api/clients", json=body, headers={**auth, "Idempotency-Key": "same-key"})
    client.post("/api/clients", json=body, headers={**other_auth, "Idempotency-Key": "same-key"})
    assert db.clients.count_documents({}) == 2


def test_failed_validation_is_replayed_but_writes_nothing(client, auth, db):
    headers = {**auth, "Idempotency-Key": "bad-body"}
    first = client.post("/api/clients", json={"name": ""}, headers=headers)
    second = client.post("/api/clients", json={"name": ""}, headers=headers)
    assert first.status_code == second.status_code == 422
    assert db.clients.count_documents({}) == 0


def test_expired_idempotency_key_is_reusable(mongo_uri, redis_uri, user, db):
    app = make_app(mongo_uri, redis_uri, IDEMPOTENCY_TTL_SECONDS=0)
    client = app.test_client()
    headers = {**user["headers"], "Idempotency-Key": "short-lived"}
    client.post("/api/clients", json={"name": "A", "email": "a@a.example"}, headers=headers)
    time.sleep(0.01)
    client.post("/api/clients", json={"name": "A", "email": "a@a.example"}, headers=headers)
    assert db.clients.count_documents({}) == 2


def test_database_outage_is_fast_503_and_recovers_without_restart(redis_uri, tmp_path):
    database = EmbeddedDatabase(data_dir=tmp_path / "db")
    uri = database.start()
    try:
        app = make_app(uri, redis_uri, MONGO_TIMEOUT_MS=1000)
        with app.app_context():
            from orbix.db import get_client

            apply_migrations(get_client()[TEST_DB_NAME])
        client = app.test_client()
        user = client.post("/api/auth/register", json={"name": "O", "email": "outage@example.com", "password": PASSWORD}).get_json()
        headers = {"Authorization": f"Bearer {user['token']}"}
        assert client.post("/api/clients", json={"name": "Kept", "email": "k@k.example"}, headers=headers).status_code == 201

        database.stop()
        started = time.monotonic()
        down = client.get("/api/clients", headers=headers)
        assert time.monotonic() - started < 3
        assert_error_shape(down, 503)
        assert_error_shape(client.get("/ready"), 503)

        restarted = EmbeddedDatabase(data_dir=tmp_path / "db", listen=database.address)
        restarted.start()
        database = restarted
        deadline = time.monotonic() + 10
        while client.get("/ready").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        listed = client.get("/api/clients", headers=headers)
        assert listed.status_code == 200
        assert [c["name"] for c in listed.get_json()] == ["Kept"]
    finally:
        database.stop()


def test_account_export_contains_everything_the_user_owns(client, user, other_auth):
    client.post("/api/clients", json={"name": "Mine", "email": "m@m.example"}, headers=user["headers"])
    client.post("/api/clients", json={"name": "Theirs", "email": "t@t.example"}, headers=other_auth)
    body = client.get("/api/auth/me/export", headers=user["headers"]).get_json()
    assert body["user"]["email"] == user["email"]
    assert "password_hash" not in json.dumps(body)
    assert [c["name"] for c in body["data"]["clients"]] == ["Mine"]


def test_account_deletion_needs_the_password_and_removes_everything(client, user, other_auth, db):
    client.post("/api/clients", json={"name": "Mine", "email": "m@m.example"}, headers=user["headers"])
    client.post("/api/clients", json={"name": "Theirs", "email": "t@t.example"}, headers=other_auth)
    assert_error_shape(client.delete("/api/auth/me", json={"password": "wrong-password"}, headers=user["headers"]), 422)
    response = client.delete("/api/auth/me", json={"password": PASSWORD}, headers=user["headers"])
    assert response.status_code == 200
    assert db.users.count_documents({"email": user["email"]}) == 0
    assert [c["name"] for c in db.clients.find()] == ["Theirs"]
    assert_error_shape(client.get("/api/auth/me", headers=user["headers"]), 401)
    assert client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD}).status_code == 401


def test_ai_calls_share_one_per_user_limit(mongo_uri, redis_uri, user):
    app = _limited_app(mongo_uri, redis_uri, RATELIMIT_AI="2/minute")
    client = app.test_client()
    body = {"resume": "Jane Doe\njane@example.com\nExperience: built Python APIs", "job_description": "Python developer"}
    statuses = [client.post("/api/ai/optimize-resume", json=body, headers=user["headers"]).status_code for _ in range(2)]
    statuses.append(client.post("/api/resumes/optimize", json={"resume_id": "0" * 24, "job_description": "x"}, headers=user["headers"]).status_code)
    assert statuses == [200, 200, 429]
    assert client.get("/api/ai/usage", headers=user["headers"]).status_code == 200  # reading usage is not an AI call


def test_purge_expired_removes_only_expired_revocations_and_idempotency_records(app, client, user, make_user, db):
    from datetime import datetime, timedelta, timezone

    other = make_user()
    client.post("/api/auth/logout", headers=user["headers"])
    client.post("/api/auth/logout", headers=other["headers"])
    writer = make_user()  # a revoked token's request is refused before any idempotency record
    client.post("/api/clients", json={"name": "A", "email": "a@a.example"}, headers={**writer["headers"], "Idempotency-Key": "k1"})
    past = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.revoked_tokens.update_many({"user_id": user["id"]}, {"$set": {"expires_at": past}})  # token and session
    db.idempotency_keys.update_many({}, {"$set": {"expires_at": past}})
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "revocations: 2, idempotency records: 1" in result.output
    assert {r["user_id"] for r in db.revoked_tokens.find()} == {other["id"]}
    assert db.idempotency_keys.count_documents({}) == 0
