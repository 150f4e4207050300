"""Headers the platform adds to every response (security headers, the request id), appended to
the header list the server receives.

Added through ``response.headers``, each header is checked when added and again when werkzeug
copies the headers into the WSGI answer (~1.5 us each, twice), for the six that every answer
carries. Here a hook files its headers under its own name in the WSGI environ (``add_later``)
and ``platform.wsgi_edge`` appends them after werkzeug has built the rest. Values are checked
once, where they are made: constants when the app is built, request ids by their pattern.

Hooks still decide from ``response.headers`` (a header the view set itself is not added again);
headers filed here are not in ``response.headers``, so only headers no other code adds after the
hooks belong here (not CORS: see ``platform.cors_fast_path``). A hook files under its own name,
replacing what it filed before, so when a failing hook turns the answer into a 500 and the hooks
run again for that one, nothing is sent twice.
"""

ENVIRON_KEY = "orbix.response_headers"


def add_later(environ, name, headers):
    """Send ``headers`` ((name, value) pairs, already valid) with this request's answer."""
    filed = environ.get(ENVIRON_KEY)
    if filed is None:
        environ[ENVIRON_KEY] = {name: headers}
    else:
        filed[name] = headers


def append_filed(environ, headers):
    """Append the headers filed for this request, in filing order, to ``headers`` (the list a
    WSGI ``start_response`` receives)."""
    filed = environ.get(ENVIRON_KEY)
    if filed:
        for group in filed.values():
            headers.extend(group)
