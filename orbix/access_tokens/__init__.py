"""Personal access tokens: named, scoped, expiring API tokens for scripts and integrations,
used as ``Authorization: Bearer`` instead of a 7-day login token.

Owns the collection named here (``_id`` is the token's SHA-256; the API shows ``public_id``).
Account export asks ``access_tokens.service.exported``, which leaves the hashes out."""

ACCESS_TOKENS = "access_tokens"
