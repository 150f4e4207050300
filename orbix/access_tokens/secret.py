"""The token string: a recognisable prefix and 256 random bits. Only its SHA-256 is stored
(the record's ``_id``, so checking a token is one primary-key read) with a short hint, the
first characters, by which its owner recognises it in a list."""

import base64
import hashlib
import re
import secrets

PREFIX = "orbix_pat_"
SECRET_BYTES = 32
HINT_CHARS = 6  # after the prefix: 30 of the 260 bits, too few to help a guess
# Base32 (lower case, no padding): no characters a shell, a URL or a double-click splits on.
_SHAPE = re.compile(r"orbix_pat_[a-z2-7]{52}")


def new_token():
    body = base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=").lower()
    return PREFIX + body


def is_personal(value):
    """Whether a Bearer value is meant as a personal access token (anything else is a JWT)."""
    return value.startswith(PREFIX)


def well_formed(token):
    return _SHAPE.fullmatch(token) is not None


def digest(token):
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def hint(token):
    return token[: len(PREFIX) + HINT_CHARS]
