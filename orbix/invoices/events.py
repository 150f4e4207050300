"""What other packages hear of an invoice's life, without invoices importing them.

``@on_paid`` registers ``func(user, invoice)``, called after a payment (or a move to ``paid``)
that settled the invoice has been stored and the invoice's lock released. A listener's failure
is logged and swallowed: the payment stands whatever a listener does (the thank-you e-mail
catches up by itself when the queue was down).
"""

import logging

log = logging.getLogger(__name__)

_paid_listeners = []


def on_paid(func):
    _paid_listeners.append(func)
    return func


def paid(user, invoice):
    for func in _paid_listeners:
        try:
            func(user, invoice)
        except Exception:
            log.exception("invoice %s: paid listener %s failed", invoice["_id"], func.__qualname__)
