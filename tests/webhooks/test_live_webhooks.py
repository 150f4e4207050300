"""The whole path with real processes: gunicorn serves the request, a job worker
(``python -m orbix.jobs.worker``) posts the event to a real HTTP receiver."""

import pytest

from tests.live import live_api, until
from tests.webhook_receiver import WebhookReceiver
from tools.live_stack import live_cluster

pytestmark = pytest.mark.slow


def test_a_worker_process_delivers_a_signed_event_to_a_local_receiver(tmp_path, verify):
    with WebhookReceiver() as receiver, live_cluster(
        tmp_path, apps=1, WEB_CONCURRENCY="1", GUNICORN_THREADS="2", BCRYPT_ROUNDS="4",
        WEBHOOKS_ALLOW_PRIVATE="true", SCHEDULER_TICK_SECONDS="0.5",
    ) as cluster:
        [base] = cluster.bases
        account = {"name": "Ada", "email": "ada@example.com", "password": "correct horse battery"}
        token = live_api(base, "POST", "/api/auth/register", json=account).json()["token"]
        subscription = {"url": receiver.url, "events": ["client.created"]}
        hook = live_api(base, "POST", "/api/webhooks", token, json=subscription).json()
        acme = {"name": "Acme", "email": "billing@acme.io"}
        customer = live_api(base, "POST", "/api/clients", token, json=acme).json()
        cluster.start_workers(1)
        [request] = until(lambda: receiver.requests)
        assert request.json["type"] == "client.created" and request.json["data"] == customer
        assert verify(hook["secret"], request.headers["Orbix-Signature"], request.body)
        path = f"/api/webhooks/{hook['_id']}/deliveries"
        [logged] = until(lambda: [d for d in live_api(base, "GET", path, token).json() if d["status"] == "succeeded"])
        assert logged["response_code"] == 200 and logged["attempts"] == 1
        assert logged["_id"] == request.headers["Orbix-Delivery"]
