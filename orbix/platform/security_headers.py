"""Security headers on every response, with a CSP that still lets Swagger UI run."""

from flask import request

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# Swagger UI's bundle injects inline styles and its page has an inline init script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'"
)
# Rendered documents (resume HTML) carry their own inline styles and nothing else.
HTML_DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'none'"


# Set on every response unless the view set its own; CSP and HSTS depend on the request.
FIXED = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")


def init_security_headers(app):
    @app.after_request
    def _headers(response):
        if request.path.startswith("/docs"):
            csp = DOCS_CSP
        elif response.mimetype == "text/html":
            csp = HTML_DOCUMENT_CSP
        else:
            csp = API_CSP
        wanted = [*FIXED, ("Content-Security-Policy", csp)]
        if request.is_secure:
            wanted.append(HSTS)
        headers = response.headers
        # One pass over the headers (each ``setdefault`` would scan them all again).
        present = {name.lower() for name, _value in headers.items()}
        for name, value in wanted:
            if name.lower() not in present:
                headers.add(name, value)
        if "server" in present:
            headers.pop("Server", None)
        return response
