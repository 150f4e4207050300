"""``emit``: what other packages call after a write succeeded, to tell the user's endpoints.

    from ..webhooks import events
    events.emit(user_id, "client.created", ClientSchema().dump(client))

``data`` is the object as the API returns it (the dumped schema). One delivery is recorded
per active endpoint subscribed to the event, and its first attempt queued. Emitting never
fails the caller's request, whose write has happened: with the queue away the deliveries
stay pending for the sweep, and any other failure is logged and swallowed.

``key`` makes an event happen once: the same (user, type, key) gives the same event id and
the same delivery ids, so a repeat is not recorded again (``contract.viewed`` passes the
signing link's hash, so a link opened ten times is one event). Pages built later call it
the same way: ``events.emit(user_id, "invoice.viewed", InvoiceSchema().dump(view), key=token_hash)``.
"""

import hashlib
import logging

from bson import ObjectId

from . import catalogue, delivery, service

log = logging.getLogger(__name__)


def _hex24(*parts):
    return hashlib.sha256(":".join(str(part) for part in parts).encode()).hexdigest()[:24]


def emit(user_id, event_type, data, key=None):
    """Record and queue ``event_type`` for the user's subscribed endpoints; the deliveries made."""
    if event_type not in catalogue.EVENT_TYPES:
        raise ValueError(f"{event_type!r} is not in the webhook event catalogue")
    try:
        endpoints = service.subscribed(user_id, event_type)
        if not endpoints:
            return []
        evt = delivery.event(event_type, data, _hex24(user_id, event_type, key) if key is not None else None)
        made = [delivery.record(endpoint, evt, ObjectId(_hex24(endpoint["_id"], evt["id"])))
                for endpoint in endpoints]
        made = [doc for doc in made if doc is not None]
        delivery.start(made)
        return made
    except Exception:
        log.exception("webhook event %s for user %s was not recorded", event_type, user_id)
        return []
