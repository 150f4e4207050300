"""Fixtures: a real database (MONGO_URI, else the embedded FerretDB in memory), one
app for the session, empty collections before every test, and registered users."""

import os
import shutil
import threading

import pytest

os.environ.setdefault("JWT_SECRET_KEY", "test-secret-key-that-is-long-enough-for-hs256")
os.environ.setdefault("ORBIX_ENV", "testing")

from orbix.app import create_app  # noqa: E402
from orbix.db import get_db  # noqa: E402
from orbix.dev.embedded_db import EmbeddedDatabase  # noqa: E402
from orbix.dev.mail_sink import MailSink  # noqa: E402
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


@pytest.fixture(scope="session")
def mail_sink():
    """A real SMTP server (aiosmtpd) on a free port; ``received`` holds what it accepted."""
    with MailSink() as sink:
        yield sink


# Limits high enough that only the rate-limit tests (which build their own app) hit them.
UNLIMITED = {"RATELIMIT_DEFAULT": "100000/minute", "RATELIMIT_AUTH": "100000/minute",
             "RATELIMIT_PASSWORD": "100000/minute", "RATELIMIT_AI": "100000/minute"}


def make_app(mongo_uri, redis_uri, **overrides):
    """An app bound to the test database and Redis, with cheap bcrypt."""
    config = {"MONGO_URI": mongo_uri, "MONGO_DB_NAME": TEST_DB_NAME, "BCRYPT_ROUNDS": 4, "TESTING": True,
              "RATELIMIT_STORAGE_URI": redis_uri, "ACCESS_LOG": False, **UNLIMITED,
              # webhooks go to receivers on 127.0.0.1 (tests/webhook_receiver.py)
              "WEBHOOKS_ALLOW_PRIVATE": True}
    config.update(overrides)
    return create_app(config)


# Jobs retry at once (no backoff) and twice, so a burst worker sees a failing job to its end.
JOBS_FOR_TESTS = {"JOBS_RETRY_BASE_SECONDS": 0, "JOBS_RETRY_MAX": 2, "JOBS_QUEUE": "orbix-test",
                  "MAIL_FROM": "Orbix <invoices@orbix.test>"}


@pytest.fixture(scope="session")
def app(mongo_uri, redis_uri, mail_sink):
    app = make_app(mongo_uri, redis_uri, SMTP_URL=mail_sink.url, **JOBS_FOR_TESTS)
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


class JobRunner:
    """Works the app's job queue in this process, as a worker does (RQ SimpleWorker, burst)."""

    def __init__(self, app):
        from orbix.jobs.queue import get_queue

        self.app = app
        with app.app_context():
            self.queue = get_queue()

    def clear(self):
        from rq.registry import FailedJobRegistry

        self.queue.empty()
        registry = FailedJobRegistry(queue=self.queue)
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)

    def failed_ids(self):
        from rq.registry import FailedJobRegistry

        return FailedJobRegistry(queue=self.queue).get_job_ids()

    def run(self):
        from orbix.jobs.worker import run_worker

        return run_worker(self.app, burst=True, with_scheduler=False)


@pytest.fixture
def jobs(app, mail_sink):
    """An empty job queue and sink; ``jobs.run()`` runs every queued job (retries included)."""
    runner = JobRunner(app)
    runner.clear()
    mail_sink.clear()
    yield runner
    runner.clear()


@pytest.fixture(scope="module")
def live_url(app):
    """Browser tests: the app on a real HTTP server (threads, like gunicorn's workers) on a free port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    """Browser tests: Debian's Chromium driven by Playwright (``make test`` installs it)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: `make test` installs it (Makefile target `browser`)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()
