"""A logout ends the whole login session: the refresh token issued with the access token (and
every access token refreshed from it) dies with it, even when the client sends no body."""

from flask_jwt_extended import create_access_token, create_refresh_token

from tests.factories import PASSWORD, assert_error_shape


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _login(client, user):
    body = client.post("/api/auth/login", json={"email": user["email"], "password": PASSWORD}).get_json()
    return body["token"], body["refresh_token"]


def test_a_logout_without_a_body_ends_the_refresh_token_of_its_session_only(client, user):
    other_access, other_refresh = _login(client, user)  # a second login: another session
    assert client.post("/api/auth/logout", headers=user["headers"]).status_code == 200
    refused = client.post("/api/auth/refresh", headers=_bearer(user["refresh_token"]))
    assert_error_shape(refused, 401)
    assert refused.get_json()["message"] == "Token has been revoked"
    assert client.post("/api/auth/refresh", headers=_bearer(other_refresh)).status_code == 200
    assert client.get("/api/auth/me", headers=_bearer(other_access)).status_code == 200


def test_a_logout_with_a_refreshed_access_token_ends_the_whole_session(client, user):
    refreshed = client.post("/api/auth/refresh", headers=_bearer(user["refresh_token"])).get_json()["token"]
    assert client.post("/api/auth/logout", headers=_bearer(refreshed)).status_code == 200
    assert_error_shape(client.post("/api/auth/refresh", headers=_bearer(user["refresh_token"])), 401)
    assert_error_shape(client.get("/api/auth/me", headers=user["headers"]), 401)  # the first access token too


def test_tokens_issued_before_sessions_existed_keep_working_as_before(app, client, user):
    """Tokens without a session id (issued before this change): a logout ends the token
    presented (and a refresh token sent in the body), nothing else."""
    with app.app_context():
        access = create_access_token(identity=user["id"], additional_claims={"ver": 0})
        refresh = create_refresh_token(identity=user["id"], additional_claims={"ver": 0})
    renewed = client.post("/api/auth/refresh", headers=_bearer(refresh))
    assert renewed.status_code == 200
    assert client.get("/api/auth/me", headers=_bearer(renewed.get_json()["token"])).status_code == 200
    assert client.post("/api/auth/logout", headers=_bearer(access)).status_code == 200
    assert_error_shape(client.get("/api/auth/me", headers=_bearer(access)), 401)
    assert client.post("/api/auth/refresh", headers=_bearer(refresh)).status_code == 200
