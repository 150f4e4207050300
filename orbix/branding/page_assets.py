"""The account's logo and accent colour on a public page (invoice, estimate, contract): served
from our origin under the page's own token (``<page path><token>/logo`` and ``/brand.css``), so
the strict page CSP (``img-src 'self'``, ``style-src 'self'``) holds and nothing is inline.
Without a logo there is no image and ``/logo`` is 404; an unknown token is 404 for both."""

from flask import make_response, url_for

from ..common.exceptions import not_found
from ..public_links.pages import PAGE_HEADERS
from .style import has_logo, logo_of, style_for

LOGO_ENDPOINT = "page_logo"
CSS_ENDPOINT = "page_brand_css"


def _asset(body, mimetype):
    response = make_response(body)
    response.mimetype = mimetype
    response.headers.update(PAGE_HEADERS)
    return response


def add_routes(blp, path, owner_of):
    """Register the logo and stylesheet routes of the pages ``blp`` serves at ``<path><token>``;
    ``owner_of(token)``: the account behind a live token (raising NotFound otherwise)."""

    def page_logo(token):
        logo = logo_of(owner_of(token))
        if logo is None:
            not_found("Logo")
        return _asset(logo[1], logo[0])

    def page_brand_css(token):
        style = style_for(owner_of(token), with_logo=False)
        return _asset(f":root{{--accent:{style.accent}}}\n", "text/css")

    blp.add_url_rule(f"{path}<token>/logo", LOGO_ENDPOINT, page_logo, methods=["GET"])
    blp.add_url_rule(f"{path}<token>/brand.css", CSS_ENDPOINT, page_brand_css, methods=["GET"])


def urls(blp_name, token, user):
    """Template values of a page: ``logo_url`` (None without a logo) and ``brand_css_url``."""
    return {
        "logo_url": url_for(f"{blp_name}.{LOGO_ENDPOINT}", token=token) if has_logo(user) else None,
        "brand_css_url": url_for(f"{blp_name}.{CSS_ENDPOINT}", token=token),
    }
