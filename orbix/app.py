"""The application factory: the one place that wires config, extensions, blueprints,
error handlers and CLI commands."""

from importlib import import_module

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .access_tokens.credentials import init_credentials
from .auth.sessions import init_sessions
from .cli import register_commands
from .common.pdf import use_font_dirs
from .platform.cors_fast_path import CATCH_ALL as CORS_CATCH_ALL
from .platform.cors_fast_path import init_cors_fast_path
from .platform.docs import OPENAPI_SETTINGS, assets
from .platform.errors import register_error_handlers
from .platform.extensions import OrbixApi, cors, jwt
from .platform.fused_hooks import fuse_hooks
from .platform.idempotency import init_idempotency
from .platform.input_guard import init_input_guard
from .platform.json_provider import OrjsonProvider
from .platform.jwt_callbacks import register_jwt_callbacks
from .platform.metrics import blp as metrics_blueprint
from .platform.observability import configure_logging, init_request_tracking
from .platform.ratelimit import init_rate_limits
from .platform.read_cache import init_read_cache
from .platform.security_headers import init_security_headers
from .platform.write_tracking import init_write_tracking
from .platform.wsgi_edge import WsgiEdge

# Each module exposes ``blp`` (a flask-smorest blueprint); order is the order in the docs.
BLUEPRINT_MODULES = [
    "orbix.platform.health",
    "orbix.auth.routes",
    "orbix.access_tokens.routes",
    "orbix.clients.routes",
    "orbix.projects.routes",
    "orbix.time_tracking.routes",
    "orbix.invoices.routes",
    "orbix.invoices.credit_note_routes",
    "orbix.taxes.routes",
    "orbix.estimates.routes",
    "orbix.recurring.routes",
    "orbix.expenses.routes",
    "orbix.expenses.category_routes",
    "orbix.files.routes",
    "orbix.contracts.routes",
    "orbix.contracts.public_routes",
    "orbix.resumes.routes",
    "orbix.ai.routes",
    "orbix.reports.routes",
    "orbix.webhooks.routes",
    "orbix.stripe_payments.routes",
]

# Modules exposing ``blp``, a plain Flask blueprint of HTML pages for people (public links):
# not API, so not in the OpenAPI document; rate-limited like every other route.
PAGE_MODULES = ["orbix.public_links.pages", "orbix.invoices.page_routes", "orbix.stripe_payments.page_routes",
                "orbix.contracts.page_routes", "orbix.estimates.page_routes"]

# Modules exposing ``cli`` (a click group), e.g. ``flask --app wsgi invoices mark-overdue``.
CLI_MODULES = ["orbix.invoices.cli", "orbix.jobs.cli"]

# Modules registering background jobs (``jobs.registry.job``) and periodic tasks
# (``jobs.scheduler.periodic``): imported here so a worker knows every job by name.
JOB_MODULES = ["orbix.jobs.scheduler", "orbix.jobs.history", "orbix.maintenance", "orbix.mail.messages",
               "orbix.invoices.delivery", "orbix.estimates.delivery", "orbix.invoices.jobs", "orbix.reminders.jobs",
               "orbix.recurring.jobs", "orbix.webhooks.delivery", "orbix.files.jobs", "orbix.contracts.delivery",
               "orbix.contracts.jobs"]


class OrbixFlask(Flask):
    """Flask, asking whether each hook and view is a coroutine once instead of on every call:
    ``ensure_sync`` runs ~17 times a request (every before/after hook, the view), and
    ``inspect.iscoroutinefunction`` was a visible share of a ``/health`` request's time. JSON
    responses go through orjson (``platform.json_provider``)."""

    json_provider_class = OrjsonProvider

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync_functions = {}

    def ensure_sync(self, func):
        try:
            return self._sync_functions[func]
        except KeyError:
            sync = self._sync_functions[func] = super().ensure_sync(func)
            return sync
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)


def create_app(config=None):
    app = OrbixFlask("orbix", instance_path=str(config_module.instance_dir().resolve()))
    app.config.update(OPENAPI_SETTINGS)
    app.config.update(config_module.load_config())
    app.config.update(config or {})
    app.config.update(
        JWT_TOKEN_LOCATION=["headers"],
        JWT_ERROR_MESSAGE_KEY="message",
        PROPAGATE_EXCEPTIONS=False,
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False
    app.url_map.strict_slashes = False
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.wsgi_app = WsgiEdge(app.wsgi_app)
    configure_logging(app.config["LOG_LEVEL"])
    use_font_dirs(app.config["PDF_FONT_DIRS"])

    register_error_handlers(app)
    init_request_tracking(app)
    init_security_headers(app)
    init_input_guard(app)
    api = OrbixApi(app)
    jwt.init_app(app)
    register_jwt_callbacks(jwt)
    init_sessions(app)
    init_credentials(app)
    origins = app.config["CORS_ORIGINS"]
    cors_resources = {CORS_CATCH_ALL: {"origins": origins}}
    cors.init_app(
        app,
        resources=cors_resources,
        supports_credentials=False,
        expose_headers=["X-Pagination", "X-Request-ID", "Content-Disposition", "Retry-After", "X-Row-Limit"],
        max_age=600,
    )
    init_cors_fast_path(app, cors_resources)

    app.register_blueprint(assets)
    app.register_blueprint(metrics_blueprint)
    for name in BLUEPRINT_MODULES:
        api.register_blueprint(import_module(name).blp)
    pages = [import_module(name).blp for name in PAGE_MODULES]
    for blueprint in pages:
        app.register_blueprint(blueprint)
    init_rate_limits(app)
    init_read_cache(app)
    init_idempotency(app)  # after rate limits: a replay is answered only to a verified, allowed caller
    for name in JOB_MODULES:
        import_module(name)
    register_commands(app, [import_module(name).cli for name in CLI_MODULES])
    init_write_tracking(app, [blueprint.name for blueprint in pages])  # after the CLI commands: it wraps them
    fuse_hooks(app)  # last: every app-wide hook is registered
    return app
