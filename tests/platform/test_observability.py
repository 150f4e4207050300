"""Request ids, JSON logs and metrics."""

import json
import logging

from tests.conftest import make_app
from tests.factories import assert_error_shape


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
    record = next(
        line for line in lines if line.get("request_id") == "trace-abcdef12" and line.get("path") == "/api/clients"
    )
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


def test_request_ids_are_unique_within_and_across_forked_workers():
    import os

    from orbix.platform.request_ids import request_ids

    ids = [request_ids.new() for _ in range(1000)]
    assert len(set(ids)) == 1000 and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a gunicorn worker forked from the preloaded app
        os.write(write, request_ids.new().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    os.close(read)
    os.close(write)
    assert child[:16] != request_ids.new()[:16] and child not in ids
