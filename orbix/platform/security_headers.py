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


def init_security_headers(app):
    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.path.startswith("/docs"):
            csp = DOCS_CSP
        elif response.mimetype == "text/html":
            csp = HTML_DOCUMENT_CSP
        else:
            csp = API_CSP
        headers.setdefault("Content-Security-Policy", csp)
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        headers.pop("Server", None)
        return response
