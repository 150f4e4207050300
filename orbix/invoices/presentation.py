"""How invoice documents show lines and totals: the PDF and the public page print the same
rows, with amounts formatted alike (``money.format_amount``: '€1,234.50')."""

from ..common import money


def item_cells(item, currency):
    """(description, quantity, rate, amount) of a line in major units, as text."""
    return (
        item["description"],
        str(money.to_json_number(item["quantity"])),
        money.format_amount(item["rate"], currency),
        money.format_amount(item["amount"], currency),
    )


def total_rows(invoice, with_balance=None):
    """(label, amount) rows under the lines: subtotal, discount, tax, total, then paid and
    balance due (by default only once something was paid)."""
    currency = invoice["currency"]
    rows = [("Subtotal", invoice["subtotal"])]
    if invoice["discount"]:
        rows.append(("Discount", -invoice["discount"]))
    if invoice["tax"] or invoice.get("tax_rate") is not None:
        rate = invoice.get("tax_rate")
        rows.append((f"Tax ({money.to_json_number(rate)}%)" if rate is not None else "Tax", invoice["tax"]))
    rows.append((f"Total ({currency})", invoice["total"]))
    if invoice.get("amount_paid") if with_balance is None else with_balance:
        rows += [("Paid", -invoice["amount_paid"]), ("Balance due", invoice["balance_due"])]
    return rows
