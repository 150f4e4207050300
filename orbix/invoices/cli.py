"""``flask --app wsgi invoices ...`` commands."""

import click
from flask.cli import AppGroup

from . import service

cli = AppGroup("invoices", help="Invoice maintenance commands.")


@cli.command("mark-overdue")
def mark_overdue_command():
    """Persist status=overdue on unpaid invoices past their due date (for reports)."""
    count = service.mark_overdue()
    click.echo(f"marked {count} invoice{'' if count == 1 else 's'} overdue")
