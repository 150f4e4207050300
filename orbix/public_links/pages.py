"""What every public page shares: the blueprint serving their stylesheet, the HTML response
(no caching, no indexing) and the 404 page.

Pages are server-rendered Jinja (autoescaped) with no JavaScript; their blueprints come from
``platform.security_headers.page_blueprint``, so every answer, the 404 page included, carries
the strict page CSP (``style-src 'self'``: the stylesheet below, served by us)."""

from flask import make_response, render_template, request

from ..platform.security_headers import page_blueprint

# Serves /public/page.css (endpoint ``public_pages.static``) and the shared templates.
blp = page_blueprint(
    "public_pages", __name__, static_folder="static", static_url_path="/public", template_folder="templates"
)

PAGE_HEADERS = {
    # The URL is the secret: no shared cache may keep the page, no search engine list it.
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def html_page(template, context=None, status=200):
    """A rendered page of ``template`` (under a ``templates`` folder of a page blueprint)."""
    response = make_response(render_template(template, **(context or {})), status)
    response.headers.update(PAGE_HEADERS)
    return response


def not_found_page(_error=None):
    """The one answer to a wrong, revoked or unknown link: a plain 404 page."""
    return html_page("public_links/not_found.html", status=404)


# What a browser says about where a form post comes from (Fetch Metadata; sent by every current browser).
CROSS_SITE = ("cross-site", "same-site")


def cross_site_post():
    """Whether this form post was sent from another site's page. A public page's form has no
    ambient authority to abuse (no cookie, no session: the token in the path is the secret, and
    whoever holds it can post directly), so this is defence in depth against a page that learnt
    a link making its visitor's browser sign or decline: refused when ``Sec-Fetch-Site`` names
    another site, or ``Origin`` names another origin (``null``, what a page with
    ``Referrer-Policy: no-referrer`` sends, and no header at all, are accepted)."""
    if request.headers.get("Sec-Fetch-Site") in CROSS_SITE:
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and origin != "null" and origin != f"{request.scheme}://{request.host}"
