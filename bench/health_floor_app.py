"""The floor for Orbix's ``/health`` (``bench/health_floor.py``): a bare Flask app doing only
what Orbix's answer carries, each in the cheapest way: the same JSON, a fresh request id, the
security and CORS headers Orbix sends (constant tuples, added in one call), and the same
Prometheus counter and histogram. No limiter, no input guard, no schema."""

import time
import uuid

from flask import Flask, g
from prometheus_client import Counter, Histogram

app = Flask("floor")
REQUESTS = Counter("floor_http_requests_total", "HTTP requests", ["method", "endpoint", "status"])
LATENCY = Histogram("floor_http_request_duration_seconds", "HTTP request latency", ["method", "endpoint"])
COUNT, SECONDS = REQUESTS.labels("GET", "/health", "200"), LATENCY.labels("GET", "/health")
HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "Content-Disposition, Retry-After, X-Pagination, X-Request-ID, X-Row-Limit"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
)


@app.before_request
def start():
    g.started = time.perf_counter()


@app.after_request
def finish(response):
    response.headers.extend(HEADERS)
    response.headers["X-Request-ID"] = uuid.uuid4().hex
    COUNT.inc()
    SECONDS.observe(time.perf_counter() - g.started)
    return response


@app.get("/health")
def health():
    return {"status": "ok"}
