"""Fixtures: a real database (MONGO_URI, else the embedded FerretDB in memory), one
app for the session, empty collections before every test, and registered users."""

import os

import pytest

os.environ.setdefault("JWT_SECRET_KEY", "test-secret-key-that-is-long-enough-for-hs256")
os.environ.setdefault("ORBIX_ENV", "testing")

from orbix.app import create_app  # noqa: E402
from orbix.db import get_db  # noqa: E402
from orbix.dev.embedded_db import EmbeddedDatabase  # noqa: E402
from orbix.dev.redis_server import RedisServer  # noqa: E402
from orbix.migrate import apply_migrations  # noqa: E402
from tests.factories import register_user  # noqa: E402

TEST_DB_NAME = "orbix_test"


@pytest.fixture(scope="session")
def mongo_uri():
    """The server every test talks to over the wire."""
    uri = os.environ.get("MONGO_URI")
    if uri:
        yield uri
        return
    with EmbeddedDatabase() as database:
        yield database.uri


@pytest.fixture(scope="session")
def redis_uri():
    """Rate-limit storage: RATELIMIT_STORAGE_URI when set, else a throwaway redis-server."""
    uri = os.environ.get("RATELIMIT_STORAGE_URI")
    if uri:
        yield uri
        return
    with RedisServer() as server:
        yield server.uri


# Limits high enough that only the rate-limit tests (which build their own app) hit them.
UNLIMITED = {"RATELIMIT_DEFAULT": "100000/minute", "RATELIMIT_AUTH": "100000/minute",
             "RATELIMIT_PASSWORD": "100000/minute", "RATELIMIT_AI": "100000/minute"}


def make_app(mongo_uri, redis_uri, **overrides):
    """An app bound to the test database and Redis, with cheap bcrypt."""
    config = {"MONGO_URI": mongo_uri, "MONGO_DB_NAME": TEST_DB_NAME, "BCRYPT_ROUNDS": 4, "TESTING": True,
              "RATELIMIT_STORAGE_URI": redis_uri, "ACCESS_LOG": False, **UNLIMITED}
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def app(mongo_uri, redis_uri):
    app = make_app(mongo_uri, redis_uri)
    with app.app_context():
        db = get_db()
        for name in db.list_collection_names():
            db.drop_collection(name)
        apply_migrations(db)
    return app


@pytest.fixture(autouse=True)
def _empty_collections(request):
    """Each test starts from empty collections (indexes and migration records kept)."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db = get_db()
        for name in db.list_collection_names():
            if name != "migrations":
                db[name].delete_many({})
    yield


@pytest.fixture
def db(app):
    with app.app_context():
        yield get_db()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(client):
    """Register a fresh user; returns {id, email, token, refresh_token, headers}."""

    def factory(**kwargs):
        return register_user(client, **kwargs)

    return factory


@pytest.fixture
def user(make_user):
    return make_user(name="Ada Lovelace")


@pytest.fixture
def auth(user):
    """Authorization headers of the default test user."""
    return user["headers"]


@pytest.fixture
def other_auth(make_user):
    """Authorization headers of a second, unrelated user."""
    return make_user(name="Mallory Other")["headers"]
