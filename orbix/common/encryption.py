"""Secrets encrypted at rest (the Stripe keys users connect), with the server's keys.

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``): a stolen database dump or backup
holds only ciphertext; the keys live in the environment (``ORBIX_ENCRYPTION_KEY``). Several
keys, comma-separated, rotate: the first encrypts, every one decrypts (``MultiFernet``), so a
new key goes first and an old one stays while data encrypted with it is kept.

A key is a Fernet key (``Fernet.generate_key()``: 32 bytes, URL-safe base64), or any other
secret of at least 32 characters, which is stretched into one with HKDF-SHA256, so what
Render's ``generateValue`` and Heroku's ``secret`` generator make works as it is.
"""

import base64
import binascii

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MIN_SECRET_LENGTH = 32
_HKDF_INFO = b"orbix encryption key v1"


class DecryptionFailed(Exception):
    """A ciphertext none of the configured keys opens (a key was removed too early, or the
    data was altered)."""


def new_key():
    return Fernet.generate_key().decode()


def _fernet_key(text):
    try:
        raw = base64.urlsafe_b64decode(text.encode())
    except (binascii.Error, ValueError):
        raw = None
    if raw is not None and len(raw) == 32 and len(text) == 44:
        return text.encode()
    if len(text) < MIN_SECRET_LENGTH:
        raise ValueError(
            f"each key must be a Fernet key or a random secret of at least {MIN_SECRET_LENGTH} characters"
        )
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(text.encode())
    return base64.urlsafe_b64encode(derived)


def parse_keys(raw):
    """The keys of a comma-separated setting, as Fernet keys (bytes), first one first;
    ValueError when one is not usable."""
    keys = [_fernet_key(part.strip()) for part in raw.split(",") if part.strip()]
    if not keys:
        raise ValueError("no key given")
    return keys


def _box(keys):
    if not keys:
        raise DecryptionFailed("No encryption key is configured (ORBIX_ENCRYPTION_KEY)")
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text, keys):
    """``text`` encrypted with the first key, as a string to store."""
    return _box(keys).encrypt(text.encode()).decode()


def decrypt(token, keys):
    try:
        return _box(keys).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed("A stored secret cannot be decrypted with ORBIX_ENCRYPTION_KEY") from exc

