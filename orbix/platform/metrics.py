"""Prometheus metrics: request counts and latency by endpoint (route template) and status.

With several gunicorn workers, prometheus_client's multiprocess mode aggregates the
workers' files in ``PROMETHEUS_MULTIPROC_DIR`` (set by gunicorn.conf.py). ``/metrics``
answers only with ``Authorization: Bearer <METRICS_TOKEN>``; without a token setting
it is disabled (404), so it is never public by accident. Each worker hands its counts over once
a second (``observe``), so another worker's last second may be missing from an answer.
"""

import hmac
import os
import threading
import time
from bisect import bisect_left

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


FLUSH_SECONDS = 1.0
_BOUNDS = LATENCY._upper_bounds  # the buckets' upper bounds, +Inf last
_CHILDREN = {}  # (method, endpoint, status) -> (counter, histogram): ``labels()`` takes a lock each call
_lock = threading.Lock()
_pending = {}  # (method, endpoint, status) -> [requests, seconds, requests per bucket] since the last flush
_flushing = False  # whether this process runs its flushing thread (threads do not survive a fork)


def observe(method, endpoint, status, seconds):
    """Count one request. Counts gather in this worker and a thread hands them to
    prometheus_client every ``FLUSH_SECONDS`` (and ``/metrics`` before it answers): a counter
    increment and a histogram observation per request (three locked updates; in multiprocess
    mode three writes to a memory-mapped file) cost more than the rest of the request id and
    metrics work together (bench/README.md)."""
    if endpoint == "/metrics":
        return
    if not _flushing:
        _start_flushing()
    key = (method, endpoint, status)
    bucket = bisect_left(_BOUNDS, seconds)  # prometheus_client's rule: the first bound >= seconds
    with _lock:
        entry = _pending.get(key)
        if entry is None:
            entry = _pending[key] = [0, 0.0, [0] * len(_BOUNDS)]
        entry[0] += 1
        entry[1] += seconds
        entry[2][bucket] += 1


def _start_flushing():
    global _flushing
    with _lock:
        if _flushing:
            return
        _flushing = True
    threading.Thread(target=_flush_forever, name="metrics-flush", daemon=True).start()


def _flush_forever():
    while True:
        time.sleep(FLUSH_SECONDS)
        flush()


def _forked():
    global _flushing, _lock, _pending
    _flushing, _lock, _pending = False, threading.Lock(), {}  # the parent's counts are the parent's


os.register_at_fork(after_in_child=_forked)


def flush():
    """Hand this worker's gathered counts to prometheus_client (``/metrics``, worker exit)."""
    global _pending
    with _lock:
        batch, _pending = _pending, {}
    for (method, endpoint, status), (requests, seconds, buckets) in batch.items():
        children = _CHILDREN.get((method, endpoint, status))
        if children is None:
            children = _CHILDREN[method, endpoint, status] = (REQUESTS.labels(method, endpoint, str(status)),
                                                              LATENCY.labels(method, endpoint))
        counter, histogram = children
        counter.inc(requests)
        # What ``histogram.observe`` does for one value, for many at once (prometheus_client
        # has no public call for that; tests/platform/test_observability.py checks the result).
        histogram._sum.inc(seconds)
        for index, count in enumerate(buckets):
            if count:
                histogram._buckets[index].inc(count)


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
    flush()
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
