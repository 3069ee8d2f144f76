"""Clients and servers for the load and fault tests: gunicorn on the test database."""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.db import connection

# Normal throttling: the load must meet it the way real clients would.
THROTTLED_ENV = {"API_THROTTLE_ANON": "120/min", "API_THROTTLE_USER": "1200/min"}


def served_database_url(port=None):
    """The URL of the database this test runs on, for the servers it starts."""
    database = settings.DATABASES["default"]
    host = database.get("HOST") or "127.0.0.1"
    return (
        f"postgres://{database.get('USER') or 'postgres'}@{host}:"
        f"{port or database.get('PORT') or 5432}/{connection.settings_dict['NAME']}"
    )


@dataclass
class Tally:
    """What the clients saw, counted safely from many threads."""

    statuses: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    created_ids: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action, response=None, error=None):
        with self.lock:
            if error is not None:
                self.statuses[(action, "error")] += 1
                self.errors.append(f"{action}: {error!r}")
                return
            self.statuses[(action, response.status_code)] += 1
            if action == "write" and response.status_code == 201:
                self.created_ids.append(response.json()["id"])
            elif response.status_code >= 500 or response.status_code not in {200, 201, 429}:
                self.errors.append(f"{action}: {response.status_code} {response.text[:200]}")


def run_clients(workers, seconds):
    """Run each `worker(stop_at)` in its own thread until `seconds` have passed."""
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=worker, args=(stop_at,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)


def session():
    return requests.Session()
