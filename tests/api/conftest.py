"""Fixtures for the API tests: clients for the cast, a clean throttle, the demo data once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def every_api_test_starts_with_a_fresh_throttle(fresh_throttle):
    pass


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def client_for(api):
    """`client_for(user)`: a client signed in as `user` (anonymous for None)."""

    def sign_in(user):
        client = APIClient()
        if user is not None and user.is_authenticated:
            client.force_authenticate(user)
        return client

    return sign_in


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data loaded once for a module, in a transaction rolled back at the end."""
    with (
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def results(response):
    """The records of a list response (paginated or not)."""
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body
