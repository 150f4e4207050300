"""Accounts: registration, login, tokens, logout and the caller's profile."""
