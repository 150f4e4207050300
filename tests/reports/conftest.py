"""The report and dashboard tests run on an app of their own (one per module)."""

import pytest

from orbix.platform.write_tracking import init_write_tracking
from tests.conftest import make_app


@pytest.fixture(scope="module")
def app(app, mongo_uri, redis_uri):
    """An app with the data-version hook (a no-op once orbix/app.py calls it)."""
    reports_app = make_app(mongo_uri, redis_uri)
    init_write_tracking(reports_app)
    return reports_app
