"""Webhooks: HTTP callbacks to the user's own endpoints when something happens in Orbix.

Owns ``webhook_endpoints`` (URL, subscribed events, signing secret, active) and
``webhook_deliveries`` (one record per event and endpoint: the signed body, status
``pending|succeeded|failed``, attempts, the last response). Other packages call
``webhooks.events.emit(user_id, event_type, data)`` after a write succeeded; delivery
happens only in the ``webhooks.deliver`` job (see ``delivery``).
"""

WEBHOOK_ENDPOINTS = "webhook_endpoints"
WEBHOOK_DELIVERIES = "webhook_deliveries"
