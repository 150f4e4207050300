"""Idempotency keys: a retried create is replayed, never made twice."""

import time

from tests.conftest import make_app
from tests.factories import assert_error_shape


def test_idempotency_key_replays_the_first_create(client, auth, db):
    headers = {**auth, "Idempotency-Key": "create-acme-1"}
    body = {"name": "Acme", "email": "ap@acme.example"}
    first = client.post("/api/clients", json=body, headers=headers)
    second = client.post("/api/clients", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert db.clients.count_documents({}) == 1


def test_idempotency_key_with_a_different_body_is_422(client, auth, db):
    headers = {**auth, "Idempotency-Key": "create-acme-2"}
    client.post("/api/clients", json={"name": "Acme", "email": "ap@acme.example"}, headers=headers)
    response = client.post("/api/clients", json={"name": "Other", "email": "ap@acme.example"}, headers=headers)
    assert_error_shape(response, 422)
    assert db.clients.count_documents({}) == 1


def test_idempotency_keys_are_per_user(client, auth, other_auth, db):
    body = {"name": "Acme", "email": "ap@acme.example"}
    client.post("/api/clients", json=body, headers={**auth, "Idempotency-Key": "same-key"})
    client.post("/api/clients", json=body, headers={**other_auth, "Idempotency-Key": "same-key"})
    assert db.clients.count_documents({}) == 2


def test_failed_validation_is_replayed_but_writes_nothing(client, auth, db):
    headers = {**auth, "Idempotency-Key": "bad-body"}
    first = client.post("/api/clients", json={"name": ""}, headers=headers)
    second = client.post("/api/clients", json={"name": ""}, headers=headers)
    assert first.status_code == second.status_code == 422
    assert db.clients.count_documents({}) == 0


def test_expired_idempotency_key_is_reusable(mongo_uri, redis_uri, user, db):
    app = make_app(mongo_uri, redis_uri, IDEMPOTENCY_TTL_SECONDS=0)
    client = app.test_client()
    headers = {**user["headers"], "Idempotency-Key": "short-lived"}
    client.post("/api/clients", json={"name": "A", "email": "a@a.example"}, headers=headers)
    time.sleep(0.01)
    client.post("/api/clients", json={"name": "A", "email": "a@a.example"}, headers=headers)
    assert db.clients.count_documents({}) == 2
