"""bcrypt hashing. bcrypt only reads 72 bytes, so longer passwords are refused
up front (see schemas) instead of being silently truncated."""

import bcrypt
from flask import current_app

MAX_PASSWORD_BYTES = 72
_dummy_hashes = {}


def hash_password(password):
    rounds = current_app.config["BCRYPT_ROUNDS"]
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password, hashed):
    """True when ``password`` matches. A password over 72 bytes can never match (registration
    and password changes refuse them), and bcrypt 5 raises on one, so it is checked truncated
    (the same bcrypt work, so timing reveals nothing) and then refused."""
    encoded = password.encode("utf-8")
    matches = bcrypt.checkpw(encoded[:MAX_PASSWORD_BYTES], hashed.encode("ascii"))
    return matches and len(encoded) <= MAX_PASSWORD_BYTES


def burn_equal_time(password):
    """Spend the same bcrypt work as a real check, so unknown emails are not revealed by timing."""
    rounds = current_app.config["BCRYPT_ROUNDS"]
    dummy = _dummy_hashes.get(rounds)
    if dummy is None:
        dummy = _dummy_hashes[rounds] = bcrypt.hashpw(b"orbix-timing-equaliser", bcrypt.gensalt(rounds)).decode("ascii")
    check_password(password, dummy)
