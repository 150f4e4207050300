"""Rate limits: per email, per IP, per user and for AI calls, shared by every app instance through Redis."""

import uuid

import redis

from orbix.dev.redis_server import RedisServer
from tests.conftest import make_app
from tests.factories import PASSWORD, assert_error_shape, register_user
from tests.redis_monitor import commands_sent


def _limited_app(mongo_uri, redis_uri, **limits):
    """An app with its own Redis key prefix, so counters start at zero."""
    return make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex}", **limits)


def test_login_is_rate_limited_per_email_with_retry_after(mongo_uri, redis_uri, make_user):
    make_user(email="limited@example.com")
    app = _limited_app(mongo_uri, redis_uri, RATELIMIT_AUTH="3/minute")
    client = app.test_client()
    statuses = [client.post("/api/auth/login", json={"email": "limited@example.com", "password": "wrong-pass"},
                            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = client.post("/api/auth/login", json={"email": "LIMITED@example.com", "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert_error_shape(response, 429)
    assert int(response.headers["Retry-After"]) >= 1


def test_an_email_outside_ascii_is_counted_under_its_own_key(mongo_uri, redis_uri):
    """Keys go to Redis as UTF-8 with their byte length (platform.redis_script.pack)."""
    client = _limited_app(mongo_uri, redis_uri, RATELIMIT_AUTH="2/minute").test_client()
    body = {"email": "jösé.ñoño@exämple.com", "password": "wrong-pass"}
    statuses = [client.post("/api/auth/login", json=body, environ_base={"REMOTE_ADDR": f"10.1.0.{i}"}).status_code
                for i in range(3)]
    assert 429 not in statuses[:2] and statuses[2] == 429, statuses


def test_register_is_rate_limited_per_ip(mongo_uri, redis_uri):
    app = _limited_app(mongo_uri, redis_uri, RATELIMIT_AUTH="2/minute")
    client = app.test_client()
    statuses = [
        client.post(
            "/api/auth/register", json={"name": "N", "email": f"ip{i}@example.com", "password": PASSWORD}
        ).status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]


def test_limits_are_shared_between_app_instances_through_redis(mongo_uri, redis_uri):
    prefix = f"t{uuid.uuid4().hex}"
    first = make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=prefix, RATELIMIT_AUTH="2/minute").test_client()
    second = make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=prefix, RATELIMIT_AUTH="2/minute").test_client()
    body = {"email": "shared@example.com", "password": "whatever-1"}
    assert first.post("/api/auth/login", json=body).status_code == 401
    assert second.post("/api/auth/login", json=body).status_code == 401
    assert first.post("/api/auth/login", json=body).status_code == 429


def test_a_users_requests_share_one_default_limit_that_spares_the_probes(mongo_uri, redis_uri, user):
    app = _limited_app(mongo_uri, redis_uri, RATELIMIT_DEFAULT="3/minute")
    client = app.test_client()
    statuses = [client.get("/api/clients", headers=user["headers"]).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/health").status_code == 200  # probes are exempt


def test_ai_calls_share_one_per_user_limit(mongo_uri, redis_uri, user):
    app = _limited_app(mongo_uri, redis_uri, RATELIMIT_AI="2/minute")
    client = app.test_client()
    body = {
        "resume": "Jane Doe\njane@example.com\nExperience: built Python APIs",
        "job_description": "Python developer",
    }
    statuses = [
        client.post("/api/ai/optimize-resume", json=body, headers=user["headers"]).status_code for _ in range(2)
    ]
    statuses.append(
        client.post(
            "/api/resumes/optimize", json={"resume_id": "0" * 24, "job_description": "x"}, headers=user["headers"]
        ).status_code
    )
    assert statuses == [200, 200, 429]
    assert client.get("/api/ai/usage", headers=user["headers"]).status_code == 200  # reading usage is not an AI call


def test_an_authenticated_read_asks_redis_once_for_its_limit_and_session(mongo_uri, app):
    """The rate-limit counter and the session epoch travel in one round trip. MONITOR shows
    every command a client sends; those a script runs are marked ``lua``."""
    with RedisServer() as server:
        client = make_app(mongo_uri, server.uri, RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex}").test_client()
        account = register_user(client)
        assert client.get("/api/clients", headers=account["headers"]).status_code == 200  # warm: script loaded
        response, commands = commands_sent(server.uri, lambda: client.get("/api/clients", headers=account["headers"]))
    assert response.status_code == 200
    assert len(commands) == 1, commands


def test_limits_keep_counting_after_redis_forgets_the_script(mongo_uri, redis_uri, user):
    """A Redis restart or ``SCRIPT FLUSH`` drops the limiter's Lua script: it is loaded again
    and the request is counted, not let through uncounted."""
    client = _limited_app(mongo_uri, redis_uri, RATELIMIT_DEFAULT="3/minute").test_client()
    assert client.get("/api/clients", headers=user["headers"]).status_code == 200
    redis.Redis.from_url(redis_uri).script_flush()
    statuses = [client.get("/api/clients", headers=user["headers"]).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_limits_are_counted_in_redis_again_after_its_connections_are_dropped(mongo_uri, user):
    """Each thread keeps its own connection for the limiter: when Redis drops it (a restart, an
    idle timeout, a proxy), the limiter reconnects instead of failing open for good."""
    prefix = f"t{uuid.uuid4().hex}"
    with RedisServer() as server:
        client = make_app(mongo_uri, server.uri, RATELIMIT_KEY_PREFIX=prefix, REDIS_RETRY_SECONDS=0).test_client()
        assert client.get("/api/clients", headers=user["headers"]).status_code == 200
        counters = redis.Redis.from_url(server.uri)
        counters.client_kill_filter(_type="normal", skipme=True)
        for _ in range(3):
            assert client.get("/api/clients", headers=user["headers"]).status_code == 200
        (key,) = counters.scan_iter(f"LIMITER/{prefix}/user:*")
        # One before the drop; after it, the first request may find its connection closed (and
        # be counted in memory), the others are counted in Redis again.
        assert int(counters.get(key)) >= 3
