"""Schemathesis over the whole OpenAPI schema, anonymous and with an editor's token:
every generated request gets an answer that is not a server error and matches the schema."""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from schemathesis.config import SchemathesisConfig

from alliance_portal.wsgi import application
from tests import factories
from tests.reliability.conftest import SCHEMATHESIS_REQUESTS, budget

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=False)]

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Per operation and caller; over 53 operations and two callers, "full" is 2,000+ requests.
EXAMPLES = budget(smoke=3, full=25)


def load_schema():
    """The schema the API serves at /api/v1/schema/, generated without a request (and so
    without touching the database before the test database exists)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    # Random generation only: the coverage phase's thousands of boundary cases per
    # operation would take the budget from the random ones.
    config = SchemathesisConfig.from_dict(
        {"phases": {"coverage": {"enabled": False}}, "generation": {"max-examples": EXAMPLES}}
    )
    loaded = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(document)), config=config
    )
    loaded.app = application
    loaded.location = "/api/v1/schema/"
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def records(requires_postgresql, db, agreement_of_each_visibility, settings):
    """Something to find behind every list, and no throttling in the way of the budget."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    factories.StudentFlowFactory.create_batch(3)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes the connection after each request; the test's transaction
    lives on it (Django's own test client disconnects the same signals)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


hypothesis_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@hypothesis_settings
def test_anonymous_requests_never_fail_the_server_or_the_schema(case):
    SCHEMATHESIS_REQUESTS["count"] += 1
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@hypothesis_settings
def test_editor_requests_never_fail_the_server_or_the_schema(case, editor):
    token, _created = Token.objects.get_or_create(user=editor)
    SCHEMATHESIS_REQUESTS["count"] += 1
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)
