"""Serve the portal with gunicorn on 127.0.0.1 and drive it with wrk, for served figures."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRIVIAL_PATH = "/bench/trivial/"
UNIT_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(*, workers=4, database_url=None, extra_env=None):
    """Yield the base URL of gunicorn serving the portal with the benchmark settings."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url or os.environ["DATABASE_URL"],
        **(extra_env or {}),
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "alliance_portal.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base_url, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_serving(base_url, server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            # The address is the http://127.0.0.1 URL this module built, never a file: URL.
            with urllib.request.urlopen(base_url + TRIVIAL_PATH, timeout=2) as response:  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start serving in time")


@dataclass
class LoadResult:
    requests: int
    requests_per_second: float
    p50: float
    p99: float
    failures: int


def wrk(url, *, seconds, connections=32, threads=None):
    """Drive `url` with wrk for `seconds`; requests per second and latency percentiles."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    threads = threads or min(connections, os.cpu_count() or 1)
    output = subprocess.run(
        [
            "wrk",
            "--latency",
            "--timeout",
            "30s",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(output)


def parse_wrk(output):
    def latency(percent):
        value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
        return float(value) * UNIT_SECONDS[unit]

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failures = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        # Read errors are sync workers closing kept-alive connections, which wrk reopens.
        connect, _read, write, timeout = map(int, socket_errors.groups())
        failures += connect + write + timeout
    return LoadResult(
        requests=requests,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50=latency(50),
        p99=latency(99),
        failures=failures,
    )


def database_url():
    """The URL of the database the benchmark process uses, for the servers it starts."""
    database = settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{connection.settings_dict['NAME']}"
