"""Signing deliveries, Stripe-style: ``Orbix-Signature: t=<unix time>,v1=<hex HMAC-SHA256>``.

The HMAC covers ``f"{t}.{body}"`` with the endpoint's secret, so a receiver checks both that
the body came from Orbix and that it is recent (a replayed old delivery fails its tolerance).
README "Webhooks" shows the receiver's side.
"""

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_secret():
    """256 random bits, URL-safe."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret, timestamp, body):
    """The hex HMAC-SHA256 of ``b"<timestamp>." + body`` (``body``: the exact bytes sent)."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def header(secret, timestamp, body):
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
