"""A small thread-safe LRU map for per-worker caches (gunicorn threads share one)."""

import threading
from collections import OrderedDict


class LruCache:
    """At most ``max_entries`` items; the least recently used goes first.

    ``max_entries`` may be a callable, read on every insert, so a cache created at import
    time can follow the current app's config."""

    def __init__(self, max_entries):
        self._max_entries = max_entries
        self._lock = threading.Lock()
        self._items = OrderedDict()

    def get(self, key, default=None):
        with self._lock:
            value = self._items.get(key, default)
            if key in self._items:
                self._items.move_to_end(key)
            return value

    def put(self, key, value):
        limit = self._max_entries() if callable(self._max_entries) else self._max_entries
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > limit:
                self._items.popitem(last=False)
