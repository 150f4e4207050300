"""``GET /i/<token>/pay``: the public invoice page's "Pay now" link, answered 303 to a Stripe
Checkout page (see ``checkout``), or back to the invoice page when nothing is to be paid by card
any more (paid meanwhile, Stripe disconnected). Stripe unreachable or refusing is a small HTML
page saying so (503/502), with the page's headers. A HEAD (a link preview) creates nothing."""

from flask import redirect, request

from ..common.exceptions import NotFound, Unavailable, UpstreamFailed
from ..invoices import sharing
from ..platform.public_urls import public_base_url
from ..platform.security_headers import page_blueprint
from ..public_links.pages import PAGE_HEADERS, html_page, not_found_page
from . import checkout

blp = page_blueprint("payment_pages", __name__, template_folder="templates")
blp.register_error_handler(NotFound, not_found_page)


@blp.route(sharing.PAGE_PATH + "<token>/pay", methods=["GET"])
def pay(token):
    view, _user = sharing.shared_invoice(token)
    page_url = sharing.page_url(public_base_url(), token)
    try:
        url = checkout.session_url(view, token, page_url) if request.method == "GET" else None
    except (Unavailable, UpstreamFailed) as error:
        return html_page("stripe_payments/unavailable.html", {"reason": error.message, "page_url": page_url},
                         status=error.status)
    response = redirect(url or page_url, 303)
    response.headers.update(PAGE_HEADERS)
    return response
