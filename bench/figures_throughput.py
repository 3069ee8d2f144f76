"""Throughput: wrk with 32 connections against gunicorn on 127.0.0.1, each served page
against a trivial Django view served the same way (the framework's floor)."""

from bench.core import Figure
from bench.serving import TRIVIAL_PATH, gunicorn, wrk

CONNECTIONS = 32
SECONDS = {"full": 30, "smoke": 5}
# (name, path, target ratio of time per request to the trivial view's)
SERVED = [
    ("agreements API, page of 100", "/api/v1/agreements/?page_size=100", 40.0),
    ("alliance page, 1,000 members", "/alliances/synthetic-alliance-1/", 40.0),
]


def run(scale):
    seconds = SECONDS[scale]
    figures = []
    with gunicorn() as base_url:
        floor = wrk(base_url + TRIVIAL_PATH, seconds=seconds, connections=CONNECTIONS)
        figures.append(failures_figure("trivial view", floor))
        for name, path, target in SERVED:
            served = wrk(base_url + path, seconds=seconds, connections=CONNECTIONS)
            figures.extend(
                [
                    Figure(
                        name=f"throughput: {name}, time per request "
                        f"({served.requests_per_second:.0f} vs "
                        f"{floor.requests_per_second:.0f} req/s)",
                        value=time_per_request(served, seconds),
                        limit=time_per_request(floor, seconds),
                        target=target,
                    ),
                    Figure(
                        name=f"throughput: {name}, p50 latency",
                        value=served.p50,
                        limit=floor.p50,
                        target=target,
                    ),
                    Figure(
                        name=f"throughput: {name}, p99 latency",
                        value=served.p99,
                        limit=floor.p99,
                        target=target,
                    ),
                    failures_figure(name, served),
                ]
            )
    return figures


def time_per_request(result, seconds):
    """Seconds per answered request; a page that answered nothing counts the whole run."""
    return seconds / max(result.requests, 1)


def failures_figure(name, result):
    return Figure(
        name=f"throughput: {name}, failed requests",
        value=result.failures,
        limit=result.requests,
        target=0.0,
        unit="requests",
    )
