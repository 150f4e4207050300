"""Fused request hooks (orbix.platform.fused_hooks): the app-wide hooks run from one hook each,
in Flask's order, and write-only hooks are skipped for reads."""

import pytest
from flask import Flask, request

from orbix.platform.fused_hooks import fuse_hooks, writes_only
from tests.conftest import make_app


def _recording_app(fused):
    app = Flask("hooks")
    calls = []

    def before(name, answer=None, only_writes=False):
        def hook():
            calls.append(f"before {name}")
            return answer if request.path == "/stop" else None
        return writes_only(hook) if only_writes else hook

    def after(name, only_writes=False):
        def hook(response):
            calls.append(f"after {name}")
            return response
        return writes_only(hook) if only_writes else hook

    def teardown(name, only_writes=False):
        def hook(error):
            calls.append(f"teardown {name}")
        return writes_only(hook) if only_writes else hook

    app.before_request(before("a"))
    app.before_request(before("b", answer=("stopped", 200)))
    app.before_request(before("c", only_writes=True))
    app.before_request(before("d"))
    for name, only_writes in (("x", False), ("y", True), ("z", False)):
        app.after_request(after(name, only_writes))
        app.teardown_request(teardown(name, only_writes))
    for path in ("/go", "/stop"):
        app.add_url_rule(path, path, lambda: "ok", methods=["GET", "POST"])
    if fused:
        fuse_hooks(app)
    return app, calls


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("path", ["/go", "/stop"])
def test_fused_hooks_run_in_flasks_order_and_skip_write_hooks_for_reads(method, path):
    plain, expected = _recording_app(fused=False)
    fused, got = _recording_app(fused=True)
    assert plain.test_client().open(path, method=method).status_code == 200
    assert fused.test_client().open(path, method=method).status_code == 200
    if method == "GET":
        expected = [call for call in expected if call[-1] not in ("c", "y")]
    assert got == expected
    assert len(fused.before_request_funcs[None]) == len(fused.after_request_funcs[None]) == 1


def test_orbix_runs_one_app_wide_hook_of_each_kind(mongo_uri, redis_uri):
    app = make_app(mongo_uri, redis_uri)
    assert [len(app.before_request_funcs[None]), len(app.after_request_funcs[None]),
            len(app.teardown_request_funcs[None])] == [1, 1, 1]
    reads = app.extensions["orbix.fused_hooks"]["after"][1]
    assert {hook.__module__ for hook in reads}.isdisjoint({"orbix.platform.idempotency",
                                                           "orbix.platform.write_tracking"})
