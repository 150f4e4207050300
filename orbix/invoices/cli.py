"""``flask --app wsgi invoices ...`` commands."""

from flask.cli import AppGroup

cli = AppGroup("invoices", help="Invoice maintenance commands.")
