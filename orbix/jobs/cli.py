"""``flask --app wsgi worker``: the same worker as ``python -m orbix.jobs.worker``."""

import click
from flask import current_app

from .worker import run_worker


@click.command("worker")
@click.option("--burst", is_flag=True, help="Exit once the queue is empty.")
@click.option("--no-scheduler", is_flag=True, help="Do not run periodic tasks in this worker.")
def cli(burst, no_scheduler):
    """Run a background job worker (RQ) with the periodic scheduler."""
    run_worker(current_app._get_current_object(), burst=burst, with_scheduler=not no_scheduler)
