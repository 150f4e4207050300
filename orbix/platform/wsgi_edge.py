"""What the app does outside Flask, in one WSGI middleware around Flask's ``wsgi_app``.

- ``/api/clients/`` is served as ``/api/clients``, never redirected (a redirect breaks a
  browser's CORS preflight).
- The headers hooks filed for this request (``platform.response_headers``) are appended to the
  answer after werkzeug has built the rest.
- After the app refused a body with 413, the unread rest of it is drained before the answer is
  written, so the client can read it (``platform.input_guard``).

One layer instead of three: each layer was another call and another ``start_response`` closure
on every request, ~3 us of a ``/health`` answer's ~30 us over bare Flask (bench/README.md).
"""

from .input_guard import drain_refused_body
from .response_headers import append_filed

REFUSED_KEY = "orbix.refused_body"  # in the WSGI environ: the answer being started is a 413


class WsgiEdge:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if len(path) > 1 and path.endswith("/"):
            environ["PATH_INFO"] = path.rstrip("/") or "/"

        def start(status, headers, exc_info=None):
            append_filed(environ, headers)
            environ[REFUSED_KEY] = status.startswith("413")  # the last start decides (an error may restart)
            return start_response(status, headers, exc_info)

        body = self.app(environ, start)
        if environ.get(REFUSED_KEY):
            drain_refused_body(environ)
        return body
