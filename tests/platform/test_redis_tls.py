"""rediss:// (hosted Redis over TLS) against a real TLS redis-server with a self-signed certificate,
as Heroku's Redis presents: refused while certificates are verified (the default), used for rate
limits and the job queue once REDIS_TLS_VERIFY=false says so explicitly."""

import pytest
import redis

from orbix.dev.redis_server import RedisServer
from tests.certificates import Authority
from tests.conftest import JOBS_FOR_TESTS, make_app
from tests.factories import assert_error_shape, expect, make_invoice


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory):
    certificate = Authority(tmp_path_factory.mktemp("redis-pki"), "Self Signed Redis").issue()
    with RedisServer(tls=(certificate.certificate, certificate.key)) as server:
        yield server


@pytest.fixture
def store(tls_redis):
    """The TLS server's data, emptied (read without verification: the test's own server)."""
    connection = redis.Redis.from_url(tls_redis.uri, ssl_cert_reqs="none")
    connection.flushdb()
    return connection


def test_unverified_rediss_carries_rate_limits_and_jobs_when_configured(mongo_uri, tls_redis, store, client, auth):
    invoice = make_invoice(client, auth)
    app = make_app(mongo_uri, tls_redis.uri, REDIS_TLS_VERIFY=False, **JOBS_FOR_TESTS)
    expect(app.test_client().post(f"/api/invoices/{invoice['_id']}/send", json={}, headers=auth))
    assert store.llen("rq:queue:orbix-test") == 1
    assert [key for key in store.scan_iter("LIMITER/orbix/*")]  # the request was counted there


def test_rediss_is_verified_by_default_so_a_self_signed_server_is_refused(mongo_uri, tls_redis, store, client, auth):
    invoice = make_invoice(client, auth)
    app = make_app(mongo_uri, tls_redis.uri, **JOBS_FOR_TESTS)
    response = app.test_client().post(f"/api/invoices/{invoice['_id']}/send", json={}, headers=auth)
    assert "queue" in assert_error_shape(response, 503)["message"]
    assert store.llen("rq:queue:orbix-test") == 0 and list(store.scan_iter("LIMITER/*")) == []
