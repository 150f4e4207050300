"""The OpenAPI document and the Swagger UI: every route documented, as it really answers."""

import pytest
from openapi_spec_validator import validate

from tests.factories import make_project

# Blueprints of HTML pages for people (public links): not API, so not in the OpenAPI document.
PAGE_BLUEPRINTS = ("public_pages", "invoice_pages", "payment_pages", "contract_pages", "estimate_pages")


def test_openapi_document_validates_and_lists_every_route(client, app):
    spec = client.get("/openapi.json").get_json()
    validate(spec)
    documented = {
        (path, method.upper()) for path, ops in spec["paths"].items() for method in ops if method != "parameters"
    }
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "swagger_assets.swagger_asset", "metrics.metrics") or rule.endpoint.startswith(
            "api-docs."
        ) or rule.endpoint.split(".")[0] in PAGE_BLUEPRINTS:
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            variants = {path, path.rstrip("/") or "/"}
            assert any((p, method) in documented for p in variants), f"{method} {path} is not documented"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_undocumented_page_routes_are_html_pages_outside_the_api(app):
    pages = [rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in PAGE_BLUEPRINTS]
    routes = {rule.rule: rule.methods - {"HEAD", "OPTIONS"} for rule in pages}
    assert routes == {"/i/<token>": {"GET"}, "/i/<token>/pdf": {"GET"}, "/public/<path:filename>": {"GET"},
                      "/i/<token>/pay": {"GET"}, "/i/<token>/brand.css": {"GET"}, "/i/<token>/logo": {"GET"},
                      "/c/<token>": {"GET"}, "/c/<token>/pdf": {"GET"}, "/c/<token>/sign": {"POST"},
                      "/c/<token>/decline": {"POST"},
                      "/e/<token>": {"GET"}, "/e/<token>/pdf": {"GET"}, "/e/<token>/accept": {"POST"},
                      "/e/<token>/decline": {"POST"}, "/e/<token>/brand.css": {"GET"}, "/e/<token>/logo": {"GET"},
                      "/c/<token>/brand.css": {"GET"}, "/c/<token>/logo": {"GET"}}


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
    entry = client.post(
        "/api/time-tracking", json={"start_time": "2026-01-05T09:00:00Z", "project_id": project["_id"]}, headers=auth
    )
    assert entry.status_code == 201
    body = entry.get_json()
    assert body["invoiced_at"] is None and body["effective_rate"] is None and body["rate_source"] is None
    checks = [
        (_documented(spec, "/api/time-tracking/", "post", 201), body),
        (
            _documented(spec, "/api/time-tracking/{entry_id}", "get", 200),
            client.get(f"/api/time-tracking/{body['_id']}", headers=auth).get_json(),
        ),
        (
            _documented(spec, "/api/time-tracking/current", "get", 200),
            client.get("/api/time-tracking/current", headers=auth).get_json(),
        ),
        (
            _documented(spec, "/api/projects/{project_id}", "get", 200),
            client.get(f"/api/projects/{project['_id']}", headers=auth).get_json(),
        ),
    ]
    client.post(f"/api/time-tracking/{body['_id']}/stop", json={}, headers=auth)
    checks.append(
        (
            _documented(spec, "/api/time-tracking/current", "get", 200),
            client.get("/api/time-tracking/current", headers=auth).get_json(),
        )
    )
    for validator, document in checks:
        assert list(validator.iter_errors(document)) == []


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/dashboard", "text/csv"),
        ("/api/reports/revenue", "text/csv"),
        ("/api/reports/hours", "text/csv"),
        ("/api/reports/aging", "text/csv"),
        ("/api/reports/clients", "text/csv"),
        ("/api/time-tracking/export.csv", "text/csv"),
        ("/api/invoices/export.csv", "text/csv"),
        ("/api/invoices/{invoice_id}/pdf", "application/pdf"),
        ("/api/contracts/{contract_id}/pdf", "application/pdf"),
        ("/api/resumes/{resume_id}/pdf", "application/pdf"),
        ("/api/resumes/{resume_id}/html", "text/html"),
    ],
)
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
