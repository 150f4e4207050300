"""Amounts as Stripe counts them, from and to our minor units (ISO 4217, ``common.money``).

Stripe's "smallest currency unit" is mostly ISO's minor unit, with exceptions
(https://stripe.com/docs/currencies): its zero-decimal currencies take whole units (MGA is one
though ISO gives it two decimals), ISK is sent with two decimals that must be 00, and the
three-decimal currencies (BHD, JOD, KWD, OMR, TND) must end in 0. ``to_stripe`` answers None
for an amount Stripe cannot charge exactly: no card payment is offered for it.
"""

from ..common import money

ZERO_DECIMAL = frozenset(
    ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]
)
TWO_DECIMAL_WHOLE = frozenset({"ISK"})  # two decimals in the API, always 00
THREE_DECIMAL = frozenset(["BHD", "JOD", "KWD", "OMR", "TND"])


def exponent(currency):
    """Decimal places of Stripe's amounts in ``currency``."""
    if currency in ZERO_DECIMAL:
        return 0
    if currency in TWO_DECIMAL_WHOLE:
        return 2
    return money.exponent(currency)


def to_stripe(minor, currency):
    """Our minor units as Stripe's amount, or None when Stripe cannot charge it exactly."""
    shift = exponent(currency) - money.exponent(currency)
    if shift < 0:
        whole, rest = divmod(minor, 10**-shift)
        if rest:
            return None
        amount = whole
    else:
        amount = minor * 10**shift
    if currency in THREE_DECIMAL and amount % 10:
        return None
    if currency in TWO_DECIMAL_WHOLE and amount % 100:
        return None
    return amount


def from_stripe(amount, currency):
    """Stripe's amount as our minor units, or None when it has a fraction ours cannot hold."""
    shift = money.exponent(currency) - exponent(currency)
    if shift >= 0:
        return amount * 10**shift
    whole, rest = divmod(amount, 10**-shift)
    return None if rest else whole
