"""The figure every benchmark reports, and the timing helpers they share.

A figure is a ratio against a limit measured on the same machine in the same run (raw SQL,
a trivial view, page 1), so it holds on a noisy machine where absolute times do not.
"""

import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

# A target for figures that are measured and shown but have no bound to keep.
REPORT_ONLY = float("inf")


@dataclass
class Figure:
    name: str
    value: float
    limit: float
    target: float
    unit: str = "s"

    @property
    def ratio(self):
        # A limit of zero (nothing answered at all) makes any cost a miss, not a crash.
        if self.limit == 0:
            return 0.0 if self.value == 0 else float("inf")
        return self.value / self.limit

    @property
    def passed(self):
        return self.ratio <= self.target


def timed(action):
    """Seconds one call of `action` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def compare(name, subject, baseline, *, target, repeat=15, warmup=2):
    """A figure of `subject`'s median time against `baseline`'s, runs interleaved.

    Interleaving makes both sides share whatever else the machine is doing at the time.
    """
    for _ in range(warmup):
        subject()
        baseline()
    subject_times, baseline_times = [], []
    for _ in range(repeat):
        subject_times.append(timed(subject))
        baseline_times.append(timed(baseline))
    return Figure(
        name=name,
        value=statistics.median(subject_times),
        limit=statistics.median(baseline_times),
        target=target,
    )


def count_queries(action):
    """Number of SQL queries `action` runs on the default database."""
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def constant_queries(name, action_for_size, *, small, large):
    """A figure that passes when `action_for_size(large)` runs no more queries than `small`."""
    return Figure(
        name=name,
        value=count_queries(lambda: action_for_size(large)),
        limit=count_queries(lambda: action_for_size(small)),
        target=1.0,
        unit="queries",
    )


def raw_sql(sql, params=()):
    """A callable that runs `sql` straight through the psycopg connection and fetches it all."""
    connection.ensure_connection()

    def run():
        with connection.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run
