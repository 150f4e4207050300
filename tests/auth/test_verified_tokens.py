"""Tokens verified once per worker (orbix.auth.verified_tokens): the answers stay the same."""

import jwt as pyjwt
from flask_jwt_extended import get_jwt_header, view_decorators

from ..factories import expect


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
