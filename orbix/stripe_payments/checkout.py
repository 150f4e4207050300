""""Pay now" on the public invoice page: a Stripe Checkout Session for the balance due.

The page links to ``GET /i/<token>/pay`` (a link, not a form: the page's CSP allows forms to
post only to us, and Chromium applies ``form-action`` to the redirect after a submission too),
which creates the session on the freelancer's account and answers 303 to Stripe's page. The
amount is the balance due when the link is followed (a part-paid invoice pays what is left), in
the invoice's currency, as Stripe counts it (``amounts``). The invoice and its owner travel as
metadata of the session and of its payment intent, which is how the webhook finds the invoice.
Following the link again within the hour, for the same balance, gives the same session
(Stripe's idempotency key), so a double click does not open two payments.
"""

import hashlib

from ..common.timeutil import utcnow
from ..invoices import lifecycle, payments
from . import accounts, amounts, gateway


def _card_payment(invoice):
    """(Stripe account, Stripe's amount of the balance due) when the invoice can be paid by card
    now: open, something due, the owner taking payments, an amount Stripe can charge."""
    balance = payments.balance(invoice)  # credit notes reduce it too
    if lifecycle.effective_status(invoice) not in lifecycle.OPEN or balance <= 0:
        return None
    account = accounts.ready(invoice["user_id"])
    amount = amounts.to_stripe(balance, invoice["currency"]) if account else None
    return (account, amount) if amount else None


def payable_by_card(invoice):
    return _card_payment(invoice) is not None


def session_url(invoice, token, page_url):
    """The Checkout Session URL paying the balance due, or None when there is nothing to pay by card."""
    payment = _card_payment(invoice)
    if payment is None:
        return None
    account, amount = payment
    number, invoice_id = invoice["invoice_number"], str(invoice["_id"])
    metadata = {"invoice_id": invoice_id, "user_id": str(invoice["user_id"]), "invoice_number": number}
    params = {
        "mode": "payment",
        "line_items": [{"quantity": 1, "price_data": {
            "currency": invoice["currency"].lower(), "unit_amount": amount,
            "product_data": {"name": f"Invoice {number}"}}}],
        "client_reference_id": invoice_id,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": f"Invoice {number}"},
        "success_url": f"{page_url}?payment=done",
        "cancel_url": page_url,
    }
    email = (invoice.get("client") or {}).get("email")
    if email:
        params["customer_email"] = email
    hour = utcnow().strftime("%Y%m%d%H")
    link = hashlib.sha256(token.encode()).hexdigest()[:16]
    key = f"orbix-checkout-{invoice_id}-{invoice.get('amount_paid', 0)}-{amount}-{link}-{hour}"
    return gateway.create_checkout_session(accounts.secret(account, "secret_key"), params, key)["url"]
