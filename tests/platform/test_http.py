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


PLATFORM_HEADERS = ("X-Request-ID", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                    "Cross-Origin-Opener-Policy", "Content-Security-Policy", "Access-Control-Allow-Origin")


def test_a_header_the_view_sets_is_not_sent_twice(mongo_uri, redis_uri):
    app = make_app(mongo_uri, redis_uri)
    app.add_url_rule("/framed", "framed", lambda: ({"ok": True}, 200, {"X-Frame-Options": "SAMEORIGIN"}))
    response = app.test_client().get("/framed")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # the others still come


def test_an_answer_that_fails_in_a_hook_carries_each_platform_header_once(mongo_uri, redis_uri, monkeypatch):
    """The platform's headers are appended to the WSGI answer (``platform.response_headers``);
    when an after-request hook fails, Flask runs the hooks again for the 500: nothing twice."""
    app = make_app(mongo_uri, redis_uri)
    calls = []

    def observe_fails_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("metrics backend broke")

    monkeypatch.setattr("orbix.platform.metrics.observe", observe_fails_once)
    response = app.test_client().get("/health")
    assert response.status_code == 500 and len(calls) == 2
    for name in PLATFORM_HEADERS:
        assert len(response.headers.getlist(name)) == 1, name
