"""Tokens verified once per worker (orbix.auth.verified_tokens): the answers stay the same."""

import jwt as pyjwt
import pytest
from flask import request
from flask_jwt_extended import current_user, get_jwt, get_jwt_header, view_decorators

from orbix.auth.verified_tokens import verify_known_access_token

from ..factories import PASSWORD, assert_error_shape, expect


def _known(app, headers):
    """What the short path answers for a request carrying ``headers`` (None: the usual way)."""
    with app.test_request_context(headers=headers):
        return verify_known_access_token(app, request.environ)


def test_the_header_parse_is_kept_and_still_per_token(app, client, user):
    assert getattr(view_decorators.get_unverified_jwt_headers, "parses_once", False)
    for _ in range(2):  # the second time from the memo
        assert expect(client.get("/api/auth/me", headers=user["headers"]), 200)["email"] == user["email"]
    with app.test_request_context(headers=user["headers"]):
        view_decorators.verify_jwt_in_request()
        assert get_jwt_header() == pyjwt.get_unverified_header(user["token"])


def test_a_tampered_token_is_refused_after_the_real_one_was_verified(client, user):
    expect(client.get("/api/auth/me", headers=user["headers"]), 200)
    header, payload, signature = user["token"].split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_a_known_token_leaves_what_flask_jwt_extended_would(app, client, user):
    with app.test_request_context(headers=user["headers"]):
        assert verify_known_access_token(app, request.environ) is None  # first sight: the usual way
        view_decorators.verify_jwt_in_request()
        usual = (get_jwt(), get_jwt_header(), current_user)
    with app.test_request_context(headers=user["headers"]):
        known = verify_known_access_token(app, request.environ)
        assert known == (usual[1], usual[0])
        assert (get_jwt(), get_jwt_header(), current_user) == usual
        get_jwt()["sub"] = "changed by a view"  # each request gets its own copy
    with app.test_request_context(headers=user["headers"]):
        assert verify_known_access_token(app, request.environ)[1]["sub"] == user["id"]


def test_a_known_token_that_was_revoked_is_refused(app, client, user):
    expect(client.get("/api/auth/me", headers=user["headers"]), 200)
    assert _known(app, user["headers"]) is not None
    expect(client.post("/api/auth/logout", headers=user["headers"]), 200)
    assert _known(app, user["headers"]) is None
    body = assert_error_shape(client.get("/api/auth/me", headers=user["headers"]), 401)
    assert body["message"] == "Token has been revoked"


def test_a_known_token_of_a_changed_account_is_refused(app, client, user):
    expect(client.get("/api/auth/me", headers=user["headers"]), 200)
    expect(client.post("/api/auth/me/password", headers=user["headers"],
                       json={"current_password": PASSWORD, "new_password": "another horse battery"}), 200)
    assert _known(app, user["headers"]) is None
    assert_error_shape(client.get("/api/auth/me", headers=user["headers"]), 401)


@pytest.mark.parametrize("authorization", ["Bearer  {}", "bearer {}", "Bearer {} ", "Bearer {}, Basic eA==", "{}"])
def test_other_header_forms_take_the_usual_way(app, client, user, authorization):
    expect(client.get("/api/auth/me", headers=user["headers"]), 200)
    assert _known(app, {"Authorization": authorization.format(user["token"])}) is None


def test_a_known_refresh_token_is_not_an_access_token(app, client, user):
    refresh = {"Authorization": f"Bearer {user['refresh_token']}"}
    expect(client.post("/api/auth/refresh", headers=refresh), 200)
    assert _known(app, refresh) is None
    assert_error_shape(client.get("/api/auth/me", headers=refresh), 401)
