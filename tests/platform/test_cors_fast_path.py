"""The CORS fast path (orbix.platform.cors_fast_path): requests without Origin get exactly
what flask-cors would add, computed once; every other request still goes through flask-cors."""

import pytest

from ..conftest import make_app

PATHS = ["/health", "/api/clients", "/api/nothing-here", "/docs"]


@pytest.fixture(params=[["*"], ["https://app.example.com", "https://admin.example.com"]], ids=["any", "listed"])
def apps(request, mongo_uri, redis_uri, monkeypatch):
    """Two apps with the same CORS origins: one as configured, one with flask-cors' own hook."""
    fast = make_app(mongo_uri, redis_uri, CORS_ORIGINS=request.param)
    with monkeypatch.context() as patched:
        patched.setattr("orbix.app.init_cors_fast_path", lambda app, resources: None)
        plain = make_app(mongo_uri, redis_uri, CORS_ORIGINS=request.param)
    assert "orbix.cors_fast_path" not in plain.extensions
    return fast, plain


def cors_headers(response):
    return [(name, value) for name, value in response.headers.items()
            if name.startswith("Access-Control") or name == "Vary"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("headers", [{}, {"Origin": "https://app.example.com"}, {"Origin": "https://evil.example"}],
                         ids=["no-origin", "allowed-origin", "other-origin"])
def test_the_same_cors_headers_as_flask_cors(apps, path, headers):
    fast, plain = apps
    assert fast.extensions.get("orbix.cors_fast_path")  # the fast path is on (flask-cors' hook was found)
    expected = cors_headers(plain.test_client().get(path, headers=headers))
    assert cors_headers(fast.test_client().get(path, headers=headers)) == expected


def test_a_preflight_still_goes_through_flask_cors(apps):
    fast, plain = apps
    headers = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "Authorization, Content-Type"}
    expected = cors_headers(plain.test_client().options("/api/clients", headers=headers))
    assert cors_headers(fast.test_client().options("/api/clients", headers=headers)) == expected
