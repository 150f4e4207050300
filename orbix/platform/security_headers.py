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


def _is_html(response):
    """``response.mimetype == "text/html"`` without parsing the header's parameters."""
    return response.headers.get("Content-Type", "").partition(";")[0].strip().lower() == "text/html"


def _header_set(csp, secure):
    """The headers to add for ``csp`` (and HSTS over HTTPS), with their lower-case names."""
    wanted = (*FIXED, ("Content-Security-Policy", csp), *((HSTS,) if secure else ()))
    return tuple((name.lower(), name, value) for name, value in wanted)


def _header_sets():
    """Every known policy's header set, built once."""
    return {(csp, secure): _header_set(csp, secure)
            for csp in (API_CSP, DOCS_CSP, HTML_DOCUMENT_CSP, PAGE_CSP) for secure in (False, True)}


def init_security_headers(app):
    header_sets = _header_sets()
    page_csps = {}  # blueprint name -> its policy, looked up once per blueprint

    @app.after_request
    def _headers(response):
        current = request._get_current_object()  # one context lookup, not one per attribute
        blueprint = current.blueprint
        if blueprint not in page_csps:
            page_csps[blueprint] = getattr(app.blueprints.get(blueprint), "content_security_policy", None)
        csp = page_csps[blueprint]
        if csp is None:
            if current.path.startswith("/docs"):
                csp = DOCS_CSP
            elif _is_html(response):
                csp = HTML_DOCUMENT_CSP
            else:
                csp = API_CSP
        wanted = header_sets.get((csp, current.is_secure))
        if wanted is None:  # a page blueprint's own policy
            wanted = header_sets[csp, current.is_secure] = _header_set(csp, current.is_secure)
        headers = response.headers
        # One pass over the headers (each ``setdefault`` would scan them all again).
        present = {name.lower() for name, _value in headers.items()}
        for lower, name, value in wanted:
            if lower not in present:
                headers.add(name, value)
        if "server" in present:
            headers.pop("Server", None)
        return response
