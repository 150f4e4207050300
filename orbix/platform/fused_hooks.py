"""The app-wide request hooks, called from one before-, one after- and one teardown hook.

Each platform module registers its hooks the Flask way (request ids and metrics, the input
guard, rate limits, idempotency, write tracking, security headers, CORS): eleven hooks on every
request, several of them there only for writes (idempotency, write tracking) yet asked on every
read to find that out. Under wrk on two cores, with four workers of four threads, a request's
Python costs several times what it costs measured alone (context switches, cache misses, GIL
hand-offs): the after-request hooks were
~0.13 ms of the ~0.47 ms of worker CPU a ``/health`` answer took, against ~0.03 ms when
measured in-process (bench/README.md). ``fuse_hooks`` (the factory's last step) replaces the
app-wide lists with one hook each that calls the same functions in Flask's order (before-hooks
as registered, stopping at the first answer; after- and teardown hooks last-registered first),
skipping those marked :func:`writes_only` when the method cannot write. Blueprint hooks stay
with Flask.
"""

import inspect

from flask import request

# Methods that may change data; a GET, HEAD or OPTIONS request never writes (write tracking and
# the rate limiter's data-version bump rely on the same list).
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WRITES_ONLY = "orbix_writes_only"
EXTENSION = "orbix.fused_hooks"


def writes_only(hook):
    """Mark a hook that has nothing to do for a GET, HEAD or OPTIONS request."""
    setattr(hook, WRITES_ONLY, True)
    return hook


def _split(hooks):
    """(every hook, the hooks for requests that cannot write), in calling order."""
    for hook in hooks:
        if inspect.iscoroutinefunction(hook):  # Flask would run it in an event loop; we do not
            raise TypeError(f"{hook.__qualname__}: fused hooks must be plain functions")
    return tuple(hooks), tuple(hook for hook in hooks if not getattr(hook, WRITES_ONLY, False))


def fuse_hooks(app):
    """Call after every module has registered its app-wide hooks."""
    before = _split(app.before_request_funcs.pop(None, []))
    after = _split(list(reversed(app.after_request_funcs.pop(None, []))))
    teardown = _split(list(reversed(app.teardown_request_funcs.pop(None, []))))
    app.extensions[EXTENSION] = {"before": before, "after": after, "teardown": teardown}

    def _for_method(pair):
        # request.method through werkzeug's proxy costs ~0.9 us; the object's own attribute ~0.1.
        return pair[0] if request._get_current_object().method in WRITE_METHODS else pair[1]

    def fused_before_request():
        for hook in _for_method(before):
            answer = hook()
            if answer is not None:
                return answer
        return None

    def fused_after_request(response):
        for hook in _for_method(after):
            response = hook(response)
        return response

    def fused_teardown_request(error):
        for hook in _for_method(teardown):
            hook(error)

    if before[0]:
        app.before_request(fused_before_request)
    if after[0]:
        app.after_request(fused_after_request)
    if teardown[0]:
        app.teardown_request(fused_teardown_request)
