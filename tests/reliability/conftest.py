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


# Requests schemathesis sent in this run; a full run must send at least this many.
SCHEMATHESIS_REQUESTS = {"count": 0}
FULL_SCHEMATHESIS_REQUESTS = 2000


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


def pytest_terminal_summary(terminalreporter):
    if SCHEMATHESIS_REQUESTS["count"]:
        terminalreporter.write_line(f"schemathesis: {SCHEMATHESIS_REQUESTS['count']} requests")


def pytest_sessionfinish(session):
    sent = SCHEMATHESIS_REQUESTS["count"]
    if MODE == "full" and 0 < sent < FULL_SCHEMATHESIS_REQUESTS:
        session.exitstatus = 1
        print(f"schemathesis sent {sent} requests, fewer than {FULL_SCHEMATHESIS_REQUESTS}")
