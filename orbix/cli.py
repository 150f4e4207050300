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
    """Delete expired token revocations, idempotency records, old job history and the chunks of file
    uploads a crash left unfinished (FerretDB has no TTL indexes); the workers do it daily themselves
    (orbix.maintenance, orbix.jobs.history, orbix.files.jobs)."""
    from flask import current_app

    from .files.service import purge_abandoned as purge_file_writes
    from .jobs.history import purge as purge_job_history
    from .maintenance import purge_expired_records

    counts = purge_expired_records()
    counts["job runs"], counts["periodic runs"] = purge_job_history(current_app.config["JOBS_HISTORY_DAYS"])
    counts["unfinished file writes"] = purge_file_writes()
    click.echo(", ".join(f"{kind}: {count}" for kind, count in counts.items()))


def register_commands(app, groups=()):
    app.cli.add_command(migrate_command)
    app.cli.add_command(purge_expired_command)
    for group in groups:
        app.cli.add_command(group)
