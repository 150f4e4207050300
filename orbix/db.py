"""One MongoClient per process, created lazily.

PyMongo clients are not fork-safe, so the client is made on first use inside
each gunicorn worker (and remade if the process id changes), never at import.
"""

import functools
import os
import threading

from flask import current_app
from pymongo import MongoClient
from pymongo.uri_parser import parse_uri

DEFAULT_DB_NAME = "orbix"

_lock = threading.Lock()
_clients = {}


@functools.lru_cache(maxsize=32)
def database_name(uri, override=None):
    """The database named in the URI path, else ``orbix`` (parsed once per URI: it is asked on
    every collection access)."""
    if override:
        return override
    return parse_uri(uri).get("database") or DEFAULT_DB_NAME


def make_client(uri, timeout_ms=2000):
    """A client that fails fast when the server is away, so requests return 503 quickly."""
    return MongoClient(
        uri,
        tz_aware=True,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=max(timeout_ms * 5, 10000),
        appname="orbix",
    )


def get_client():
    """The process-wide client for the app's MONGO_URI."""
    uri = current_app.config["MONGO_URI"]
    if not uri:
        raise RuntimeError("MONGO_URI is not set: run through `make run` or set it to a MongoDB server")
    key = (os.getpid(), uri)
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = make_client(uri, current_app.config.get("MONGO_TIMEOUT_MS", 2000))
                _clients[key] = client
    return client


def get_db():
    """The application database."""
    config = current_app.config
    return get_client()[database_name(config["MONGO_URI"], config.get("MONGO_DB_NAME"))]


_collections = {}


def collection(name):
    """A collection of the application database by name.

    Collection objects are kept per client: building one costs ~40 us of PyMongo setup,
    paid on every database call of every request otherwise."""
    client = get_client()
    config = current_app.config
    key = (os.getpid(), config["MONGO_URI"], config.get("MONGO_DB_NAME"), name)
    coll = _collections.get(key)
    if coll is None or coll.database.client is not client:
        coll = _collections[key] = get_db()[name]
    return coll
