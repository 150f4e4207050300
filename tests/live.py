"""Helpers for the tests against live processes (gunicorn, job workers): not a test module."""

import time

import requests


def live_api(base, method, path, token=None, **kwargs):
    """A request to a live server, asserted to succeed (2xx); returns the response."""
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = requests.request(method, base + path, headers=headers, timeout=30, **kwargs)
    assert response.status_code < 300, response.text
    return response


def until(predicate, timeout=90):
    """Poll until ``predicate()`` is truthy (the workers run on their own schedule); its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("the workers did not get there in time")
