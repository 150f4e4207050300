"""Write tracking: around any request or CLI command that may write, the caller's data
version is bumped, so report caches know to rebuild.

A user's version has two halves: a token in MongoDB (``common.data_versions``) and one in Redis
(:func:`fast_version`); the report cache files a build under both and trusts it while both are
unchanged. A write request by a verified caller bumps twice: before the view runs and after it
answers 2xx, 3xx, 409 or 5xx (a conflict or a crash may follow a partial write; other 4xx are
refused before any write). The first bump replaces the Redis half, inside the rate limiter's one
round trip (``platform.ratelimit``), so it costs nothing extra; only if Redis could not take it
does it write MongoDB instead (a database outage then answers 503 at once, before the view
writes anything). The second bump writes MongoDB, as it always did. It is what makes a cache
built *during* the write stale; the first covers the case where the second cannot be made: the
database went away after the write (the failure is logged, the response kept), or the answer is
a 503 outage, where the second bump is skipped because it could only wait for the same timeout
again. Then the only copies that can be stale are those built while the write was in flight;
everything cached before the request is already outdated. Refused writes (422) thus cost a
rebuild of that user's reports, which is cheap next to serving stale figures.

Redis tokens are random, never counters, so an expired key or a restarted Redis can only yield
a value no cache was filed under. A worker that cannot read Redis uses a placeholder for the
Redis half; a copy it builds then is trusted again only by a worker also unable to read Redis,
and only until MongoDB's half changes; the one copy that could be stale is one built while
Redis was away from that worker, followed by a write whose MongoDB bump after the view failed,
and it lasts until the worker asks Redis again (``REDIS_RETRY_SECONDS``).

After every command of a CLI group (``flask --app wsgi invoices mark-overdue``) every user is
bumped in MongoDB, because such commands work across accounts.

The Redis half is ``<user token>/<shared token>``, read in the same round trip. For the read
cache (``platform.read_cache``), which trusts the Redis half alone, a write's bump before the
view sets the user token to ``w<random>`` (a write in flight: nothing is cached under it), and
every write request by a verified caller, whatever its answer, settles it with a fresh random
token after the view. A request with no verified caller that may have written (a write method,
or a public page: viewing an invoice records the view) replaces the shared token after its
view, as does every background job (``jobs.registry``) and CLI command: such writers touch
accounts that are not the caller's.
"""

import functools
import logging

from flask import current_app, has_request_context, request
from pymongo.errors import PyMongoError

from ..common import data_versions
from ..common.ownership import parse_id
from .caller import caller_id
from .fused_hooks import WRITE_METHODS, writes_only
from .redis_client import EPOCH_TTL_SECONDS
from .redis_client import EXTENSION as REDIS

log = logging.getLogger(__name__)

EXTENSION = "orbix.write_tracking"
BUMPED_KEY = "orbix.write_tracking.user"  # in the WSGI environ: whose version the request bumped
# In the WSGI environ: (user id, Redis data version, whether it was just replaced), set by the
# rate limiter's round trip.
DATA_VERSION_KEY = "orbix.data_version"
REDIS_AWAY = "redis-away"  # the Redis half of a version read while Redis cannot answer


IN_FLIGHT = b"w"  # the first letter of a user token set before a write's view (see above)
SHARED = None  # the "user" whose version replacing replaces the shared part


def data_version_key(prefix, user_id):
    return f"{prefix}:data-version:{user_id}"


def shared_version_key(prefix):
    return f"{prefix}:data-version-shared"


def _fetched(user_id):
    """What the rate limiter's round trip brought for ``user_id`` in this request, if anything."""
    fetched = request._get_current_object().environ.get(DATA_VERSION_KEY) if has_request_context() else None
    return fetched if fetched is not None and fetched[0] == str(user_id) else None


def fast_version(user_id):
    """The Redis half of ``user_id``'s data version (read before the caller scans its data):
    None without Redis storage, ``REDIS_AWAY`` while Redis cannot answer."""
    fetched = _fetched(user_id)
    if fetched is not None:
        return fetched[1]
    gate = current_app.extensions.get(REDIS)
    if gate is None:
        return None
    keys = (data_version_key(gate.prefix, user_id), shared_version_key(gate.prefix))

    def read(client):
        pipe = client.pipeline(transaction=False)
        pipe.set(keys[0], data_versions.new_token(), nx=True, ex=EPOCH_TTL_SECONDS)
        pipe.set(keys[1], data_versions.new_token(), nx=True)
        pipe.mget(keys)
        return pipe.execute()[-1]

    values = gate.call("report caches checked against MongoDB alone", read)
    if values is None or None in values:
        return REDIS_AWAY
    return b"/".join(values)


def replace_fast_half(user_id):
    """A fresh user token for ``user_id`` (or a fresh shared one for ``SHARED``); a Redis that
    cannot answer is logged and skipped (see the module's notes on what that leaves)."""
    gate = current_app.extensions.get(REDIS)
    if gate is None:
        return
    if user_id is SHARED:
        key, ttl = shared_version_key(gate.prefix), None
    else:
        key, ttl = data_version_key(gate.prefix, user_id), EPOCH_TTL_SECONDS
    gate.call("read caches off until Redis answers", lambda client: client.set(key, data_versions.new_token(), ex=ttl))


def settled_version(environ):
    """The caller's whole Redis half as this request's round trip brought it (``environ`` is the
    request's), when a read may be cached under it: a verified caller, Redis answering, and no
    write of theirs in flight."""
    fetched = environ.get(DATA_VERSION_KEY)
    if fetched is None or fetched[2] or fetched[0] != caller_id(environ):
        return None
    version = fetched[1]
    if not isinstance(version, bytes) or version.startswith(IN_FLIGHT):
        return None
    return version


def may_have_written(method, status):
    return method in WRITE_METHODS and not (400 <= status < 500 and status != 409)


@writes_only
def _before_request():
    if request.method in WRITE_METHODS:
        user_id = parse_id(caller_id())
        if user_id is not None:
            fetched = _fetched(user_id)
            if fetched is None or not fetched[2]:  # Redis did not take the bump
                data_versions.bump_stored(user_id)  # a database outage raises: 503 before anything is written
            request.environ[BUMPED_KEY] = user_id


@writes_only
def _after_request(response):
    environ = request.environ
    user_id = environ.get(BUMPED_KEY)
    if user_id is None:
        fetched = environ.get(DATA_VERSION_KEY)
        if fetched is not None and fetched[2]:  # marked in flight, then answered before the view (429, replay)
            replace_fast_half(fetched[0])
        elif _written_by_no_owner(response.status_code):
            data_versions.bump_shared()
        return response
    if response.status_code == 503 or not may_have_written(request.method, response.status_code):
        replace_fast_half(user_id)  # settles the in-flight token: nothing (more) was written
        return response
    try:
        data_versions.bump(user_id)
    except PyMongoError as error:
        replace_fast_half(user_id)
        log.error("data version of user %s not bumped after a write (%s): reports built while the write "
                  "was in flight may stay stale until the user's next write", user_id, error.__class__.__name__)
    return response


def _written_by_no_owner(status):
    """Whether a write request without a verified caller may have written someone's data."""
    return may_have_written(request.method, status) and caller_id() is None


def _after_page_read(response):
    """A public page's GET may write (a view is recorded) for someone who is not the caller."""
    if request.method not in WRITE_METHODS and caller_id() is None:
        data_versions.bump_shared()
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


def init_write_tracking(app, page_blueprints=()):
    """Register the write hooks and the CLI wrapping (call after CLI commands are registered,
    and after the idempotency hooks: a replayed answer wrote nothing and bumps nothing).
    ``page_blueprints`` name the public pages, whose every request may write (see above)."""
    if EXTENSION in app.extensions:
        return
    app.extensions[EXTENSION] = True  # registered once per app
    data_versions.use_fast_half(fast_version, replace_fast_half)
    app.before_request(_before_request)
    app.after_request(_after_request)
    for name in page_blueprints:  # their reads too (writes are _after_request's)
        app.after_request_funcs.setdefault(name, []).append(_after_page_read)
    _wrap_cli_groups(app)
