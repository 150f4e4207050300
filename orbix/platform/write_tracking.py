"""Write tracking: after any request or CLI command that may have written, the caller's
data version is bumped (``common.data_versions``), so report caches know to rebuild.

Bumped on: write methods (POST/PUT/PATCH/DELETE) answered 2xx, 3xx, 409 or 5xx (a
conflict or a crash may follow a partial write; other 4xx are refused before any
write); and after every command of a CLI group (``flask --app wsgi invoices
mark-overdue``), which bumps every user because such commands work across accounts.
"""

import functools

from flask import request

from ..common import data_versions
from ..common.ownership import parse_id
from .caller import caller_id

EXTENSION = "orbix.write_tracking"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def may_have_written(method, status):
    return method in WRITE_METHODS and not (400 <= status < 500 and status != 409)


def _after_request(response):
    if may_have_written(request.method, response.status_code):
        user_id = parse_id(caller_id())
        if user_id is not None:
            data_versions.bump(user_id)
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
    """Register the write hook and the CLI wrapping (call after CLI commands are registered)."""
    if app.extensions.get(EXTENSION):
        return
    app.extensions[EXTENSION] = True
    app.after_request(_after_request)
    _wrap_cli_groups(app)
