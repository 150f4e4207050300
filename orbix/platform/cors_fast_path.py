"""flask-cors, answered once for requests that carry no ``Origin``.

flask-cors evaluates its options on every response (resource patterns, origin lists, a
MultiDict of headers): ~0.03 ms, the largest single piece of what ``/health`` costs over bare
Flask (bench/README.md). Without an ``Origin`` header (servers, scripts, health checks, anything
but a browser's cross-origin call) and outside a preflight, what it adds depends on nothing but
the options, so it is computed once, by flask-cors itself, and added as it would add it. Every
other request (a browser's, an ``OPTIONS``, an answer that already carries CORS headers) goes
through flask-cors unchanged. Only for the one catch-all resource Orbix configures; anything else
keeps flask-cors for every request.

These headers are added to ``response.headers``, not filed with ``platform.response_headers``:
flask-cors also adds its headers to a 500 answer after the hooks ran for it, unless it finds
them there.
"""

from flask import Response, request

ALLOW_ORIGIN = "Access-Control-Allow-Origin"
ALLOW_ORIGIN_LOWER = ALLOW_ORIGIN.lower()
CATCH_ALL = r"/*"


def _flask_cors_hook(app):
    hooks = app.after_request_funcs.get(None, [])
    return next((hook for hook in hooks if hook.__name__ == "cors_after_request"), None)


def _headers_without_origin(app, hook):
    """What flask-cors adds to a plain GET without ``Origin``, asked of flask-cors itself."""
    with app.test_request_context("/", method="GET"):
        response = Response()
        before = len(response.headers)
        return tuple(hook(response).headers.items())[before:]  # flask-cors appends what it adds


def _carries_cors(response):
    """Whether the view set CORS headers itself (``ALLOW_ORIGIN in response.headers``, faster)."""
    return any(name.lower() == ALLOW_ORIGIN_LOWER for name, _value in response.headers)


def init_cors_fast_path(app, resources):
    """Wrap flask-cors' after-request hook (call after ``cors.init_app`` with ``resources``)."""
    hook = _flask_cors_hook(app)
    if hook is None or list(resources) != [CATCH_ALL]:
        return
    constant = _headers_without_origin(app, hook)

    def cors_after_request(response):
        current = request._get_current_object()
        if "HTTP_ORIGIN" in current.environ or current.method == "OPTIONS" or _carries_cors(response):
            return hook(response)
        for name, value in constant:
            response.headers.add(name, value)
        return response

    cors_after_request.flask_cors_hook = hook
    hooks = app.after_request_funcs[None]
    hooks[hooks.index(hook)] = cors_after_request
    app.extensions["orbix.cors_fast_path"] = constant
