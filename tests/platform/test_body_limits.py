"""An oversized request body is answered 413 in the house shape, and under gunicorn the
client gets to read that answer: the body is drained (up to a bound) instead of the
connection being reset while the client is still sending."""

import http.client
import json
import time
from urllib.parse import urlsplit

import pytest

from tests.factories import assert_error_shape
from tools.live_stack import live_stack

MB = 1024 * 1024


@pytest.fixture(scope="module")
def live():
    with live_stack(WEB_CONCURRENCY="1", GUNICORN_THREADS="2") as (base, _process):
        yield urlsplit(base)


def _paced_body(size, pause_every=MB, pause=0.05):
    """``size`` bytes in 64 KiB pieces, pausing now and then as a client on a real network
    would: the server answers long before the last byte is sent."""
    piece = b"x" * 65536
    for sent in range(0, size, len(piece)):
        yield piece
        if (sent + len(piece)) % pause_every == 0:
            time.sleep(pause)


def _post_json(live, size, path="/api/clients"):
    connection = http.client.HTTPConnection(live.hostname, live.port, timeout=60)
    try:
        connection.request("POST", path, body=_paced_body(size),
                           headers={"Content-Type": "application/json", "Content-Length": str(size)})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read())
    finally:
        connection.close()


@pytest.mark.parametrize("megabytes", [3, 20])
def test_an_oversized_body_gets_a_readable_413_under_gunicorn(live, megabytes):
    status, _headers, body = _post_json(live, megabytes * MB)
    assert status == 413
    assert body["code"] == 413 and body["message"] == "Request body too large: the limit is 2097152 bytes"


def test_an_oversized_body_is_413_whatever_its_content_type(client, auth):
    """Refused from its declared length alone, before any route looks at it."""
    response = client.post("/api/clients", data=b"x" * (3 * MB), content_type="text/plain", headers=auth)
    assert_error_shape(response, 413)
