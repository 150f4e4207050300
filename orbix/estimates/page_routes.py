"""The public estimate page: ``/e/<token>`` (HTML), ``/e/<token>/pdf``, and the client's answer
``POST /e/<token>/accept`` and ``POST /e/<token>/decline`` (plain HTML forms, no JavaScript).

A page blueprint (strict page CSP, ``form-action 'self'``), rate-limited per client IP like
every anonymous route. The token in the path is the secret, so a form cannot be forged without
it; a browser's cross-site POST is refused besides (403) by its ``Origin`` (unless ``null``,
what browsers send under our ``no-referrer`` policy) or ``Sec-Fetch-Site`` header, when present.
An answer renders the page as it now stands; a second answer changes nothing."""

from urllib.parse import urlsplit

from flask import request, url_for

from ..branding import page_assets
from ..common.exceptions import Conflict, NotFound
from ..platform.downloads import pdf_response
from ..platform.security_headers import page_blueprint
from ..public_links.pages import html_page, not_found_page
from . import sharing
from .page import page_context
from .pdf import estimate_pdf as estimate_pdf_bytes

blp = page_blueprint("estimate_pages", __name__, template_folder="templates")
blp.register_error_handler(NotFound, not_found_page)
page_assets.add_routes(blp, sharing.PAGE_PATH, lambda token: sharing.shared_estimate(token)[1])

REASON_MAX = 2000
SAME_SITE = ("same-origin", "none")  # Sec-Fetch-Site values of a form on our own page, or typed


def _page(token, view, user, status=200, error=None):
    context = {
        **page_context(view, user),
        "pdf_url": url_for(".estimate_pdf", token=token),
        "accept_url": url_for(".accept_estimate", token=token),
        "decline_url": url_for(".decline_estimate", token=token),
        "reason_max": REASON_MAX,
        "error": error,
        **page_assets.urls(blp.name, token, user),
    }
    return html_page("estimates/public_page.html", context, status)


def _cross_site():
    """Whether the browser says this POST came from another site."""
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in SAME_SITE:
        return True
    origin = request.headers.get("Origin")
    return bool(origin and origin != "null" and urlsplit(origin).netloc != request.host)


@blp.route(sharing.PAGE_PATH + "<token>", methods=["GET"])
def estimate_page(token):
    view, user = sharing.shared_estimate(token, count_view=request.method == "GET")
    return _page(token, view, user)


@blp.route(sharing.PAGE_PATH + "<token>/pdf", methods=["GET"])
def estimate_pdf(token):
    view, user = sharing.shared_estimate(token)
    return pdf_response(estimate_pdf_bytes(view, user), f"{view['estimate_number']}.pdf", inline=False)


def _answer(token, accept):
    if _cross_site():
        view, user = sharing.shared_estimate(token)
        return _page(token, view, user, 403, "This answer did not come from this page; nothing was changed.")
    reason = (request.form.get("reason") or "").strip() or None
    if reason and len(reason) > REASON_MAX:
        view, user = sharing.shared_estimate(token)
        return _page(token, view, user, 422, f"The reason may be at most {REASON_MAX} characters.")
    try:
        view, user, _recorded = sharing.respond(token, accept, None if accept else reason)
    except Conflict as exc:
        view, user = sharing.shared_estimate(token)
        return _page(token, view, user, 409, exc.message)
    return _page(token, view, user)


@blp.route(sharing.PAGE_PATH + "<token>/accept", methods=["POST"])
def accept_estimate(token):
    return _answer(token, accept=True)


@blp.route(sharing.PAGE_PATH + "<token>/decline", methods=["POST"])
def decline_estimate(token):
    return _answer(token, accept=False)
