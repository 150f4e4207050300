"""Stripe's webhook: ``POST /api/payments/stripe/webhook/<webhook_id>``.

Every request is checked before anything is written: the ``webhook_id`` must name a connected
account with a signing secret, and ``Stripe-Signature`` must sign the raw body with that secret,
timestamped within ``TOLERANCE_SECONDS`` (Stripe's scheme: HMAC-SHA256 of ``<t>.<body>``,
checked by the ``stripe`` library). Anything else is 400 and writes nothing.

Handled events (``WEBHOOK_EVENTS``), each counted once:
- ``checkout.session.completed`` (paid) and ``payment_intent.succeeded`` (carrying our metadata)
  record a ``card`` payment of the amount Stripe took, with the payment intent's id as its
  reference. Both events of one payment name the same intent: a ``stripe_payments`` claim
  (``_id`` = user and intent, a unique insert) lets the first record it and the other find it
  done, even when they race.
- ``charge.refunded`` lowers the recorded payment to what is left after the refunds (Stripe
  sends the total refunded so far, so a repeat changes nothing); fully refunded, the payment is
  reversed and the invoice goes back to sent, part-paid or overdue.
A well-signed event of another type is answered 200 ``ignored`` (Stripe wants a 2xx) without a
write. Each handled event is first claimed in ``stripe_events`` (``_id`` = user and event id):
a retry or a second delivery of a done event is answered ``duplicate``; one still being
processed elsewhere is 409 (Stripe tries again later), and so is the other event of a payment
being recorded; a failure releases the claims so Stripe's retry does the work, and a claim left
by a process that died is taken over after ``STALE_CLAIM``. A payment that cannot be recorded
(the invoice was voided, deleted or paid meanwhile, another currency, more than the balance) is
answered ``rejected`` with the reason, kept in its claim and logged: refund it from the Stripe
Dashboard.
"""

import json
import logging
from datetime import timedelta

import stripe
from pymongo.errors import DuplicateKeyError

from ..auth.service import find_user
from ..common import money
from ..common.exceptions import DomainError, NotFound, Unavailable, conflict
from ..common.ownership import parse_id
from ..common.timeutil import utcnow
from ..db import collection
from ..invoices import payments as invoice_payments
from ..invoices import service as invoices
from . import STRIPE_EVENTS, STRIPE_PAYMENTS, WEBHOOK_EVENTS, accounts, amounts, settings

log = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300
# A claim left "processing" this long belongs to a process that died: the next delivery takes it.
STALE_CLAIM = timedelta(minutes=5)
PROCESSING, DONE = "processing", "done"
RECORDING, RECORDED, REJECTED = "recording", "recorded", "rejected"


class BadWebhook(DomainError):
    """A request that is not a signed event of a connected account (400, nothing written)."""

    status = 400


def _verified_event(webhook_id, payload, signature):
    """(account, event as a dict) when the request is a well-signed event, else BadWebhook."""
    account = accounts.by_webhook_id(webhook_id)
    if account is None:
        raise BadWebhook("Unknown Stripe webhook URL: copy it from GET /api/payments/stripe")
    secret = accounts.secret(account, "webhook_secret")
    if secret is None:
        raise BadWebhook("No webhook signing secret is set for this account: PUT /api/payments/stripe")
    if not signature:
        raise BadWebhook("Missing Stripe-Signature header")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret, TOLERANCE_SECONDS)
        event = json.loads(text)
    except stripe.SignatureVerificationError as exc:
        raise BadWebhook(f"Stripe signature check failed: {exc.user_message or 'bad signature'}") from exc
    except ValueError as exc:  # not UTF-8, not JSON
        raise BadWebhook("The body is not a Stripe event") from exc
    valid = (isinstance(event, dict) and isinstance(event.get("id"), str) and isinstance(event.get("type"), str)
             and isinstance((event.get("data") or {}).get("object"), dict))
    if not valid:
        raise BadWebhook("The body is not a Stripe event")
    return account, event


def receive(webhook_id, payload, signature):
    """Handle one delivery; the outcome ({event_id, type, outcome, reason?, ...}) to answer."""
    if not settings.enabled():
        raise Unavailable(settings.DISABLED)
    account, event = _verified_event(webhook_id, payload, signature)
    answer = {"event_id": event["id"], "type": event["type"]}
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return {**answer, "outcome": "ignored", "reason": f"Orbix does not handle {event['type']} events"}
    user = _owner(account["user_id"])
    key = f"{user['_id']}:{event['id']}"
    previous = _claim(STRIPE_EVENTS, {"_id": key, "user_id": user["_id"], "event_id": event["id"],
                                      "type": event["type"], "state": PROCESSING}, PROCESSING)
    if previous is not None:
        return {**answer, "outcome": "duplicate", "reason": f"Already handled: {previous.get('outcome')}"}
    try:
        outcome = handler(user, event["data"]["object"], event)
    except BaseException:
        collection(STRIPE_EVENTS).delete_one({"_id": key, "state": PROCESSING})
        raise
    collection(STRIPE_EVENTS).update_one(
        {"_id": key}, {"$set": {"state": DONE, "outcome": outcome["outcome"], "reason": outcome.get("reason"),
                                "done_at": utcnow()}})
    return {**answer, **outcome}


def _owner(user_id):
    user = find_user(user_id)
    if user is None:  # the account is being deleted
        raise BadWebhook("Unknown Stripe webhook URL")
    return user


def _claim(name, claim, busy):
    """Insert ``claim`` (its ``_id`` unique) into the collection ``name``: None when this delivery
    holds it now, the existing claim when that one is settled (not in state ``busy``), 409 while
    another delivery holds it (Stripe retries). One held longer than ``STALE_CLAIM`` is taken over."""
    for _attempt in range(2):
        try:
            collection(name).insert_one({**claim, "claimed_at": utcnow()})
            return None
        except DuplicateKeyError:
            existing = collection(name).find_one({"_id": claim["_id"]})
        if existing is None:  # released meanwhile
            continue
        if existing["state"] != busy:
            return existing
        if existing["claimed_at"] > utcnow() - STALE_CLAIM:
            break
        collection(name).delete_one({"_id": claim["_id"], "state": busy, "claimed_at": existing["claimed_at"]})
    conflict("This Stripe event is being processed by another delivery; Stripe will retry")


def _payment_key(user, reference):
    return f"{user['_id']}:{reference}"


def _rejected(reason, claim_key):
    collection(STRIPE_PAYMENTS).update_one({"_id": claim_key}, {"$set": {"state": REJECTED, "reason": reason}})
    log.warning("stripe payment not recorded: %s", reason)
    return {"outcome": "rejected", "reason": reason}


def _record(user, metadata, reference, amount, currency, event):
    """Record the payment ``reference`` once, whichever event brings it first."""
    invoice_id = parse_id(metadata.get("invoice_id"))
    if metadata.get("user_id") != str(user["_id"]) or invoice_id is None:
        return {"outcome": "ignored", "reason": "Not a payment of an Orbix invoice of this account"}
    key = _payment_key(user, reference)
    previous = _claim(STRIPE_PAYMENTS, {"_id": key, "user_id": user["_id"], "invoice_id": invoice_id,
                                        "reference": reference, "event_id": event["id"], "state": RECORDING},
                      RECORDING)
    if previous is not None:
        return {"outcome": "duplicate", "reason": f"Payment {reference} was handled already ({previous['state']})"}
    try:
        return _record_claimed(user, invoice_id, reference, amount, currency, key)
    except BaseException:
        collection(STRIPE_PAYMENTS).delete_one({"_id": key, "state": RECORDING})
        raise


def _record_claimed(user, invoice_id, reference, amount, currency, key):
    try:
        invoice = invoices.find_invoice(user["_id"], invoice_id)
    except NotFound:
        return _rejected(f"Payment {reference}: invoice {invoice_id} no longer exists", key)
    code = invoice["currency"]
    minor = amounts.from_stripe(amount, code) if isinstance(amount, int) and str(currency).upper() == code else None
    if minor is None or minor <= 0:
        return _rejected(f"Payment {reference}: {amount} {currency} does not fit invoice "
                         f"{invoice['invoice_number']} ({code})", key)
    # Recorded by an earlier delivery that failed before it could mark its claim: not again.
    earlier = invoice_payments.with_reference(invoice, reference)
    if earlier is None:
        refusal = invoice_payments.refusal(invoice, minor)
        if refusal is not None:
            return _rejected(f"Payment {reference} on invoice {invoice['invoice_number']}: {refusal.message}", key)
        invoices.record_online_payment(user, invoice_id, minor, "card", "Paid online (Stripe)", reference)
    payment = earlier or invoice_payments.with_reference(invoice, reference)
    collection(STRIPE_PAYMENTS).update_one({"_id": key}, {"$set": {"state": RECORDED, "payment_id": payment["_id"],
                                                                   "amount": payment["amount"],
                                                                   "recorded_at": utcnow()}})
    return {"outcome": "recorded", "invoice_id": invoice_id, "payment_id": payment["_id"]}


def _checkout_completed(user, session, event):
    if session.get("payment_status") != "paid":
        return {"outcome": "ignored", "reason": f"Not paid (payment_status {session.get('payment_status')})"}
    reference = session.get("payment_intent") or session.get("id")
    return _record(user, session.get("metadata") or {}, reference, session.get("amount_total"),
                   session.get("currency"), event)


def _intent_succeeded(user, intent, event):
    return _record(user, intent.get("metadata") or {}, intent.get("id"), intent.get("amount_received"),
                   intent.get("currency"), event)


def _charge_refunded(user, charge, event):
    reference = charge.get("payment_intent") or charge.get("id")
    claim = collection(STRIPE_PAYMENTS).find_one({"_id": _payment_key(user, reference), "state": RECORDED})
    if claim is None:
        return {"outcome": "ignored", "reason": f"No payment {reference} was recorded"}
    captured, refunded = charge.get("amount_captured"), charge.get("amount_refunded")
    if not isinstance(captured, int) or not isinstance(refunded, int):
        return {"outcome": "ignored", "reason": "The charge does not say what was refunded"}
    currency = str(charge.get("currency")).upper()
    remaining = amounts.from_stripe(max(captured - refunded, 0), currency) if money.is_currency(currency) else None
    if remaining is None:
        return {"outcome": "ignored", "reason": f"Cannot read the refund in {currency}"}
    remaining = min(remaining, claim["amount"])
    note = f"Paid online (Stripe); {money.minor_to_json(claim['amount'] - remaining, currency)} {currency} refunded"
    try:
        invoices.refund_payment(user, claim["invoice_id"], claim["payment_id"], remaining, note)
    except NotFound:
        return {"outcome": "ignored", "reason": f"Payment {reference} was deleted in Orbix already"}
    return {"outcome": "refunded", "invoice_id": claim["invoice_id"], "payment_id": claim["payment_id"]}


HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "payment_intent.succeeded": _intent_succeeded,
    "charge.refunded": _charge_refunded,
}
assert set(HANDLERS) == set(WEBHOOK_EVENTS)
