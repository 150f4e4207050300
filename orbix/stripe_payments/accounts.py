"""The freelancer's Stripe connection: ``PUT``/``GET``/``DELETE /api/payments/stripe``.

One ``stripe_accounts`` document per user (``_id`` is the user id, so there is never a
second): the secret key and the webhook signing secret, each encrypted with the server's key
(``common.encryption``), never returned; ``key_hint`` (the key's last 4 characters) to
recognise it; ``livemode`` from the key's prefix; ``webhook_id``, random and kept across
reconnections, which names the account in its webhook URL. Stripe's flow asks for the URL
before it shows the signing secret, so the two secrets may be given one after the other:
payments are taken once both are there.
"""

import secrets

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from ..common import encryption
from ..common.exceptions import Unavailable, not_found, unprocessable
from ..common.timeutil import utcnow
from ..db import collection
from . import STRIPE_ACCOUNTS, WEBHOOK_EVENTS, WEBHOOK_PATH, gateway, settings

HINT_LENGTH = 4
SECRETS = ("secret_key", "webhook_secret")


def find(user_id):
    return collection(STRIPE_ACCOUNTS).find_one({"_id": user_id})


def by_webhook_id(webhook_id):
    return collection(STRIPE_ACCOUNTS).find_one({"webhook_id": webhook_id}) if webhook_id else None


def secret(account, name):
    """A stored secret in clear (``secret_key`` or ``webhook_secret``), None when not given yet."""
    stored = account.get(name)
    return encryption.decrypt(stored, settings.encryption_keys()) if stored else None


def ready(user_id):
    """The user's account when it takes card payments (both secrets given, payments on), else None."""
    if not settings.enabled():
        return None
    account = find(user_id)
    return account if account and all(account.get(name) for name in SECRETS) else None


def connect(user_id, data):
    """Store the secrets given (the key checked with Stripe first); the account as shown."""
    if not settings.enabled():
        raise Unavailable(settings.DISABLED)
    current = find(user_id)
    if current is None and "secret_key" not in data:
        unprocessable("secret_key", "Give the secret key first (then the webhook signing secret, or both at once).")
    if "secret_key" in data:
        gateway.check_key(data["secret_key"])
    keys, now = settings.encryption_keys(), utcnow()
    changes = {name: encryption.encrypt(data[name], keys) for name in SECRETS if name in data}
    if "secret_key" in data:
        changes.update(key_hint=data["secret_key"][-HINT_LENGTH:], livemode="_live_" in data["secret_key"])
    update = {"$set": {**changes, "updated_at": now},
              "$setOnInsert": {"user_id": user_id, "webhook_id": secrets.token_urlsafe(24), "connected_at": now}}
    try:
        account = _upsert(user_id, update)
    except DuplicateKeyError:  # a concurrent first connection inserted it: now it is an update
        account = _upsert(user_id, update)
    return account


def _upsert(user_id, update):
    return collection(STRIPE_ACCOUNTS).find_one_and_update(
        {"_id": user_id}, update, upsert=True, return_document=ReturnDocument.AFTER
    )


def status(user_id, base_url):
    """``GET /api/payments/stripe``: what is connected, and what to configure at Stripe."""
    account = find(user_id) or {}
    return {
        "enabled": settings.enabled(),
        "connected": bool(account),
        "accepting_payments": ready(user_id) is not None,
        "webhook_secret_set": bool(account.get("webhook_secret")),
        "key_hint": account.get("key_hint"),
        "livemode": account.get("livemode"),
        "webhook_url": f"{base_url}{WEBHOOK_PATH}{account['webhook_id']}" if account else None,
        "webhook_events": list(WEBHOOK_EVENTS),
        "connected_at": account.get("connected_at"),
        "updated_at": account.get("updated_at"),
    }


def disconnect(user_id):
    if collection(STRIPE_ACCOUNTS).delete_one({"_id": user_id}).deleted_count == 0:
        not_found("Stripe connection")


def exported(user_id):
    """The user's connection for the account export, without its secrets."""
    return collection(STRIPE_ACCOUNTS).find({"user_id": user_id}, {name: 0 for name in SECRETS})
