"""Maintenance commands registered on the app: ``flask --app wsgi migrate`` (or ``orbix migrate``)."""

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
    """Delete expired token revocations and idempotency records (FerretDB has no TTL indexes), and the
    chunks of file uploads a crash left unfinished."""
    from .auth.tokens import purge_expired as purge_revocations
    from .files.service import purge_abandoned as purge_file_writes
    from .platform.idempotency import purge_expired as purge_idempotency_keys

    click.echo(
        f"revocations: {purge_revocations()}, idempotency records: {purge_idempotency_keys()}, "
        f"unfinished file writes: {purge_file_writes()}"
    )


def register_commands(app, groups=()):
    app.cli.add_command(migrate_command)
    app.cli.add_command(purge_expired_command)
    for group in groups:
        app.cli.add_command(group)
