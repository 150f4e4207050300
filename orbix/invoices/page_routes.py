"""The public invoice page: ``/i/<token>`` (HTML) and ``/i/<token>/pdf``, opened by the
client from the link in the invoice e-mail, with no login, and the page's branding:
``/i/<token>/logo`` (the account's logo) and ``/i/<token>/brand.css`` (its accent colour).

A plain Flask blueprint (pages for people, not part of the API or its OpenAPI document) from
``page_blueprint``, so every answer carries the strict page CSP: the logo and the colour are
served from our origin under the page's own token (``img-src 'self'``, ``style-src 'self'``),
never from another host and never inline. Anonymous, so rate-limited per client IP
(``RATELIMIT_DEFAULT``, per endpoint). A wrong, revoked or unknown token is a plain HTML 404
page. Only a GET of the page counts as a view (not HEAD, the PDF, the logo or the stylesheet)."""

from flask import request, url_for

from ..branding import page_assets
from ..branding.style import style_for
from ..common.exceptions import NotFound
from ..platform.downloads import pdf_response
from ..platform.security_headers import page_blueprint
from ..public_links.pages import html_page, not_found_page
from . import sharing
from .page import page_context
from .pdf import invoice_pdf as pdf_bytes

blp = page_blueprint("invoice_pages", __name__, template_folder="templates")
blp.register_error_handler(NotFound, not_found_page)


@blp.route(sharing.PAGE_PATH + "<token>", methods=["GET"])
def invoice_page(token):
    view, user = sharing.shared_invoice(token, count_view=request.method == "GET")
    context = page_context(view, user, style_for(user, view["client"], with_logo=False))
    return html_page("invoices/public_page.html", {
        **context,
        "pdf_url": url_for(".invoice_pdf", token=token),
        "pay_url": url_for("payment_pages.pay", token=token),
        # Back from Stripe Checkout: the payment is recorded when Stripe's webhook arrives.
        "payment_returned": request.args.get("payment") == "done" and not context["paid"],
        **page_assets.urls(blp.name, token, user),
    })


@blp.route(sharing.PAGE_PATH + "<token>/pdf", methods=["GET"])
def invoice_pdf(token):
    view, user = sharing.shared_invoice(token)
    return pdf_response(pdf_bytes(view, user), f"{view['invoice_number']}.pdf", inline=False)


page_assets.add_routes(blp, sharing.PAGE_PATH, lambda token: sharing.shared_invoice(token)[1])
