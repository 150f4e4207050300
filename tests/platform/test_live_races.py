"""Races that only show with real concurrency: several gunicorn workers (processes) writing
the same documents through the embedded database at once."""

import json
import urllib.error
import urllib.request

import pytest

from tests.concurrency import together
from tools.live_stack import call, live_stack


@pytest.fixture(scope="module")
def server():
    with live_stack(RATELIMIT_DEFAULT="100000/minute") as (base, _process):
        yield base


def _send(base, method, path, body, token):
    """(status, body) of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                     method=method, headers={"Content-Type": "application/json",
                                                             "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _account(base, name):
    body = call(base, "POST", "/api/auth/register", {"name": name, "email": f"{name}@race.example",
                                                      "password": "race password 123"})
    return body["token"]


def test_concurrent_stops_of_one_timer_give_one_200_and_the_rest_409(server):
    token = _account(server, "timer")
    for _ in range(15):  # several rounds: a race that is lost once is lost
        timer = call(server, "POST", "/api/time-tracking", {"start_time": "2026-03-01T09:00:00Z"}, token)
        stop = f"/api/time-tracking/{timer['_id']}/stop"
        ends = [f"2026-03-01T1{i}:00:00Z" for i in range(6)]
        results = together(*[
            (lambda end=end, stop=stop: _send(server, "POST", stop, {"end_time": end}, token)) for end in ends
        ])
        assert sorted(status for status, _ in results) == [200, 409, 409, 409, 409, 409], results
        winner = next(body for status, body in results if status == 200)
        assert call(server, "GET", f"/api/time-tracking/{timer['_id']}", None, token)["end_time"] == winner["end_time"]


def test_a_client_deleted_while_invoices_are_created_leaves_no_dangling_invoice(server):
    token = _account(server, "deleter")
    item = [{"description": "Work", "quantity": 1, "rate": 100}]
    for _ in range(10):
        customer = call(server, "POST", "/api/clients", {"name": "Doomed", "email": "d@race.example"}, token)
        body = {"client_id": customer["_id"], "items": item, "payment_terms": "Net 30"}
        url = f"/api/clients/{customer['_id']}"
        delete, create = together(*[
            lambda url=url: _send(server, "DELETE", url, None, token),
            lambda body=body: _send(server, "POST", "/api/invoices", body, token),
        ])
        assert not (delete[0] == 200 and create[0] == 201), (delete, create)
        if create[0] == 201:
            assert call(server, "GET", f"/api/clients/{customer['_id']}", None, token)["_id"] == customer["_id"]
