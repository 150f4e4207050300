"""What a personal access token may do: ``<family>:read`` or ``<family>:write`` per resource
family. Each blueprint names its family once (``ResourceBlueprint(..., family=...)``).

- GET and HEAD need ``read``, every other method ``write``; ``write`` implies ``read``.
- ``<family>:*`` is ``<family>:write``; ``*:read`` and ``*:write`` (``*:*``) cover every family.
- Views without a family (managing tokens, the password, logout, refresh, exporting or deleting
  the account) need a login session: a token gets 403 there whatever its scopes.
"""

from ..common.exceptions import Forbidden

READ, WRITE = "read", "write"
ANY_FAMILY = "*"
READ_METHODS = frozenset({"GET", "HEAD"})
# Family -> the accesses it has (reports only read).
FAMILIES = {
    "account": (READ, WRITE),  # the profile and business settings (/api/auth/me)
    "clients": (READ, WRITE),
    "projects": (READ, WRITE),
    "time": (READ, WRITE),
    "invoices": (READ, WRITE),
    "estimates": (READ, WRITE),
    "contracts": (READ, WRITE),
    "resumes": (READ, WRITE),
    "ai": (READ, WRITE),
    "reports": (READ,),
    "webhooks": (READ, WRITE),
    "expenses": (READ, WRITE),  # expenses and their categories
    "files": (READ, WRITE),  # receipts and logos
    "payments": (READ, WRITE),  # the Stripe connection (/api/payments/stripe)
}


def _accepted():
    for name, accesses in FAMILIES.items():
        yield from (f"{name}:{access}" for access in accesses)
        if WRITE in accesses:
            yield f"{name}:*"
    yield from (f"{ANY_FAMILY}:{access}" for access in (READ, WRITE, "*"))


# Every scope as it may be written (case and surrounding spaces aside), for the OpenAPI document.
ACCEPTED = list(_accepted())
SESSION_ONLY_MESSAGE = (
    "This endpoint needs a login session: personal access tokens cannot manage tokens, change the "
    "password, log out, refresh, or export or delete the account"
)


def described():
    """The accepted scopes, for error messages and the OpenAPI document."""
    families = ", ".join(f"{name}:{'|'.join(accesses)}" for name, accesses in FAMILIES.items())
    return f"{families}, *:read, *:write (family:* is family:write)"


def normalise(requested):
    """Canonical scopes, sorted and without duplicates; ValueError naming a scope that is not one."""
    result = set()
    for scope in requested:
        family, _, access = scope.strip().lower().partition(":")
        access = WRITE if access == "*" else access
        if (family != ANY_FAMILY and family not in FAMILIES) or access not in (READ, WRITE):
            raise ValueError(f"Unknown scope {scope!r}: use {described()}.")
        if family in FAMILIES and access not in FAMILIES[family]:
            raise ValueError(f"{family} has no {access} access: use {family}:read.")
        result.add(f"{family}:{access}")
    return sorted(result)


def required(family, method):
    """The scope a request with ``method`` needs on a view of ``family``."""
    return f"{family}:{READ if method in READ_METHODS else WRITE}"


def grants(scopes, scope):
    """Whether ``scopes`` include ``scope``: itself, its family's write, or a wildcard."""
    family, _, access = scope.partition(":")
    wanted = {f"{family}:{WRITE}", f"{ANY_FAMILY}:{WRITE}"}
    if access == READ:
        wanted |= {f"{family}:{READ}", f"{ANY_FAMILY}:{READ}"}
    return not wanted.isdisjoint(scopes)


def refusal(scopes, family, method):
    """None when a token with ``scopes`` may call a view of ``family`` (None: sessions only)
    with ``method``; else the Forbidden error to raise."""
    if family is None:
        return Forbidden(SESSION_ONLY_MESSAGE)
    scope = required(family, method)
    if grants(scopes, scope):
        return None
    return Forbidden(f"This personal access token lacks the scope {scope}", required_scope=scope)
