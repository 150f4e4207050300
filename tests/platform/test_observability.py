"""Request ids, JSON logs and metrics."""

import json
import logging
import time

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


def _sample(text, name, **labels):
    """The value of one sample of a Prometheus text answer (0 when absent)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0


def test_metrics_count_every_request_in_counter_and_histogram(mongo_uri, redis_uri):
    """Counts gather per worker and are handed over in batches (platform.metrics): /metrics
    still shows every request, in the counter and in the histogram's count and buckets."""
    app = make_app(mongo_uri, redis_uri, METRICS_TOKEN="metrics-secret")
    client = app.test_client()

    def scrape():
        return client.get("/metrics", headers={"Authorization": "Bearer metrics-secret"}).get_data(as_text=True)

    labels = {"endpoint": "/health", "method": "GET"}
    before = scrape()
    for _ in range(5):
        client.get("/health")
    after = scrape()
    assert _sample(after, "orbix_http_requests_total", status="200", **labels) - \
        _sample(before, "orbix_http_requests_total", status="200", **labels) == 5
    for name, extra in (("orbix_http_request_duration_seconds_count", {}),
                        ("orbix_http_request_duration_seconds_bucket", {"le": "+Inf"})):
        assert _sample(after, name, **labels, **extra) - _sample(before, name, **labels, **extra) == 5, name
    assert _sample(after, "orbix_http_request_duration_seconds_sum", **labels) > \
        _sample(before, "orbix_http_request_duration_seconds_sum", **labels)


def test_metrics_reach_prometheus_client_without_a_scrape(client):
    """A worker that goes idle still hands over its last counts (the flushing thread)."""
    from orbix.platform.metrics import FLUSH_SECONDS, REQUESTS, flush

    counter = REQUESTS.labels("GET", "/health", "200")
    flush()  # earlier tests' requests
    before = counter._value.get()
    client.get("/health")
    deadline = time.monotonic() + 5 * FLUSH_SECONDS
    while counter._value.get() == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert counter._value.get() == before + 1
