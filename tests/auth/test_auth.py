"""Accounts and tokens through the HTTP API."""

from datetime import timedelta

from flask_jwt_extended import create_access_token

from tests.concurrency import at_once
from tests.factories import PASSWORD, assert_error_shape


def test_register_returns_user_and_tokens_with_normalised_email(client):
    response = client.post(
        "/api/auth/register", json={"name": " Ada ", "email": "  Ada@Example.COM ", "password": PASSWORD}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["name"] == "Ada"
    assert set(body["user"]) == {"id", "email", "name", "avatar"}
    assert body["token"] and body["refresh_token"]
    assert "password" not in response.get_data(as_text=True)


def test_register_duplicate_email_is_409(client, make_user):
    make_user(email="dup@example.com")
    response = client.post("/api/auth/register", json={"name": "B", "email": "DUP@example.com", "password": PASSWORD})
    assert_error_shape(response, 409)


def test_concurrent_registrations_with_one_email_give_one_201_and_one_409(app):
    body = {"name": "R", "email": "race@example.com", "password": PASSWORD}
    responses = at_once(app, *[lambda http: http.post("/api/auth/register", json=body)] * 2)
    assert sorted(r.status_code for r in responses) == [201, 409]


def test_register_validation_names_fields(client):
    response = client.post("/api/auth/register", json={"name": "", "email": "not-an-email", "password": "short"})
    body = assert_error_shape(response, 422)
    assert set(body["errors"]["json"]) == {"name", "email", "password"}


def test_password_over_72_bytes_is_422_not_truncated(client):
    # 36 two-byte characters = 72 bytes is accepted; 37 (74 bytes) is refused.
    ok = client.post("/api/auth/register", json={"name": "A", "email": "ok72@example.com", "password": "é" * 36})
    assert ok.status_code == 201
    too_long = client.post("/api/auth/register", json={"name": "A", "email": "long@example.com", "password": "é" * 37})
    body = assert_error_shape(too_long, 422)
    assert "password" in body["errors"]["json"]


def test_login_success_and_same_401_for_unknown_email_and_wrong_password(client, make_user):
    make_user(email="login@example.com")
    good = client.post("/api/auth/login", json={"email": "LOGIN@example.com", "password": PASSWORD})
    assert good.status_code == 200
    assert good.get_json()["user"]["email"] == "login@example.com"
    wrong = assert_error_shape(
        client.post("/api/auth/login", json={"email": "login@example.com", "password": "nope-nope"}), 401
    )
    unknown = assert_error_shape(
        client.post("/api/auth/login", json={"email": "ghost@example.com", "password": "nope-nope"}), 401
    )
    assert wrong["message"] == unknown["message"]


def test_password_over_72_bytes_is_401_at_login_not_500(client, make_user):
    # bcrypt 5 raises on passwords over 72 bytes; such a password can never be the right one
    # (registration refuses it), even when its first 72 bytes are.
    make_user(email="long-login@example.com", password="é" * 36)
    for email in ("long-login@example.com", "ghost-long@example.com"):
        response = client.post("/api/auth/login", json={"email": email, "password": "é" * 37})
        assert_error_shape(response, 401)
    assert (
        client.post("/api/auth/login", json={"email": "long-login@example.com", "password": "é" * 36}).status_code
        == 200
    )


def test_me_returns_profile(client, user):
    body = client.get("/api/auth/me", headers=user["headers"]).get_json()
    assert body["id"] == user["id"] and body["email"] == user["email"]
    assert body["settings"]["default_currency"] is None


def test_patch_me_updates_name_avatar_and_settings(client, auth):
    response = client.patch(
        "/api/auth/me",
        json={
            "name": "Ada L.",
            "avatar": "https://cdn.example.com/a.png",
            "business_name": "Ada Studio",
            "settings": {"default_currency": "eur", "default_hourly_rate": 95.5, "invoice_prefix": "ADA-"},
        },
        headers=auth,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["name"] == "Ada L."
    assert body["settings"]["business_name"] == "Ada Studio"
    assert body["settings"]["default_currency"] == "EUR"
    assert body["settings"]["default_hourly_rate"] == 95.5
    cleared = client.patch("/api/auth/me", json={"settings": {"default_hourly_rate": None}}, headers=auth).get_json()
    assert cleared["settings"]["default_hourly_rate"] is None
    assert cleared["settings"]["business_name"] == "Ada Studio"


def test_patch_me_rejects_bad_settings(client, auth):
    response = client.patch(
        "/api/auth/me", json={"settings": {"default_currency": "XXX1", "timezone": "Mars/Olympus"}}, headers=auth
    )
    body = assert_error_shape(response, 422)
    assert set(body["errors"]["json"]["settings"]) == {"default_currency", "timezone"}


def test_refresh_gives_new_access_token(client, user):
    response = client.post("/api/auth/refresh", headers={"Authorization": f"Bearer {user['refresh_token']}"})
    assert response.status_code == 200
    token = response.get_json()["token"]
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_refresh_token_cannot_be_used_as_access_token(client, user):
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {user['refresh_token']}"})
    assert_error_shape(response, 401)


def test_access_token_cannot_refresh(client, user):
    assert_error_shape(client.post("/api/auth/refresh", headers=user["headers"]), 401)


def test_logout_revokes_access_and_refresh_tokens(client, user):
    response = client.post("/api/auth/logout", json={"refresh_token": user["refresh_token"]}, headers=user["headers"])
    assert response.status_code == 200 and response.get_json()["message"]
    assert_error_shape(client.get("/api/auth/me", headers=user["headers"]), 401)
    assert_error_shape(
        client.post("/api/auth/refresh", headers={"Authorization": f"Bearer {user['refresh_token']}"}), 401
    )


def test_revocation_is_stored_in_the_database(client, user, db):
    client.post("/api/auth/logout", headers=user["headers"])
    assert db.revoked_tokens.count_documents({"user_id": user["id"]}) == 2  # the token and its login session


def test_logout_with_someone_elses_refresh_token_is_422(client, user, make_user):
    other = make_user()
    response = client.post("/api/auth/logout", json={"refresh_token": other["refresh_token"]}, headers=user["headers"])
    assert_error_shape(response, 422)


def test_password_change_revokes_earlier_tokens(client, user):
    response = client.post(
        "/api/auth/me/password",
        json={"current_password": PASSWORD, "new_password": "new password 123"},
        headers=user["headers"],
    )
    assert response.status_code == 200
    fresh = response.get_json()["token"]
    assert_error_shape(client.get("/api/auth/me", headers=user["headers"]), 401)
    assert_error_shape(
        client.post("/api/auth/refresh", headers={"Authorization": f"Bearer {user['refresh_token']}"}), 401
    )
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    assert (
        client.post("/api/auth/login", json={"email": user["email"], "password": "new password 123"}).status_code == 200
    )
    assert client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD}).status_code == 401


def test_password_change_with_wrong_current_password_is_422(client, user):
    response = client.post(
        "/api/auth/me/password",
        json={"current_password": "wrong-wrong", "new_password": "new password 123"},
        headers=user["headers"],
    )
    body = assert_error_shape(response, 422)
    assert "current_password" in body["errors"]["json"]


def test_every_token_problem_is_401_with_the_error_shape(app, client, user, db):
    with app.app_context():
        expired = create_access_token(identity=user["id"], expires_delta=timedelta(seconds=-5))
        ghost = create_access_token(identity="0" * 24)
        not_an_id = create_access_token(identity="nope")
    tampered = user["token"][:-4] + ("AAAA" if not user["token"].endswith("AAAA") else "BBBB")
    cases = {
        "missing": {},
        "not bearer": {"Authorization": f"Token {user['token']}"},
        "malformed": {"Authorization": "Bearer not.a.jwt"},
        "bad signature": {"Authorization": f"Bearer {tampered}"},
        "expired": {"Authorization": f"Bearer {expired}"},
        "deleted user": {"Authorization": f"Bearer {ghost}"},
        "bad subject": {"Authorization": f"Bearer {not_an_id}"},
    }
    for name, headers in cases.items():
        response = client.get("/api/auth/me", headers=headers)
        assert response.status_code == 401, name
        assert_error_shape(response, 401)
