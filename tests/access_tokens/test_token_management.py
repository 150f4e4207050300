"""/api/tokens: creating (shown once, stored hashed), listing, renaming, revoking, validation,
other users' tokens, and the account's export and deletion."""

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import PASSWORD, assert_error_shape, expect, make_access_token

PUBLIC_FIELDS = {
    "_id", "user_id", "name", "scopes", "hint", "status", "expires_at", "last_used_at", "revoked_at",
    "created_at", "updated_at",
}


def _in(days=0, seconds=0):
    return (datetime.now(timezone.utc) + timedelta(days=days, seconds=seconds)).isoformat()


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(client, auth, db):
    created = make_access_token(client, auth, scopes=["clients:read"], name="  Backup script  ")
    token = created["token"]
    assert token.startswith("orbix_pat_") and len(token) == len("orbix_pat_") + 52
    assert created["name"] == "Backup script"
    assert created["hint"] == token[:16] and created["status"] == "active"
    assert created["last_used_at"] is None and created["revoked_at"] is None
    stored = db.access_tokens.find_one({})
    assert stored["_id"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(stored, default=str)
    assert str(stored["public_id"]) == created["_id"]
    listed = expect(client.get("/api/tokens", headers=auth), 200)
    detail = expect(client.get(f"/api/tokens/{created['_id']}", headers=auth), 200)
    assert set(listed[0]) == set(detail) == PUBLIC_FIELDS
    assert token not in json.dumps([listed, detail]) and stored["_id"] not in json.dumps([listed, detail])


def test_expiry_defaults_to_90_days_and_can_be_given_in_days_or_as_an_instant(client, auth):
    default = make_access_token(client, auth)
    in_days = make_access_token(client, auth, expires_in_days=7)
    at = make_access_token(client, auth, expires_at=_in(days=30))
    for body, days in ((default, 90), (in_days, 7), (at, 30)):
        lifetime = datetime.fromisoformat(body["expires_at"]) - datetime.fromisoformat(body["created_at"])
        assert abs(lifetime - timedelta(days=days)) < timedelta(minutes=1)


def test_scopes_are_stored_in_canonical_form(client, auth):
    created = make_access_token(client, auth, scopes=["clients:*", "clients:write", " Invoices:READ", "*:read"])
    assert created["scopes"] == ["*:read", "clients:write", "invoices:read"]


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"scopes": ["clients:read"]}, "name", "Missing data"),
        ({"name": "  ", "scopes": ["clients:read"]}, "name", "Must not be empty"),
        ({"name": "x" * 101, "scopes": ["clients:read"]}, "name", "maximum length 100"),
        ({"name": "n"}, "scopes", "Missing data"),
        ({"name": "n", "scopes": []}, "scopes", "Length must be between 1 and 20"),
        ({"name": "n", "scopes": ["clients:delete"]}, "scopes", "Unknown scope 'clients:delete'"),
        ({"name": "n", "scopes": ["payroll:read"]}, "scopes", "Unknown scope 'payroll:read'"),
        ({"name": "n", "scopes": ["clients"]}, "scopes", "Unknown scope 'clients'"),
        ({"name": "n", "scopes": ["reports:write"]}, "scopes", "reports has no write access"),
        ({"name": "n", "scopes": "clients:read"}, "scopes", "Not a valid list"),
        ({"name": "n", "scopes": ["clients:read"], "expires_in_days": 0}, "expires_in_days", "equal to 366"),
        ({"name": "n", "scopes": ["clients:read"], "expires_in_days": 367}, "expires_in_days", "equal to 366"),
        ({"name": "n", "scopes": ["clients:read"], "expires_at": "2020-01-01T00:00:00Z"}, "expires_at", "future"),
        ({"name": "n", "scopes": ["clients:read"], "expires_at": "2999-01-01"}, "expires_at", "366 days ahead"),
        ({"name": "n", "scopes": ["clients:read"], "expires_at": None}, "expires_at", "may not be null"),
        ({"name": "n", "scopes": ["clients:read"], "expires_in_days": 5, "expires_at": "2999-01-01"}, "expires_at",
         "not both"),
    ],
)
def test_a_bad_creation_is_422_naming_the_field(client, auth, db, body, field, fragment):
    errors = assert_error_shape(client.post("/api/tokens", json=body, headers=auth), 422)["errors"]["json"]
    assert fragment in " ".join(errors[field]), errors
    assert db.access_tokens.count_documents({}) == 0


def test_only_the_name_can_change(client, auth):
    created = make_access_token(client, auth, scopes=["clients:read"])
    path = f"/api/tokens/{created['_id']}"
    renamed = expect(client.patch(path, json={"name": " Nightly export "}, headers=auth), 200)
    assert renamed["name"] == "Nightly export" and renamed["scopes"] == ["clients:read"]
    assert renamed["expires_at"] == created["expires_at"]
    refused = assert_error_shape(client.patch(path, json={"name": "x", "scopes": ["*:write"]}, headers=auth), 422)
    assert "create a new token" in refused["errors"]["json"]["scopes"][0]
    assert_error_shape(client.patch(path, json={"name": ""}, headers=auth), 422)
    assert_error_shape(client.put(path, json={}, headers=auth), 422)
    assert expect(client.get(path, headers=auth), 200)["scopes"] == ["clients:read"]


def test_revoking_keeps_the_record_for_the_owner_and_may_be_repeated(client, auth):
    created = make_access_token(client, auth)
    path = f"/api/tokens/{created['_id']}"
    assert expect(client.delete(path, headers=auth), 200) == {"message": "Token revoked"}
    first = expect(client.get(path, headers=auth), 200)
    assert first["status"] == "revoked" and first["revoked_at"] is not None
    assert expect(client.delete(path, headers=auth), 200) == {"message": "Token revoked"}
    assert expect(client.get(path, headers=auth), 200)["revoked_at"] == first["revoked_at"]


def test_the_list_is_oldest_first_and_filters_by_status_and_name(client, auth):
    first = make_access_token(client, auth, name="Alpha sync")
    second = make_access_token(client, auth, name="Beta backup")
    client.delete(f"/api/tokens/{second['_id']}", headers=auth)
    assert [t["name"] for t in expect(client.get("/api/tokens", headers=auth), 200)] == ["Alpha sync", "Beta backup"]
    assert [t["_id"] for t in client.get("/api/tokens?status=active", headers=auth).get_json()] == [first["_id"]]
    assert [t["_id"] for t in client.get("/api/tokens?status=revoked", headers=auth).get_json()] == [second["_id"]]
    assert client.get("/api/tokens?status=expired", headers=auth).get_json() == []
    assert [t["name"] for t in client.get("/api/tokens?q=BACKUP", headers=auth).get_json()] == ["Beta backup"]
    assert [t["name"] for t in client.get("/api/tokens?sort=-name", headers=auth).get_json()] == [
        "Beta backup", "Alpha sync"]
    assert_error_shape(client.get("/api/tokens?status=lost", headers=auth), 422)
    assert_error_shape(client.get("/api/tokens?sort=scopes", headers=auth), 422)


def test_other_users_tokens_are_404_and_never_listed(client, auth, other_auth):
    mine = make_access_token(client, auth)
    path = f"/api/tokens/{mine['_id']}"
    assert client.get("/api/tokens", headers=other_auth).get_json() == []
    assert_error_shape(client.get(path, headers=other_auth), 404)
    assert_error_shape(client.patch(path, json={"name": "Stolen"}, headers=other_auth), 404)
    assert_error_shape(client.delete(path, headers=other_auth), 404)
    assert_error_shape(client.get("/api/tokens/not-an-id", headers=auth), 404)
    assert_error_shape(client.get("/api/tokens/" + "0" * 24, headers=auth), 404)
    assert expect(client.get(path, headers=auth), 200)["status"] == "active"
    assert client.get("/api/clients", headers=mine["headers"]).status_code == 200


def test_at_most_100_active_tokens_and_revoking_one_makes_room(client, auth):
    tokens = [make_access_token(client, auth, scopes=["clients:read"], name=f"t{i}") for i in range(100)]
    refused = assert_error_shape(client.post("/api/tokens", json={"name": "one more", "scopes": ["clients:read"]},
                                             headers=auth), 409)
    assert "100 active" in refused["message"]
    client.delete(f"/api/tokens/{tokens[0]['_id']}", headers=auth)
    make_access_token(client, auth, scopes=["clients:read"], name="one more")


def test_an_idempotency_key_never_stores_or_replays_a_new_token(client, auth, db):
    headers = {**auth, "Idempotency-Key": "make-token"}
    body = {"name": "CI", "scopes": ["clients:read"]}
    first = expect(client.post("/api/tokens", json=body, headers=headers))
    second = expect(client.post("/api/tokens", json=body, headers=headers))
    assert first["token"] != second["token"]
    assert db.idempotency_keys.count_documents({}) == 0


def test_the_account_export_lists_tokens_without_hashes_or_secrets(client, user, db):
    created = make_access_token(client, user["headers"], scopes=["invoices:read"], name="Accounting")
    stored_hash = db.access_tokens.find_one({})["_id"]
    export = expect(client.get("/api/auth/me/export", headers=user["headers"]), 200)
    [listed] = export["data"]["access_tokens"]
    assert listed["_id"] == created["_id"] and listed["name"] == "Accounting"
    assert listed["scopes"] == ["invoices:read"] and listed["hint"] == created["hint"]
    text = json.dumps(export)
    assert stored_hash not in text and created["token"] not in text


def test_deleting_the_account_removes_its_tokens(client, user, other_auth, db):
    mine = make_access_token(client, user["headers"])
    make_access_token(client, other_auth)
    assert client.get("/api/clients", headers=mine["headers"]).status_code == 200
    assert client.delete("/api/auth/me", json={"password": PASSWORD}, headers=user["headers"]).status_code == 200
    assert db.access_tokens.count_documents({}) == 1
    assert_error_shape(client.get("/api/clients", headers=mine["headers"]), 401)


def test_the_openapi_document_describes_personal_access_tokens(client):
    spec = client.get("/openapi.json").get_json()
    assert "orbix_pat_" in spec["components"]["securitySchemes"]["bearerAuth"]["description"]
    assert "403" in spec["paths"]["/api/clients/"]["get"]["responses"]
    assert "token" in spec["components"]["schemas"]["CreatedAccessToken"]["required"]
