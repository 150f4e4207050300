"""Prometheus metrics: request counts and latency by endpoint (route template) and status.

With several gunicorn workers, prometheus_client's multiprocess mode aggregates the
workers' files in ``PROMETHEUS_MULTIPROC_DIR`` (set by gunicorn.conf.py). ``/metrics``
answers only with ``Authorization: Bearer <METRICS_TOKEN>``; without a token setting
it is disabled (404), so it is never public by accident.
"""

import hmac
import os

from flask import Blueprint, Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

from .errors import error_response

REQUESTS = Counter("orbix_http_requests_total", "HTTP requests", ["method", "endpoint", "status"])
LATENCY = Histogram(
    "orbix_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

blp = Blueprint("metrics", __name__)


def multiprocess_dir():
    """Where gunicorn's workers write their metrics (set by gunicorn.conf.py), if anywhere."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR")


_CHILDREN = {}  # (method, endpoint, status) -> (counter, histogram): ``labels()`` takes a lock each call


def observe(method, endpoint, status, seconds):
    if endpoint == "/metrics":
        return
    children = _CHILDREN.get((method, endpoint, status))
    if children is None:
        children = _CHILDREN[method, endpoint, status] = (REQUESTS.labels(method, endpoint, str(status)),
                                                          LATENCY.labels(method, endpoint))
    children[0].inc()
    children[1].observe(seconds)


@blp.route("/metrics")
def metrics():
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        return error_response(404, "Not found")
    presented = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(presented.encode(), token.encode()):
        return error_response(
            401, "Metrics need the METRICS_TOKEN as a Bearer token", headers={"WWW-Authenticate": "Bearer"}
        )
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
