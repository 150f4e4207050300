"""An ``Idempotency-Key`` replay is answered only to a caller whose token is valid now: a
stored answer is never handed to a revoked (or missing) token."""

from tests.factories import assert_error_shape

BODY = {"name": "Acme", "email": "acme@example.com"}


def test_a_replay_with_a_revoked_token_is_401_not_the_stored_answer(client, user, db):
    headers = {**user["headers"], "Idempotency-Key": "create-acme"}
    assert client.post("/api/clients", json=BODY, headers=headers).status_code == 201
    assert client.post("/api/auth/logout", headers=user["headers"]).status_code == 200
    replay = client.post("/api/clients", json=BODY, headers=headers)
    assert_error_shape(replay, 401)
    assert "Idempotent-Replayed" not in replay.headers
    assert db.clients.count_documents({}) == 1
