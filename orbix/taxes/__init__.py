"""Tax rates: the named taxes (VAT, GST, sales tax ...) a user puts on invoice lines.

Owns ``tax_rates``. Invoices never point at a rate for their amounts: a line copies the
rate's values when it is written (``rates.resolve_line_taxes``), so editing, archiving or
deleting a rate never changes an issued invoice."""

TAX_RATES = "tax_rates"
