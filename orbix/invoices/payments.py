"""Payments against issued invoices, kept in their own ``payments`` collection
(one document per payment, with currency and date, so reports can sum them by
payment date per currency). The invoice caches ``amount_paid``, ``amount_credited`` and
``balance_due`` (total - paid - credited), recomputed from the payments and credit notes
under the invoice's lock.
"""

from ..common import money
from ..common.exceptions import Conflict, Invalid, not_found, unprocessable
from ..common.locks import held
from ..common.ownership import parse_id
from ..common.timeutil import date_to_datetime, utcnow
from ..db import collection
from ..webhooks import events as webhook_events
from . import INVOICES, PAYMENTS, credits, ledger, lifecycle
from .schemas import PaymentSchema


def invoice_lock(invoice_id):
    """Serialises writes to one invoice (payments, status changes)."""
    return held(f"invoice:{invoice_id}", "This invoice")


def list_for(invoice):
    return list(
        collection(PAYMENTS)
        .find({"user_id": invoice["user_id"], "invoice_id": invoice["_id"]})
        .sort([("date", 1), ("_id", 1)])
    )


def with_reference(invoice, reference):
    """The invoice's payment carrying the provider's ``reference`` (an online payment), or None."""
    return collection(PAYMENTS).find_one(
        {"user_id": invoice["user_id"], "invoice_id": invoice["_id"], "reference": reference})


def balance(invoice):
    """What is still due: total - paid - credited (minor units)."""
    return invoice["total"] - invoice.get("amount_paid", 0) - invoice.get("amount_credited", 0)


def _settled_on(settlements, total):
    """When the invoice became paid: the date of the payment or credit note (``(date, amount)``
    pairs in date order) that completed the balance."""
    running = 0
    for day, amount in settlements:
        running += amount
        if running >= total:
            return day
    return None


def refresh(invoice):
    """Recompute amount_paid, amount_credited, balance_due, status and paid_at from the stored
    payments and credit notes (the caller holds the invoice's lock)."""
    payments = list(
        collection(PAYMENTS)
        .find({"user_id": invoice["user_id"], "invoice_id": invoice["_id"]}, {"amount": 1, "date": 1})
        .sort([("date", 1), ("_id", 1)])
    )
    notes = credits.list_for(invoice, {"total": 1, "date": 1})
    paid, credited = sum(p["amount"] for p in payments), sum(n["total"] for n in notes)
    status = lifecycle.status_after_payments(invoice["total"], paid + credited)
    settlements = sorted([(p["date"], p["amount"]) for p in payments] + [(n["date"], n["total"]) for n in notes],
                         key=lambda pair: pair[0])
    changes = {
        "amount_paid": paid,
        "amount_credited": credited,
        "balance_due": invoice["total"] - paid - credited,
        "status": status,
        "paid_at": _settled_on(settlements, invoice["total"]) if status == lifecycle.PAID else None,
        "updated_at": utcnow(),
    }
    collection(INVOICES).update_one({"_id": invoice["_id"], "user_id": invoice["user_id"]}, {"$set": changes})
    invoice.update(changes)
    return invoice


def refusal(invoice, amount_minor):
    """Why a payment of ``amount_minor`` cannot be recorded on ``invoice`` as it stands (the
    error to raise), or None: a draft or void invoice (409), more than the balance due (422)."""
    status = lifecycle.effective_status(invoice)
    if status in (lifecycle.DRAFT, lifecycle.VOID):
        return Conflict(
            f"Cannot record a payment on a {status} invoice" + (" (send it first)" if status == lifecycle.DRAFT else "")
        )
    due, currency = balance(invoice), invoice["currency"]
    if amount_minor > due:
        message = f"Exceeds the balance due ({money.minor_to_json(due, currency)} {currency})."
        return Invalid(f"amount: {message}", errors={"json": {"amount": [message]}})
    return None


def _add(invoice, amount_minor, day, method, note, reference=None):
    """Record a payment on an invoice whose lock the caller holds."""
    error = refusal(invoice, amount_minor)
    if error:
        raise error
    now = utcnow()
    payment = {
        "user_id": invoice["user_id"],
        "invoice_id": invoice["_id"],
        "client_id": invoice["client_id"],
        "amount": amount_minor,
        "currency": invoice["currency"],
        "date": date_to_datetime(day or lifecycle.today()),
        "method": method,
        "note": note,
        **({"reference": reference} if reference else {}),
        "created_at": now,
        "updated_at": now,
    }
    collection(PAYMENTS).insert_one(payment)
    ledger.payments_written(invoice["user_id"], [payment["_id"]])
    invoice = refresh(invoice)
    webhook_events.emit(invoice["user_id"], "payment.created", PaymentSchema().dump(payment))
    return invoice


def record(invoice, data):
    """POST /{id}/payments: a payment in the invoice's currency (422 if it overpays)."""
    currency = invoice["currency"]
    if money.quantize(data["amount"], currency) != data["amount"]:
        places = money.exponent(currency)
        unprocessable("amount", f"{currency} amounts have {places} decimal place{'' if places == 1 else 's'} at most.")
    amount = money.to_minor(data["amount"], currency)
    if amount <= 0:
        unprocessable("amount", "Must be at least one minor unit of the currency.")
    return record_minor(invoice, amount, data.get("method", "other"), data.get("note"), day=data.get("date"))


def record_minor(invoice, amount_minor, method, note, reference=None, day=None):
    """A payment of ``amount_minor`` (minor units), e.g. an online payment with the payment
    provider's ``reference``; the same checks as ``record``."""
    with invoice_lock(invoice["_id"]):
        fresh = collection(INVOICES).find_one({"_id": invoice["_id"]})
        return _add(fresh, amount_minor, day, method, note, reference)


def settle(invoice, user):
    """Status set to paid: record the outstanding balance as a payment made today."""
    due = balance(invoice)
    if due <= 0:  # nothing owed (a zero invoice): just settle it
        changes = {"status": lifecycle.PAID, "paid_at": utcnow(), "updated_at": utcnow()}
        collection(INVOICES).update_one({"_id": invoice["_id"]}, {"$set": changes})
        return {**invoice, **changes}
    return _add(invoice, due, None, "other", "Marked as paid")


def _owned_payment(invoice, payment_id):
    return {"_id": parse_id(payment_id), "user_id": invoice["user_id"], "invoice_id": invoice["_id"]}


def remove(invoice, payment_id):
    """Reverse one payment and recompute the invoice's status."""
    with invoice_lock(invoice["_id"]):
        return _remove(invoice, payment_id)


def _remove(invoice, payment_id):
    payment = collection(PAYMENTS).find_one_and_delete(_owned_payment(invoice, payment_id))
    if payment is None:
        not_found("Payment")
    ledger.payments_written(invoice["user_id"], [payment["_id"]])
    refreshed = refresh(collection(INVOICES).find_one({"_id": invoice["_id"]}))
    webhook_events.emit(invoice["user_id"], "payment.deleted", PaymentSchema().dump(payment))
    return refreshed


def reduce(invoice, payment_id, remaining_minor, note):
    """A payment partly or wholly refunded: its amount becomes ``remaining_minor`` (never more
    than it was); at zero the payment is reversed as by ``remove``."""
    with invoice_lock(invoice["_id"]):
        if remaining_minor <= 0:
            return _remove(invoice, payment_id)
        payment = collection(PAYMENTS).find_one(_owned_payment(invoice, payment_id))
        if payment is None:
            not_found("Payment")
        if remaining_minor < payment["amount"]:
            collection(PAYMENTS).update_one(
                {"_id": payment["_id"]}, {"$set": {"amount": remaining_minor, "note": note, "updated_at": utcnow()}}
            )
            ledger.payments_written(invoice["user_id"], [payment["_id"]])
        return refresh(collection(INVOICES).find_one({"_id": invoice["_id"]}))
