"""Liveness and readiness probes."""

from orbix.dev.embedded_db import EmbeddedDatabase
from tests.conftest import make_app
from tests.factories import assert_error_shape


def test_health_is_json(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_ready_pings_the_database(client):
    assert client.get("/ready").get_json() == {"status": "ok", "database": "up"}


def test_ready_is_503_when_the_database_is_down(redis_uri):
    database = EmbeddedDatabase()
    database.start()
    try:
        app = make_app(database.uri, redis_uri, MONGO_TIMEOUT_MS=500)
        local = app.test_client()
        assert local.get("/ready").status_code == 200
        database.stop()
        response = local.get("/ready")
        body = assert_error_shape(response, 503)
        assert body["database"] == "down"
        assert local.get("/health").status_code == 200
    finally:
        database.cleanup()
