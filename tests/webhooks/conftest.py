"""Webhook fixtures: a real HTTP receiver, the README's verification snippet, the delivery log."""

import re
from pathlib import Path

import pytest

from orbix.webhooks import delivery
from tests.webhook_receiver import WebhookReceiver

README = Path(__file__).resolve().parents[2] / "README.md"
SNIPPET = re.compile(r"<!-- webhook-verification-snippet[^>]*-->\n```python\n(.*?)```", re.S)


@pytest.fixture
def receiver():
    with WebhookReceiver() as server:
        yield server


@pytest.fixture(scope="session")
def verify():
    """``verify_orbix_signature`` exactly as README "Webhooks" shows it."""
    [code] = SNIPPET.findall(README.read_text())
    namespace = {}
    exec(compile(code, "README.md (webhook verification snippet)", "exec"), namespace)  # noqa: S102
    return namespace["verify_orbix_signature"]


@pytest.fixture
def webhook_jobs(app, jobs):
    """``jobs`` plus the webhook schedule driven by hand: ``sweep(now)`` and ``attempt(id, now)``."""

    class Driver:
        run = staticmethod(jobs.run)

        @staticmethod
        def sweep(now=None):
            with app.app_context():
                return delivery.sweep(now)

        @staticmethod
        def attempt(delivery_id, now=None):
            with app.app_context():
                return delivery.attempt(delivery_id, now=now)

    return Driver()
