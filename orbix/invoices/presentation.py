"""How invoice documents show lines and totals: the PDF and the public page print the same
rows, worded and formatted alike in the client's language and locale (``locale.Wording``:
'1.234,50 €' in de_DE, '€1,234.50' in en_US)."""

from ..locale import Wording
from .terms import days_for

ENGLISH = Wording()


def item_cells(item, currency, wording=ENGLISH):
    """(description, quantity, rate, amount) of a line in major units, as text."""
    return (
        item["description"],
        wording.number(item["quantity"]),
        wording.money(item["rate"], currency),
        wording.money(item["amount"], currency),
    )


def total_rows(invoice, with_balance=None, wording=ENGLISH):
    """(key, label, amount) rows under the lines: subtotal, discount, tax, total, then paid and
    balance due (by default only once something was paid). ``key`` names the row whatever the
    language (``total`` and ``balance_due`` are emphasised)."""
    t = wording.t
    currency = invoice["currency"]
    rows = [("subtotal", t("subtotal"), invoice["subtotal"])]
    if invoice["discount"]:
        rows.append(("discount", t("discount"), -invoice["discount"]))
    if invoice["tax"] or invoice.get("tax_rate") is not None:
        rate = invoice.get("tax_rate")
        label = t("tax_rate", rate=wording.number(rate)) if rate is not None else t("tax")
        rows.append(("tax", label, invoice["tax"]))
    rows.append(("total", t("total_currency", currency=currency), invoice["total"]))
    if invoice.get("amount_paid") if with_balance is None else with_balance:
        rows.append(("paid", t("paid"), -invoice["amount_paid"]))
        rows.append(("balance_due", t("balance_due"), invoice["balance_due"]))
    return rows


def payment_terms(terms, wording=ENGLISH):
    """The standard terms (``Due on receipt``, ``Net N``) in the document's language; free text as written."""
    days = days_for(terms)
    if days is None:
        return terms
    return wording.t("terms_on_receipt") if days == 0 else wording.t("terms_net", days=days)
