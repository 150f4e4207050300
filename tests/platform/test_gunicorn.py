"""The production server as deployed: gunicorn with gunicorn.conf.py (preloaded app, gthread
workers) in front of the embedded database and a redis-server."""

import json
import signal
import threading
import time
import urllib.error
import urllib.request

import pytest

from orbix.platform.metrics import FLUSH_SECONDS
from tools.live_stack import call, live_stack

PASSWORD = "a live server password"
METRICS_TOKEN = "live-metrics-token"


def _login(base, email, results):
    request = urllib.request.Request(
        base + "/api/auth/login", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"email": email, "password": PASSWORD}).encode(),
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            results.append(response.status)
    except (urllib.error.URLError, OSError) as error:
        results.append(repr(error))


@pytest.fixture(scope="module")
def server():
    # Production bcrypt cost (12): a login takes a few hundred ms, long enough to be in flight.
    with live_stack(BCRYPT_ROUNDS="12", METRICS_TOKEN=METRICS_TOKEN) as (base, process):
        yield base, process


def test_preloaded_workers_serve_and_share_sessions(server):
    """Every worker answers (each forked from the preloaded app), and a logout through one
    worker ends the token in all of them at once."""
    base, _ = server
    account = call(
        base, "POST", "/api/auth/register", {"name": "Live", "email": "live@example.com", "password": PASSWORD}
    )
    token = account["token"]
    for _ in range(40):  # spread over the workers, filling each one's session cache
        assert call(base, "GET", "/api/auth/me", token=token)["email"] == "live@example.com"
    call(base, "POST", "/api/auth/logout", token=token)
    for _ in range(40):
        with pytest.raises(urllib.error.HTTPError) as refused:
            call(base, "GET", "/api/auth/me", token=token)
        assert refused.value.code == 401


def test_metrics_add_up_the_requests_of_every_worker(server):
    """Each worker hands its counts over once a second (platform.metrics), so the sum reaches
    every request within a few seconds, whichever worker answers the scrape."""
    base, _ = server
    for _ in range(60):
        call(base, "GET", "/health")

    def counted():
        request = urllib.request.Request(base + "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("orbix_http_requests_total{") and 'endpoint="/health"' in line)

    deadline = time.monotonic() + 5 * FLUSH_SECONDS
    while counted() < 60 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert counted() >= 60


def test_sigterm_lets_in_flight_requests_finish(server):
    base, process = server
    call(base, "POST", "/api/auth/register", {"name": "Slow", "email": "slow@example.com", "password": PASSWORD})
    results = []
    logins = [threading.Thread(target=_login, args=(base, "slow@example.com", results)) for _ in range(4)]
    for thread in logins:
        thread.start()
    time.sleep(0.15)  # the logins are hashing (bcrypt 12) when the signal arrives
    process.send_signal(signal.SIGTERM)
    for thread in logins:
        thread.join(30)
    assert results == [200, 200, 200, 200]
    assert process.wait(30) == 0
