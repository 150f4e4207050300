"""Request bodies through the production server: gunicorn dechunks ``Transfer-Encoding:
chunked`` bodies and hands the app a stream without a Content-Length, which must get the
same size and encoding checks as any other body."""

import pytest

from tools.live_stack import call, live_stack, send_chunked

MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # the production default (config.py)


@pytest.fixture(scope="module")
def live():
    with live_stack() as (base, _process):
        account = call(
            base,
            "POST",
            "/api/auth/register",
            {"name": "Live", "email": "live@example.com", "password": "a live password"},
        )
        yield base, {"Authorization": f"Bearer {account['token']}"}


def test_a_chunked_body_is_served(live):
    base, auth = live
    status, body = send_chunked(
        base, "/api/clients", b'{"name": "Chunked", "email": "c@example.com"}', auth, chunk_size=7
    )
    assert (status, body["name"]) == (201, "Chunked")


def test_a_chunked_body_with_a_lone_surrogate_is_400(live):
    base, auth = live
    status, body = send_chunked(base, "/api/clients", b'{"name": "Bad \\ud800", "email": "s@example.com"}', auth)
    assert (status, body["code"]) == (400, 400)
    assert "invalid Unicode" in body["message"]


def test_a_chunked_body_over_the_size_limit_is_413(live):
    base, auth = live
    huge = b'{"name": "Huge", "notes": "' + b"x" * MAX_CONTENT_LENGTH + b'", "email": "h@example.com"}'
    status, body = send_chunked(base, "/api/clients", huge, auth)
    assert (status, body["code"]) == (413, 413)
    assert f"at most {MAX_CONTENT_LENGTH} bytes" in body["message"]
    clients = call(base, "GET", "/api/clients", token=auth["Authorization"].split()[1])
    assert "Huge" not in [c["name"] for c in clients]
