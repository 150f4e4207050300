"""Which hourly rate and currency apply to a time entry.

Effective rate: the entry's own rate, else its project's, else the project's client's,
else the user's default. Currency: the client's billing currency, else the user's
default, else USD. Used by time tracking (lists, summaries), invoicing tracked time
and reports, so every place bills the same way.
"""

from . import money


def user_defaults(user):
    """(default rate as stored int or None, default currency) from a user document."""
    settings = (user or {}).get("settings") or {}
    return settings.get("default_hourly_rate"), settings.get("default_currency") or money.DEFAULT_CURRENCY


def stored_rate(entry, project=None, client=None, user=None):
    """``(rate as stored int | None, source)`` where source is entry, project, client, user or None."""
    candidates = (
        ("entry", (entry or {}).get("hourly_rate")),
        ("project", (project or {}).get("hourly_rate")),
        ("client", (client or {}).get("default_hourly_rate")),
        ("user", user_defaults(user)[0]),
    )
    for source, stored in candidates:
        if stored is not None:
            return stored, source
    return None, None


def effective_rate(entry, project=None, client=None, user=None):
    """``(rate: Decimal | None, source)`` where source is entry, project, client, user or None."""
    stored, source = stored_rate(entry, project, client, user)
    return money.rate_from_store(stored), source


def billing_currency(client=None, user=None):
    return (client or {}).get("currency") or user_defaults(user)[1]


def entry_amount(entry, rate, currency):
    """Billable amount (Decimal) of a stopped, billable entry; zero when not billable or no rate."""
    if not entry.get("is_billable", True) or rate is None or not entry.get("duration"):
        return money.quantize(0, currency)
    return money.bill(entry["duration"], rate, currency)


def billing_terms(entry, project=None, client=None, user=None, billable=True):
    """``(stored rate, source, currency, biller)``: ``stored_rate``, ``billing_currency`` and
    ``entry_biller`` together, which lists and reports work out once per distinct project,
    client and own rate rather than once per entry."""
    stored, source = stored_rate(entry, project, client, user)
    currency = billing_currency(client, user)
    return stored, source, currency, entry_biller(billable, stored, currency)


def _nothing(_seconds):
    return 0


def entry_biller(billable, stored, currency):
    """``entry_amount`` in integer minor units for entries billed alike, as a function of their
    seconds (``money.minor_biller``; zero when not billable or without a rate)."""
    if not billable or stored is None:
        return _nothing
    return money.minor_biller(stored, currency)
