"""The worker process: ``python -m orbix.jobs.worker`` (or ``flask --app wsgi worker``).

It runs RQ's ``SimpleWorker`` on the job queue (jobs run in this process, one at a time, so
the MongoDB client and the app are built once and nothing is forked beside the scheduler
thread), RQ's own scheduler (which re-queues retries when their backoff has passed), and our
periodic scheduler thread (``scheduler.run_forever``). Run as many workers as the load needs:
periodic work still happens once per period.
"""

import argparse
import logging
import sys

from rq import SimpleWorker

from . import scheduler
from .queue import get_queue

log = logging.getLogger(__name__)


def run_worker(app, burst=False, with_scheduler=True):
    """Work the queue until stopped (SIGTERM/SIGINT: the current job finishes first).

    ``burst`` returns once the queue is empty (tests, one-off runs)."""
    from . import registry

    registry._worker_app = app  # jobs run in this app, not in a second one built from the environment
    with app.app_context():
        queue = get_queue()
        worker = SimpleWorker([queue], connection=queue.connection)
    stop = scheduler.start_thread(app) if with_scheduler else None
    try:
        return worker.work(burst=burst, with_scheduler=True, logging_level=app.config["LOG_LEVEL"])
    finally:
        if stop:
            stop.set()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m orbix.jobs.worker", description=__doc__.split("\n")[0])
    parser.add_argument("--burst", action="store_true", help="exit once the queue is empty")
    parser.add_argument("--no-scheduler", action="store_true", help="do not run periodic tasks in this worker")
    options = parser.parse_args(argv)
    from ..app import create_app

    app = create_app()
    # RQ's work() returns whether any job ran: an idle worker stopped by SIGTERM (a deploy, a dyno
    # restart) or a burst over an empty queue is no failure, so only an exception exits non-zero.
    run_worker(app, burst=options.burst, with_scheduler=not options.no_scheduler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
