"""Calls to the Stripe API, with the official ``stripe`` library.

One client per call, made with the freelancer's own secret key: the library's global
``stripe.api_key`` is never set, since every user connects their own account. The API base is
``STRIPE_API_BASE`` (the tests point it at stripe-mock) and each call gives up after
``STRIPE_TIMEOUT_SECONDS``. Stripe's errors become our domain errors here, once.
"""

import logging

import stripe
from flask import current_app

from ..common.exceptions import Unavailable, UpstreamFailed, unprocessable

log = logging.getLogger(__name__)
# The library logs every call at INFO, Stripe's error messages included, which can quote the key.
logging.getLogger("stripe").setLevel(logging.WARNING)


def _client(secret_key):
    config = current_app.config
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": config["STRIPE_API_BASE"]},
        http_client=stripe.RequestsClient(timeout=config["STRIPE_TIMEOUT_SECONDS"]),
        max_network_retries=1,
    )


def check_key(secret_key):
    """Ask Stripe whether it takes the key (GET /v1/account): 422 when it refuses it. A restricted
    key (``rk_``) may lack the right to read the account: authenticated is enough."""
    try:
        _client(secret_key).v1.accounts.retrieve_current()
    except stripe.PermissionError:
        return
    except stripe.AuthenticationError:
        unprocessable("secret_key", "Stripe does not accept this key (Stripe Dashboard: Developers > API keys).")
    except stripe.StripeError as exc:
        raise _unreachable(exc) from exc


def create_checkout_session(secret_key, params, idempotency_key):
    """A Checkout Session (``params`` as Stripe's API takes them); its id and url."""
    try:
        session = _client(secret_key).v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as exc:
        raise _unreachable(exc) from exc
    return {"id": session.id, "url": session.url}


def _unreachable(exc):
    if isinstance(exc, stripe.APIConnectionError):
        return Unavailable("Stripe cannot be reached right now: try again in a moment")
    # Stripe's message is left out of the log: some quote what was sent.
    log.warning("stripe refused a call: %s (HTTP %s, code %s)", exc.__class__.__name__,
                getattr(exc, "http_status", None), getattr(exc, "code", None))
    return UpstreamFailed(f"Stripe refused the request: {getattr(exc, 'user_message', None) or exc.__class__.__name__}")
