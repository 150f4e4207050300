"""Security headers on every response, with a CSP that still lets Swagger UI run.

The CSP depends on what is answered: API responses allow nothing, ``/docs`` what Swagger UI
needs, HTML documents (resume HTML) their inline styles. A blueprint serving pages to people
(the public invoice page) declares its own policy as ``content_security_policy`` (see
``page_blueprint``), which every response of that blueprint, its error pages included, gets.
"""

from flask import Blueprint, request

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# Swagger UI's bundle injects inline styles and its page has an inline init script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'"
)
# Rendered documents (resume HTML) carry their own inline styles and nothing else.
HTML_DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'none'"
# Public pages (``/i/<token>``): no script at all, our own stylesheet, images from us or inline
# (the payment QR code), forms posting only back to us, never framed.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


# Set on every response unless the view set its own; CSP and HSTS depend on the request.
FIXED = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")


def page_blueprint(name, import_name, csp=PAGE_CSP, **kwargs):
    """A plain Flask blueprint whose responses all carry ``csp`` (pages for people, not API)."""
    blueprint = Blueprint(name, import_name, **kwargs)
    blueprint.content_security_policy = csp
    return blueprint


def init_security_headers(app):
    @app.after_request
    def _headers(response):
        page_csp = getattr(app.blueprints.get(request.blueprint), "content_security_policy", None)
        if page_csp:
            csp = page_csp
        elif request.path.startswith("/docs"):
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
