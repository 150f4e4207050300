"""The job queue: RQ on Redis, reached with short timeouts so that enqueueing fails fast.

``enqueue(name, *args, key=...)`` puts one named job (see ``registry``) on the queue with
the enqueuing request's id in its meta, retries with exponential backoff, and an RQ job id
derived from the key. When Redis cannot be reached it raises ``Unavailable`` (503 with
``Retry-After``) within ``REDIS_TIMEOUT_SECONDS``, so callers can undo what they wrote.
"""

import logging
import os
import re
import threading

from flask import current_app, g
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

from ..common.exceptions import Unavailable
from ..platform.redis_client import client_options

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "5"
# Jobs and their results are kept in Redis this long (a week) for inspection; failed
# jobs stay in RQ's failed registry for a month.
RESULT_TTL = 7 * 24 * 3600
FAILURE_TTL = 30 * 24 * 3600
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")

_lock = threading.Lock()
_connections = {}


def redis_url(config):
    url = config.get("JOBS_REDIS_URL") or config.get("RATELIMIT_STORAGE_URI")
    if not url:
        raise Unavailable("The job queue is not configured (JOBS_REDIS_URL)", headers=_retry_after())
    return url


def connection(config=None):
    """One Redis client per process, URL and TLS choice (with the app's timeouts and no retries)."""
    config = config or current_app.config
    url = redis_url(config)
    key = (os.getpid(), url, bool(config.get("REDIS_TLS_VERIFY", True)))
    if key not in _connections:
        with _lock:
            _connections.setdefault(key, Redis.from_url(url, **client_options(config, url)))
    return _connections[key]


def get_queue(config=None):
    config = config or current_app.config
    return Queue(config["JOBS_QUEUE"], connection=connection(config))


def retry_policy(config):
    """``JOBS_RETRY_MAX`` retries, waiting base, 2 x base, 4 x base ... seconds."""
    base = config["JOBS_RETRY_BASE_SECONDS"]
    count = config["JOBS_RETRY_MAX"]
    return Retry(max=count, interval=[base * 2**n for n in range(count)]) if count > 0 else None


def job_id(name, key):
    """RQ job ids allow letters, digits, ``_`` and ``-`` only."""
    return _UNSAFE_ID_CHARS.sub("_", f"{name}--{key}")


def _retry_after():
    return {"Retry-After": RETRY_AFTER_SECONDS}


def enqueue(name, *args, key, user_id=None):
    """Queue the registered job ``name`` with ``args`` (JSON-like values); returns the RQ job id.

    ``key`` names this unit of work (a message id, a task and period): the job runs once per
    key however often RQ delivers it (see ``registry.perform``)."""
    config = current_app.config
    meta = {"name": name, "key": str(key), "request_id": getattr(g, "request_id", None),
            "user_id": str(user_id) if user_id else None}
    try:
        job = get_queue(config).enqueue(
            "orbix.jobs.registry.perform",
            args=(name, str(key), list(args)),
            job_id=job_id(name, key),
            meta=meta,
            retry=retry_policy(config),
            job_timeout=config["JOBS_TIMEOUT_SECONDS"],
            result_ttl=RESULT_TTL,
            failure_ttl=FAILURE_TTL,
            description=f"{name} {key}",
        )
    except RedisError as exc:
        log.warning("job queue unavailable: %s (job %s %s)", exc.__class__.__name__, name, key)
        raise Unavailable("The job queue is unavailable; try again shortly", headers=_retry_after()) from exc
    return job.id
