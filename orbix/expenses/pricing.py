"""What an expense is billed at: its amount plus the markup, rounded half-up once to the
currency's minor unit. The markup is a percent with at most 4 decimals, stored as integer
ten-thousandths (the scale of every other factor, ``money.rate_to_store``)."""

from decimal import Decimal

from ..common import money

HUNDRED = Decimal(100)


def markup_to_store(percent):
    return money.rate_to_store(percent or 0)


def markup_from_store(stored):
    return money.rate_from_store(stored or 0)


def with_markup(amount, markup_percent, currency):
    """``amount`` x (1 + markup/100), rounded half-up to ``currency`` (Decimals in, Decimal out)."""
    return money.quantize(money.to_decimal(amount) * (1 + money.to_decimal(markup_percent) / HUNDRED), currency)


def billed_price(expense):
    """The marked-up price of a stored expense, in major units."""
    amount = money.from_minor(expense["amount"], expense["currency"])
    return with_markup(amount, markup_from_store(expense.get("markup_percent")), expense["currency"])
