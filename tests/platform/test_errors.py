"""Cross-cutting behaviour: error shape, CORS, routing, docs, health, migrations, config."""

import pytest
from openapi_spec_validator import validate

from orbix import config as config_module
from orbix.embedded_db import EmbeddedDatabase
from orbix.migrate import apply_migrations
from tests.conftest import make_app
from tests.factories import assert_error_shape, make_contract_template, make_project, make_resume


def test_health_is_json(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_ready_pings_the_database(client):
    assert client.get("/ready").get_json() == {"status": "ok", "database": "up"}


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


def test_trailing_slash_is_served_without_redirect(client, auth):
    for path in ("/api/clients", "/api/clients/", "/api/auth/me/"):
        response = client.get(path, headers=auth)
        assert response.status_code == 200, path


def test_cors_preflight_needs_no_auth(client):
    response = client.options(
        "/api/clients",
        headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "Authorization, Content-Type"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://app.example.com")
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_origins_are_configurable(mongo_uri, redis_uri):
    app = make_app(mongo_uri, redis_uri, CORS_ORIGINS=["https://allowed.example"])
    local = app.test_client()
    allowed = local.get("/health", headers={"Origin": "https://allowed.example"})
    denied = local.get("/health", headers={"Origin": "https://evil.example"})
    assert allowed.headers.get("Access-Control-Allow-Origin") == "https://allowed.example"
    assert "Access-Control-Allow-Origin" not in denied.headers


def test_openapi_document_validates_and_lists_every_route(client, app):
    spec = client.get("/openapi.json").get_json()
    validate(spec)
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops if method != "parameters"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "swagger_assets.swagger_asset", "metrics.metrics") or rule.endpoint.startswith("api-docs."):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            variants = {path, path.rstrip("/") or "/"}
            assert any((p, method) in documented for p in variants), f"{method} {path} is not documented"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_operation_has_a_summary(client):
    spec = client.get("/openapi.json").get_json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method != "parameters":
                assert op.get("summary"), f"{method.upper()} {path} has no summary"


def _documented(spec, path, method, status, content_type="application/json"):
    """A validator for the documented body of one response (refs resolved in the document)."""
    import jsonschema

    schema = spec["paths"][path][method]["responses"][str(status)]["content"][content_type]["schema"]
    return jsonschema.Draft202012Validator({**schema, "components": spec["components"]})


def test_documented_schemas_allow_the_nulls_real_responses_carry(client, auth):
    # A running timer with no rate anywhere: end_time, invoice_id, invoiced_at, effective_rate,
    # rate_source, client_id and hourly_rate are all null; a project without budgets has null
    # remaining_budget/remaining_hours. The fuzzer (make fuzz) found these documented as non-null.
    spec = client.get("/openapi.json").get_json()
    project = make_project(client, auth, name="No budget")
    entry = client.post("/api/time-tracking", json={"start_time": "2026-01-05T09:00:00Z", "project_id": project["_id"]}, headers=auth)
    assert entry.status_code == 201
    body = entry.get_json()
    assert body["invoiced_at"] is None and body["effective_rate"] is None and body["rate_source"] is None
    checks = [
        (_documented(spec, "/api/time-tracking/", "post", 201), body),
        (_documented(spec, "/api/time-tracking/{entry_id}", "get", 200), client.get(f"/api/time-tracking/{body['_id']}", headers=auth).get_json()),
        (_documented(spec, "/api/time-tracking/current", "get", 200), client.get("/api/time-tracking/current", headers=auth).get_json()),
        (_documented(spec, "/api/projects/{project_id}", "get", 200), client.get(f"/api/projects/{project['_id']}", headers=auth).get_json()),
    ]
    client.post(f"/api/time-tracking/{body['_id']}/stop", json={}, headers=auth)
    checks.append((_documented(spec, "/api/time-tracking/current", "get", 200), client.get("/api/time-tracking/current", headers=auth).get_json()))
    for validator, document in checks:
        assert list(validator.iter_errors(document)) == []


@pytest.mark.parametrize(("path", "content_type"), [
    ("/api/dashboard", "text/csv"), ("/api/reports/revenue", "text/csv"), ("/api/reports/hours", "text/csv"),
    ("/api/reports/aging", "text/csv"), ("/api/reports/clients", "text/csv"), ("/api/time-tracking/export.csv", "text/csv"),
    ("/api/invoices/export.csv", "text/csv"), ("/api/invoices/{invoice_id}/pdf", "application/pdf"),
    ("/api/contracts/{contract_id}/pdf", "application/pdf"), ("/api/resumes/{resume_id}/pdf", "application/pdf"),
    ("/api/resumes/{resume_id}/html", "text/html"),
])
def test_non_json_bodies_are_documented_with_their_content_type(client, path, content_type):
    spec = client.get("/openapi.json").get_json()
    assert content_type in spec["paths"][path]["get"]["responses"]["200"]["content"]


def test_swagger_ui_is_served_from_bundled_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in html
    asset = client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.get_data()) > 100_000


def test_migrations_are_recorded_and_a_second_run_changes_nothing(db):
    before = {doc["_id"] for doc in db.migrations.find()}
    assert "0001_accounts" in before
    assert apply_migrations(db) == []
    assert {doc["_id"] for doc in db.migrations.find()} == before


def test_ready_is_503_when_the_database_is_down(redis_uri):
    database = EmbeddedDatabase()
    database.start()
    try:
        app = make_app(database.uri, redis_uri, MONGO_TIMEOUT_MS=500)
        local = app.test_client()
        assert local.get("/ready").status_code == 200
        database.stop()
        response = local.get("/ready")
        body = assert_error_shape(response, 503)
        assert body["database"] == "down"
        assert local.get("/health").status_code == 200
    finally:
        database.cleanup()


def test_production_refuses_to_start_without_a_jwt_secret(monkeypatch):
    monkeypatch.setenv("ORBIX_ENV", "production")
    monkeypatch.delenv("JWT_SECRET_KEY", raising=False)
    with pytest.raises(config_module.ConfigError, match="JWT_SECRET_KEY"):
        config_module.load_config()


def test_development_generates_one_secret_per_data_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("ORBIX_ENV", "development")
    monkeypatch.delenv("JWT_SECRET_KEY", raising=False)
    monkeypatch.setenv("ORBIX_INSTANCE_DIR", str(tmp_path))
    first = config_module.load_config()["JWT_SECRET_KEY"]
    assert len(first) >= 32
    assert config_module.load_config()["JWT_SECRET_KEY"] == first
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o077 == 0


def test_partial_updates_still_validate_nested_items(client, auth):
    """PUT/PATCH make top-level fields optional, never the fields of a nested item that is sent."""
    template = make_contract_template(client, auth)
    response = client.put(f"/api/contracts/templates/{template['_id']}",
                          json={"variables": [{"label": "No name", "type": "text"}]}, headers=auth)
    body = assert_error_shape(response, 422)
    assert "name" in body["errors"]["json"]["variables"]["0"]
    resume = make_resume(client, auth, {"title": "CV", "personal_info": {"full_name": "Ada"}})
    partial_info = client.patch(f"/api/resumes/{resume['_id']}", json={"personal_info": {"email": "a@b.co"}}, headers=auth)
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


def test_production_refuses_per_process_rate_limit_storage(mongo_uri):
    with pytest.raises(config_module.ConfigError, match="RATELIMIT_STORAGE_URI"):
        make_app(mongo_uri, "memory://", PRODUCTION=True)


def test_a_malformed_rate_limit_stops_start_up(mongo_uri, redis_uri):
    """flask-limiter would swallow the parse error on every request and limit nothing."""
    with pytest.raises(config_module.ConfigError, match="RATELIMIT_AUTH"):
        make_app(mongo_uri, redis_uri, RATELIMIT_AUTH="ten per minute")
