"""Accounts: registration, login, tokens, logout and the caller's profile.

Owns the collections named here; other packages use these names only to read (reports,
account export) and call this package's functions to change them."""

USERS = "users"
REVOKED_TOKENS = "revoked_tokens"
