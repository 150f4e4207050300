"""Write tracking: around any request or CLI command that may write, the caller's data
version is bumped (``common.data_versions``), so report caches know to rebuild.

A write request by a verified caller bumps twice: before the view runs and after it answers
2xx, 3xx, 409 or 5xx (a conflict or a crash may follow a partial write; other 4xx are refused
before any write). The second bump is what makes a cache built *during* the write stale; the
first covers the case where the second cannot be made: the database went away after the
write (the failure is logged, the response kept), or the answer is a 503 outage, where the
second bump is skipped because it could only wait for the same timeout again. Then the only
copies that can be stale are those built while the write was in flight; everything cached
before the request is already outdated. If the first bump fails the database is away: the
request answers 503 at once, before the view writes anything. Refused writes (422) thus
cost a rebuild of that user's reports, which is cheap next to serving stale figures.

After every command of a CLI group (``flask --app wsgi invoices mark-overdue``) every user is
bumped, because such commands work across accounts.
"""

import functools
import logging

from flask import request
from pymongo.errors import PyMongoError

from ..common import data_versions
from ..common.ownership import parse_id
from .caller import caller_id

log = logging.getLogger(__name__)

EXTENSION = "orbix.write_tracking"
BUMPED_KEY = "orbix.write_tracking.user"  # in the WSGI environ: whose version the request bumped
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def may_have_written(method, status):
    return method in WRITE_METHODS and not (400 <= status < 500 and status != 409)


def _before_request():
    if request.method in WRITE_METHODS:
        user_id = parse_id(caller_id())
        if user_id is not None:
            data_versions.bump(user_id)  # a database outage raises: 503 before anything is written
            request.environ[BUMPED_KEY] = user_id


def _after_request(response):
    user_id = request.environ.get(BUMPED_KEY)
    if user_id is None or response.status_code == 503 or not may_have_written(request.method, response.status_code):
        return response
    try:
        data_versions.bump(user_id)
    except PyMongoError as error:
        log.error("data version of user %s not bumped after a write (%s): reports built while the write "
                  "was in flight may stay stale until the user's next write", user_id, error.__class__.__name__)
    return response


def _bumping(callback):
    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        finally:
            data_versions.bump_all()

    wrapper.bumps_data_versions = True
    return wrapper


def _wrap_cli_groups(app):
    """Every subcommand of a CLI group (they run inside an app context) bumps all users."""
    for group in app.cli.commands.values():
        for command in getattr(group, "commands", {}).values():
            if command.callback and not getattr(command.callback, "bumps_data_versions", False):
                command.callback = _bumping(command.callback)


def init_write_tracking(app):
    """Register the write hooks and the CLI wrapping (call after CLI commands are registered,
    and after the idempotency hooks: a replayed answer wrote nothing and bumps nothing)."""
    if app.extensions.get(EXTENSION):
        return
    app.extensions[EXTENSION] = True
    app.before_request(_before_request)
    app.after_request(_after_request)
    _wrap_cli_groups(app)
