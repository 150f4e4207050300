"""Line amounts and invoice totals, all in Decimal, stored as integer minor units.

Quantities and unit rates are stored as integer ten-thousandths (``money.rate_to_store``,
the same scale as hourly rates): they are factors, rounded only once multiplied.
"""

from decimal import Decimal

from ..common import money
from ..common.exceptions import unprocessable


def to_scaled(value):
    return money.rate_to_store(value)


def from_scaled(stored):
    return money.rate_from_store(stored)


def line_amount(quantity, rate, currency):
    """quantity x rate, rounded half-up to the currency's minor unit (Decimal)."""
    return money.quantize(money.to_decimal(quantity) * money.to_decimal(rate), currency)


def stored_item(item, currency):
    """A line from input (Decimals) to its stored form; ``amount`` sent by a client is ignored."""
    amount = item.get("billed_amount")  # set only by billing tracked time (the billing rule)
    if amount is None:
        amount = line_amount(item["quantity"], item["rate"], currency)
    stored = {
        "description": item["description"],
        "quantity": to_scaled(item["quantity"]),
        "rate": to_scaled(item["rate"]),
        "amount": money.to_minor(amount, currency),
    }
    for name in ("time_entry_ids", "expense_ids", "unit_code"):  # what billed lines were made from; the unit
        if item.get(name):
            stored[name] = item[name]
    return stored


def input_item(stored):
    """A stored line back in input form (Decimal quantity and rate), to price it again."""
    return {**stored, "quantity": from_scaled(stored["quantity"]), "rate": from_scaled(stored["rate"])}


def adjustment_after(doc, changes, name):
    """(amount, rate) of a stored document's tax or discount, in input form, after ``changes``: a
    new value of either replaces both; else the stored rate when one was given, else the amount."""
    if name in changes or f"{name}_rate" in changes:
        return changes.get(name), changes.get(f"{name}_rate")
    rate = from_scaled(doc.get(f"{name}_rate"))
    return (None if rate is not None else money.from_minor(doc[name], doc["currency"])), rate


def adjustments_after(doc, changes=None):
    """Tax and discount as the input that produces them again (after ``changes``, if any)."""
    tax, tax_rate = adjustment_after(doc, changes or {}, "tax")
    discount, discount_rate = adjustment_after(doc, changes or {}, "discount")
    return {"tax": tax, "tax_rate": tax_rate, "discount": discount, "discount_rate": discount_rate}


def _adjustment(amount, rate, base, currency, field):
    """An invoice-level amount (tax, discount) given directly or as a percent of ``base``."""
    if amount is not None and rate is not None:
        unprocessable(f"{field}_rate", f"Give either {field} (an amount) or {field}_rate (a percent), not both.")
    if rate is not None:
        return money.percent_of(base, rate, currency), rate
    return money.quantize(amount or 0, currency), None


def compute(items, currency, tax=None, tax_rate=None, discount=None, discount_rate=None):
    """Stored money fields of an invoice. ``items`` are stored lines (minor-unit amounts).

    total = subtotal - discount + tax; the discount may not exceed the subtotal, and the
    tax rate applies to the discounted subtotal.
    """
    subtotal = sum((money.from_minor(item["amount"], currency) for item in items), Decimal(0))
    discount_amount, discount_rate = _adjustment(discount, discount_rate, subtotal, currency, "discount")
    if discount_amount > subtotal:
        unprocessable("discount", f"Must not exceed the subtotal ({money.to_json_number(subtotal)}).")
    tax_amount, tax_rate = _adjustment(tax, tax_rate, subtotal - discount_amount, currency, "tax")
    total = subtotal - discount_amount + tax_amount
    return {
        "items": items,
        "subtotal": money.to_minor(subtotal, currency),
        "discount": money.to_minor(discount_amount, currency),
        "discount_rate": to_scaled(discount_rate),
        "tax": money.to_minor(tax_amount, currency),
        "tax_rate": to_scaled(tax_rate),
        "total": money.to_minor(total, currency),
    }
