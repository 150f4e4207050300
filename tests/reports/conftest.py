"""The report and dashboard tests run on an app of their own (one per module)."""

import pytest

from orbix.reports.freshness import init_data_versions
from tests.conftest import make_app


@pytest.fixture(scope="module")
def app(app, mongo_uri, redis_uri):
    """An app with the data-version hook (a no-op once orbix/app.py calls it)."""
    reports_app = make_app(mongo_uri, redis_uri)
    init_data_versions(reports_app)
    return reports_app
