"""A user's own data: export and deletion of the account."""

import json

from tests.factories import PASSWORD, assert_error_shape, make_client


def test_account_export_contains_everything_the_user_owns(client, user, other_auth):
    make_client(client, user["headers"], name="Mine")
    make_client(client, other_auth, name="Theirs")
    body = client.get("/api/auth/me/export", headers=user["headers"]).get_json()
    assert body["user"]["email"] == user["email"]
    assert "password_hash" not in json.dumps(body)
    assert [c["name"] for c in body["data"]["clients"]] == ["Mine"]


def test_account_deletion_needs_the_password_and_removes_everything(client, user, other_auth, db):
    make_client(client, user["headers"], name="Mine")
    make_client(client, other_auth, name="Theirs")
    assert_error_shape(client.delete("/api/auth/me", json={"password": "wrong-password"}, headers=user["headers"]), 422)
    response = client.delete("/api/auth/me", json={"password": PASSWORD}, headers=user["headers"])
    assert response.status_code == 200
    assert db.users.count_documents({"email": user["email"]}) == 0
    assert [c["name"] for c in db.clients.find()] == ["Theirs"]
    assert_error_shape(client.get("/api/auth/me", headers=user["headers"]), 401)
    assert client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD}).status_code == 401
