"""WSGI entry point: ``gunicorn -c gunicorn.conf.py wsgi:app`` and ``flask --app wsgi``."""

import sys

from orbix.app import create_app
from orbix.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:  # an unsafe production setting: say so in one line, no traceback
    sys.exit(f"orbix: refusing to start: {exc}")
