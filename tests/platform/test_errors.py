"""Errors: one JSON shape for every refusal, from routing to validation to the database."""

from tests.conftest import make_app
from tests.factories import assert_error_shape, make_contract_template, make_resume


def test_unknown_route_is_json_404(client):
    assert_error_shape(client.get("/api/nothing-here"), 404)


def test_wrong_method_is_json_405(client, auth):
    body = assert_error_shape(client.patch("/health"), 405)
    assert body["message"]


def test_malformed_json_is_400_with_message(client):
    response = client.post("/api/auth/login", data="{not json", content_type="application/json")
    body = assert_error_shape(response, 400)
    assert body["message"] == "Malformed JSON body"


def test_json_array_instead_of_object_is_422(client):
    response = client.post("/api/auth/login", json=[1, 2])
    assert_error_shape(response, 422)


def test_body_too_large_is_413(client, app):
    big = b'{"name": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10) + b'"}'
    response = client.post("/api/auth/register", data=big, content_type="application/json")
    assert_error_shape(response, 413)


def test_partial_updates_still_validate_nested_items(client, auth):
    """PUT/PATCH make top-level fields optional, never the fields of a nested item that is sent."""
    template = make_contract_template(client, auth)
    response = client.put(f"/api/contracts/templates/{template['_id']}",
                          json={"variables": [{"label": "No name", "type": "text"}]}, headers=auth)
    body = assert_error_shape(response, 422)
    assert "name" in body["errors"]["json"]["variables"]["0"]
    resume = make_resume(client, auth, {"title": "CV", "personal_info": {"full_name": "Ada"}})
    partial_info = client.patch(
        f"/api/resumes/{resume['_id']}", json={"personal_info": {"email": "a@b.co"}}, headers=auth
    )
    assert_error_shape(partial_info, 422)


def test_lone_surrogates_in_a_body_are_400_before_anything_is_written(client, auth, db):
    raw = '{"name": "Bad \\ud800 name", "email": "x@example.com", "password": "pass\\udfffword"}'
    assert_error_shape(client.post("/api/auth/register", data=raw, content_type="application/json"), 400)
    assert_error_shape(client.post("/api/auth/login", data=raw, content_type="application/json"), 400)
    assert_error_shape(client.post("/api/clients", data=raw, content_type="application/json", headers=auth), 400)
    assert db.clients.count_documents({}) == 0
    emoji = '{"name": "Caf\\u00e9 \\ud83d\\ude00", "email": "ok@example.com"}'
    assert client.post("/api/clients", data=emoji, content_type="application/json", headers=auth).status_code == 201


def test_a_database_timeout_is_504_and_an_outage_503(mongo_uri, redis_uri):
    from pymongo.errors import AutoReconnect, NetworkTimeout

    app = make_app(mongo_uri, redis_uri)

    def slow():
        raise NetworkTimeout("timed out")

    def gone():
        raise AutoReconnect("connection refused")

    app.add_url_rule("/test-slow", "test_slow", slow)
    app.add_url_rule("/test-gone", "test_gone", gone)
    client = app.test_client()
    assert "too long" in assert_error_shape(client.get("/test-slow"), 504)["message"]
    assert "unavailable" in assert_error_shape(client.get("/test-gone"), 503)["message"]
