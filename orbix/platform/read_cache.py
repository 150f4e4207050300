"""A per-worker cache of finished JSON answers to a user's reads, trusted while that user's data
version in Redis is unchanged.

Why: on the embedded database a page of 100 invoices costs ~30 ms of FerretDB decoding plus
~10 ms of marshmallow, and a freelancer's client asks for the same lists again and again between
writes (bench/README.md). The rate limiter's one Redis round trip already brings the caller's
data version (``platform.write_tracking``), so checking that a copy is current costs nothing
more: a hit skips the database, the schema and the encoder.

What keeps a copy honest (``platform.write_tracking`` has the details): every write by the owner
changes their version before and after its view (nothing is cached while a write is in flight),
and every write by someone else (a public page, a Stripe webhook, a background job, a CLI
command) changes the part all versions share. A copy is filed under the version read *before*
the view read the database, so a write that lands meanwhile leaves it under a version that is
already gone. The UTC date is part of the key (invoice statuses turn overdue at midnight), and
a copy is never older than ``READ_CACHE_SECONDS``, which bounds what a Redis failure between a
write and its bump could leave. Without Redis, or while it does not answer, nothing is cached.

Only views that read the caller's own documents and nothing time-dependent finer than a day
are marked :func:`cached` (a running timer's elapsed time, reports windows ending "now" and
signed download links are not). The cache sits after the token and scope checks, so a personal
access token without the read scope is still refused. Only 200 answers are kept, with the
headers the view set (``Content-Type``, ``X-Pagination``); the platform adds the rest per request.
Memory: at most ``READ_CACHE_BYTES`` of bodies per worker (0 turns the cache off). Workers share
their fresh copies through Redis (``platform.shared_copies``), so after a write one of them reads
the answer and the others take its copy.
"""

import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from functools import wraps

from flask import current_app, request

from ..common import timeutil
from .caller import caller_id
from .redis_client import EXTENSION as REDIS
from .shared_copies import SharedCopies
from .write_tracking import settled_version

EXTENSION = "orbix.read_cache"
KEPT_HEADERS = ("Content-Type", "X-Pagination")


class ReadCache:
    """Answers by (user, path and query), each filed under a data version; least recently used
    go first once the bodies exceed ``max_bytes``."""

    def __init__(self, max_bytes, max_age_seconds):
        self.max_bytes = max_bytes
        self.max_age = max_age_seconds
        self._lock = threading.Lock()
        self._items = OrderedDict()  # key -> (version, stored at, body, headers)
        self._bytes = 0
        self._filling = {}  # key -> [lock, threads holding or waiting for it]
        self.shared = None  # the copies shared with other workers (platform.shared_copies), with Redis

    def get(self, key, version):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] != version or time.monotonic() - item[1] > self.max_age:
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return item

    def keeps(self, body):
        """Whether an answer this long is kept (one huge answer would push out everything else)."""
        return len(body) <= self.max_bytes // 4

    def put(self, key, version, body, headers):
        if not self.keeps(body):
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (version, time.monotonic(), body, headers)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, key):
        self._bytes -= len(self._items.pop(key)[2])

    @contextmanager
    def filling(self, key):
        """Held while one thread of the worker reads ``key`` afresh: its other threads asking for
        the same answer wait for that copy instead of all reading the database at once (after a
        write, a burst of identical reads would otherwise queue behind each other's scans)."""
        with self._lock:
            lock = self._filling.setdefault(key, [threading.Lock(), 0])
            lock[1] += 1
        try:
            with lock[0]:
                yield
        finally:
            with self._lock:
                lock[1] -= 1
                if not lock[1]:
                    del self._filling[key]


def init_read_cache(app):
    """Call after the rate limits (their Redis gate is the cache's)."""
    max_bytes = app.config["READ_CACHE_BYTES"]
    cache = ReadCache(max_bytes, app.config["READ_CACHE_SECONDS"]) if max_bytes > 0 else None
    gate = app.extensions.get(REDIS)
    if cache is not None and gate is not None:
        cache.shared = SharedCopies(gate, cache)
    app.extensions[EXTENSION] = cache


def _read(cache, key, version, view, args, kwargs):
    """The answer another worker just read (``platform.shared_copies``), else the view's, kept."""
    shared = cache.shared
    copy = shared.fetch_or_claim(key, version) if shared is not None else None
    if copy is not None:
        body, headers = copy
        cache.put(key, version, body, headers)
        return current_app.response_class(body, status=200, headers=headers)
    body = headers = None
    try:
        response = view(*args, **kwargs)
        if response.status_code == 200 and not response.is_streamed:
            body = response.get_data()
            headers = [(name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers]
            cache.put(key, version, body, headers)
        return response
    finally:
        if shared is not None:
            shared.file(key, version, body, headers)  # also lets the others read, if this failed


def cached(view):
    """Serve the caller's repeated reads of this view from the worker's cache (see above);
    goes between ``auth`` and the view's ``arguments``/``response`` decorators."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        app = current_app._get_current_object()  # one context lookup, not one per attribute
        cache = app.extensions.get(EXTENSION)
        environ = request._get_current_object().environ
        version = settled_version(environ) if cache is not None else None
        if version is None:
            return view(*args, **kwargs)
        key = (caller_id(environ), environ.get("PATH_INFO"), environ.get("QUERY_STRING", ""))
        version = (version, timeutil.utc_today())
        hit = cache.get(key, version)
        if hit is None:
            with cache.filling(key):
                hit = cache.get(key, version)  # another thread may have read it meanwhile
                if hit is None:
                    return _read(cache, key, version, view, args, kwargs)
        return app.response_class(hit[2], status=200, headers=hit[3])

    return wrapper
