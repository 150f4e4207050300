"""The events an endpoint can subscribe to, and what each means."""

EVENT_TYPES = {
    "client.created": "A client was created.",
    "invoice.sent": "An invoice was issued: its status moved from draft to sent (by a status change or by e-mail).",
    "invoice.viewed": "The client opened the public page of an invoice.",
    "invoice.paid": "An invoice became paid (its payments cover the total, or it was marked paid).",
    "payment.created": "A payment was recorded on an invoice (including the one marking an invoice paid).",
    "payment.deleted": "A payment was deleted (reversed); `data` is the payment as it was.",
    "contract.sent": "A contract was sent for signature (or re-sent with a new link).",
    "contract.viewed": "The signer opened a contract's signing link (once per link).",
    "contract.signed": "A contract became signed: every required party signed (the client through its link).",
    "contract.declined": "The signer declined a contract through its link.",
    "estimate.sent": "An estimate was sent to the client: its status moved from draft to sent.",
    "estimate.accepted": "An estimate was accepted (by the client on its public page, or recorded by you).",
    "estimate.declined": "An estimate was declined (by the client on its public page, or recorded by you).",
    "time_entry.stopped": "A running timer was stopped.",
}
ALL = "*"  # subscribes to every event, including ones added later
PING = "ping"  # sent by POST /api/webhooks/{id}/ping only; no subscription needed


def describe():
    """The catalogue as the API lists it."""
    return [{"type": name, "description": text} for name, text in EVENT_TYPES.items()]
