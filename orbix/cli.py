"""Command-line entry points: ``flask --app wsgi migrate`` and the ``orbix`` script."""

import sys

import click

from .db import get_db
from .migrate import apply_migrations


@click.command("migrate")
def migrate_command():
    """Apply pending database migrations."""
    applied = apply_migrations(get_db())
    click.echo("applied: " + ", ".join(applied) if applied else "database is up to date")


@click.command("purge-expired")
def purge_expired_command():
    """Delete expired token revocations and idempotency records (FerretDB has no TTL indexes)."""
    from .auth.tokens import purge_expired as purge_revocations
    from .idempotency import purge_expired as purge_idempotency_keys

    click.echo(f"revocations: {purge_revocations()}, idempotency records: {purge_idempotency_keys()}")


def register_commands(app, groups=()):
    app.cli.add_command(migrate_command)
    app.cli.add_command(purge_expired_command)
    for group in groups:
        app.cli.add_command(group)


def main(argv=None):
    """``orbix migrate``: the same commands without FLASK_APP."""
    from flask.cli import FlaskGroup

    from .app import create_app

    cli = FlaskGroup(create_app=create_app, add_default_commands=False)
    return cli.main(args=argv if argv is not None else sys.argv[1:])
