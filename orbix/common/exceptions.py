"""Domain errors: what services raise when a request cannot be served.

Services know nothing of HTTP; ``platform.errors`` maps each class to its status once.
``errors`` carries per-location, per-field messages (``{"json": {"email": ["..."]}}``)
in the same shape as schema validation.
"""


class DomainError(Exception):
    """Base class; ``status`` is the HTTP status the platform answers with."""

    status = 400

    def __init__(self, message, errors=None, headers=None, **extra):
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra  # further body fields, e.g. ``running_entry_id``


class NotFound(DomainError):
    """Missing, malformed id, or someone else's: indistinguishable to the caller."""

    status = 404


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, an illegal transition, a
    document others depend on)."""

    status = 409


class Invalid(DomainError):
    """Input that passed the schema but breaks a rule (a reference to a missing client ...)."""

    status = 422


class NotAuthenticated(DomainError):
    status = 401


class Forbidden(DomainError):
    """The caller is known but its credential does not allow this (a personal access token
    without the needed scope, or one used where only a login session may act)."""

    status = 403


class TooLarge(DomainError):
    status = 413


class Unavailable(DomainError):
    """A dependency (the AI provider, the queue) cannot serve the request now."""

    status = 503


class UpstreamFailed(DomainError):
    """An outside service answered badly (502) or too late (504)."""

    status = 502


def not_found(what="Resource"):
    raise NotFound(f"{what} not found")


def conflict(message, headers=None):
    raise Conflict(message, headers=headers)


def unprocessable(field, message, location="json"):
    """Invalid naming the offending field, in the same shape as schema validation."""
    raise Invalid(f"{field}: {message}", errors={location: {field: [message]}})
