"""The payment settings this package reads (``orbix.config``), in one place."""

from flask import current_app

DISABLED = "Online payments are turned off on this server (PAYMENTS_ENABLED=false)"


def enabled():
    """``PAYMENTS_ENABLED``: whether users may connect Stripe and take card payments."""
    return current_app.config["PAYMENTS_ENABLED"]


def encryption_keys():
    """``ORBIX_ENCRYPTION_KEY`` as Fernet keys, the first one encrypting."""
    return current_app.config["ENCRYPTION_KEYS"]
