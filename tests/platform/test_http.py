"""HTTP around every endpoint: routing, CORS and security headers."""

from tests.conftest import make_app


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


def test_security_headers_on_api_and_docs(client):
    api = client.get("/health")
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    assert api.headers["X-Frame-Options"] == "DENY"
    assert api.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in api.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in api.headers
    assert "Server" not in api.headers
    docs = client.get("/docs")
    assert "script-src 'self'" in docs.headers["Content-Security-Policy"]
    secure = client.get("/health", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
