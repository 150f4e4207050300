"""Pay now in a real browser (Debian's Chromium, tests/browser.py): shown only when Stripe is
connected and something is due, and a click lands on Stripe Checkout (stripe-mock's session URL;
checkout.stripe.com itself is answered by a stand-in inside the browser, the sandbox having no
internet) without the page's CSP getting in the way."""

from tests.browser import Api, open_page
from tests.factories import STRIPE_KEY, STRIPE_WEBHOOK_SECRET

CHECKOUT = "https://checkout.stripe.com/"


def _shared_invoice(api, **fields):
    """(invoice, public URL) of a sent invoice of 250.00 EUR."""
    client = api.call("POST", "/api/clients", 201, json={"name": "Acme Ltd", "email": "billing@acme.io"})
    invoice = api.call("POST", "/api/invoices", 201, json={
        "client_id": client["_id"], "currency": "EUR", "due_date": "2099-01-31",
        "items": [{"description": "Design work", "quantity": 5, "rate": 50}], **fields})
    api.call("PUT", f"/api/invoices/{invoice['_id']}", json={"status": "sent"})
    return invoice, api.call("POST", f"/api/invoices/{invoice['_id']}/public-link", 201)["url"]


def test_pay_now_appears_once_connected_and_leads_to_stripe_checkout(browser, live_url, stripe_api):
    api = Api(live_url)
    invoice, url = _shared_invoice(api)
    context, page, _requested, _response = open_page(browser, url)
    assert page.locator("#pay-now").count() == 0
    api.call("PUT", "/api/payments/stripe", json={"secret_key": STRIPE_KEY, "webhook_secret": STRIPE_WEBHOOK_SECRET})
    page.reload()
    assert page.get_by_role("link", name="Pay now").is_visible()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    context.route(CHECKOUT + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Stripe Checkout stand-in</title>"))
    page.get_by_role("link", name="Pay now").click()
    page.wait_for_url(CHECKOUT + "**")
    assert page.title() == "Stripe Checkout stand-in" and refused == []
    [sent] = stripe_api.form("/v1/checkout/sessions")
    assert sent["line_items[0][price_data][unit_amount]"] == "25000"
    assert sent["metadata[invoice_id]"] == invoice["_id"]
    context.close()


def test_no_pay_now_on_a_paid_invoice(browser, live_url, stripe_api):
    api = Api(live_url)
    api.call("PUT", "/api/payments/stripe", json={"secret_key": STRIPE_KEY, "webhook_secret": STRIPE_WEBHOOK_SECRET})
    invoice, url = _shared_invoice(api)
    api.call("POST", f"/api/invoices/{invoice['_id']}/payments", 201, json={"amount": 250})
    context, page, _requested, _response = open_page(browser, url)
    assert page.locator("#paid").is_visible() and page.locator("#pay-now").count() == 0
    context.close()
