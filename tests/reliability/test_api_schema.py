"""Schemathesis over the whole OpenAPI schema, anonymous and with an editor's token:
every generated request gets an answer that is not a server error and matches the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from alliance_portal.wsgi import application
from tests import factories
from tests.reliability.conftest import budget

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=False)]

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Per operation and caller; over ~40 operations and two callers, "full" is 2,000+ requests.
EXAMPLES = budget(smoke=4, full=30)
REQUESTS = {"count": 0}


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture(autouse=True)
def records(requires_postgresql, db, agreement_of_each_visibility, settings):
    """Something to find behind every list, and no throttling in the way of the budget."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    factories.StudentFlowFactory.create_batch(3)
hypothesis_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@hypothesis_settings
def test_anonymous_requests_never_fail_the_server_or_the_schema(case):
    REQUESTS["count"] += 1
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@hypothesis_settings
def test_editor_requests_never_fail_the_server_or_the_schema(case, editor):
    token, _created = Token.objects.get_or_create(user=editor)
    REQUESTS["count"] += 1
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)
