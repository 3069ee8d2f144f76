"""Modes of the reliability suite.

The hostile-input tests run in every suite. Tests marked `reliability` (schemathesis with
a large budget, load, faults) need PostgreSQL and minutes, so they run only when
RELIABILITY is "smoke" (small budgets, CI) or "full" (make reliability).
"""

import os

import pytest
from django.conf import settings

MODE = os.environ.get("RELIABILITY", "")
if MODE not in {"", "smoke", "full"}:
    raise pytest.UsageError(f"RELIABILITY must be smoke or full, not {MODE!r}")


def budget(*, smoke, full):
    """The size of a heavy test in the current mode."""
    return full if MODE == "full" else smoke


def pytest_collection_modifyitems(config, items):
    heavy = [item for item in items if item.get_closest_marker("reliability")]
    if MODE or not heavy:
        return
    config.hook.pytest_deselected(items=heavy)
    items[:] = [item for item in items if not item.get_closest_marker("reliability")]


@pytest.fixture
def requires_postgresql():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("The reliability suite runs on PostgreSQL: set DATABASE_URL=postgres://...")
