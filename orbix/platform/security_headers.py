"""Security headers on every response, with a CSP that still lets Swagger UI run.

The CSP depends on what is answered: API responses allow nothing, ``/docs`` what Swagger UI
needs, HTML documents (resume HTML) their inline styles. A blueprint serving pages to people
(the public invoice page) declares its own policy as ``content_security_policy`` (see
``page_blueprint``), which every response of that blueprint, its error pages included, gets.
"""

from typing import NamedTuple

from flask import Blueprint, request

from .response_headers import add_later

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


def _is_html(content_type):
    """Whether a Content-Type value is ``text/html`` (parameters aside)."""
    return content_type.partition(";")[0].strip().lower() == "text/html"


class HeaderSet(NamedTuple):
    """What one policy adds: (lower-case name, name, value) triples, the lower-case names, and
    the (name, value) pairs sent when the view set none of them."""
    triples: tuple
    names: frozenset
    pairs: tuple


def _header_set(csp, secure):
    """The headers to add for ``csp`` (and HSTS over HTTPS)."""
    wanted = (*FIXED, ("Content-Security-Policy", csp), *((HSTS,) if secure else ()))
    return HeaderSet(tuple((name.lower(), name, value) for name, value in wanted),
                     frozenset(name.lower() for name, _value in wanted), wanted)


def _header_sets():
    """Every known policy's header set, built once."""
    return {(csp, secure): _header_set(csp, secure)
            for csp in (API_CSP, DOCS_CSP, HTML_DOCUMENT_CSP, PAGE_CSP) for secure in (False, True)}


def init_security_headers(app):
    header_sets = _header_sets()
    page_csps = {}  # endpoint -> its blueprint's policy, looked up once per endpoint

    @app.after_request
    def _headers(response):
        current = request._get_current_object()  # one context lookup, not one per attribute
        endpoint = current.endpoint
        if endpoint not in page_csps:
            blueprint = app.blueprints.get((endpoint or "").rpartition(".")[0])
            page_csps[endpoint] = getattr(blueprint, "content_security_policy", None)
        headers = response.headers
        present = {name.lower(): value for name, value in headers}  # one pass over what the view set
        csp = page_csps[endpoint]
        if csp is None:
            if current.path.startswith("/docs"):
                csp = DOCS_CSP
            elif _is_html(present.get("content-type", "")):
                csp = HTML_DOCUMENT_CSP
            else:
                csp = API_CSP
        key = (csp, current.is_secure)
        wanted = header_sets.get(key)
        if wanted is None:  # a page blueprint's own policy
            wanted = header_sets[key] = _header_set(*key)
        if wanted.names.isdisjoint(present):
            add_later(current.environ, "security", wanted.pairs)
        else:  # the view set some itself
            add_later(current.environ, "security",
                      tuple((name, value) for lower, name, value in wanted.triples if lower not in present))
        if "server" in present:
            headers.pop("Server", None)
        return response
