"""Online card payments with Stripe, on the freelancer's own Stripe account.

Owns ``stripe_accounts`` (one per user: the encrypted secret key and webhook signing secret,
the random ``webhook_id`` of the user's webhook URL), ``stripe_events`` (one per Stripe event
handled: the claim that makes each event count once) and ``stripe_payments`` (one per
payment intent recorded: the claim that makes each payment count once, whichever of its events
comes first, and the link from a refund back to the payment). Payments themselves are recorded
through ``invoices.service`` like any other.
"""

STRIPE_ACCOUNTS = "stripe_accounts"
STRIPE_EVENTS = "stripe_events"
STRIPE_PAYMENTS = "stripe_payments"

# What to select when adding the webhook endpoint in the Stripe Dashboard (see webhook.py).
WEBHOOK_EVENTS = ("checkout.session.completed", "payment_intent.succeeded", "charge.refunded")
WEBHOOK_PATH = "/api/payments/stripe/webhook/"
