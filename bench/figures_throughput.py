"""Throughput: wrk with 32 connections against gunicorn on 127.0.0.1, each served page
against a trivial Django view served the same way (the framework's floor).

Like every other figure, subject and floor are timed interleaved: the run is cut into
slices, and each slice drives the trivial view, then each page, for a few seconds. Timed
one after the other for 30 s each, the floor swung from 1,500 to 4,200 requests a second
on a machine whose other load came and went, and the ratio with it.

The issue asks for these figures, not a bound on them: the times are reported, like the
pages' times against raw SQL; any failed request is a miss."""

import statistics
import urllib.request

from bench.core import REPORT_ONLY, Figure
from bench.serving import TRIVIAL_PATH, LoadResult, gunicorn, wrk

CONNECTIONS = 32
# (slices, seconds per slice and path): 30 s per path at full scale, 5 s in smoke runs.
SLICES = {"full": (6, 5), "smoke": (5, 1)}
WARMUP_SECONDS = 1
# (name, path)
SERVED = [
    ("agreements API, page of 100", "/api/v1/agreements/?page_size=100"),
    ("alliance page, 1,000 members", "/alliances/synthetic-alliance-1/"),
]


def run(scale):
    slices, seconds = SLICES[scale]
    paths = [TRIVIAL_PATH, *(path for _name, path in SERVED)]
    results = {path: [] for path in paths}
    with gunicorn() as base_url:
        for path in paths:  # workers started, templates compiled, connections made
            wrk(base_url + path, seconds=WARMUP_SECONDS, connections=CONNECTIONS)
            drain(base_url)
        for _slice in range(slices):
            for path in paths:
                results[path].append(wrk(base_url + path, seconds=seconds, connections=CONNECTIONS))
                drain(base_url)
    duration = slices * seconds
    floor = combined(results[TRIVIAL_PATH])
    figures = [failures_figure("trivial view", floor)]
    for name, path in SERVED:
        served = combined(results[path])
        figures.extend(
            [
                Figure(
                    name=f"throughput: {name}, time per request "
                    f"({served.requests / duration:.0f} vs "
                    f"{floor.requests / duration:.0f} req/s)",
                    value=time_per_request(served, duration),
                    limit=time_per_request(floor, duration),
                    target=REPORT_ONLY,
                ),
                Figure(
                    name=f"throughput: {name}, p50 latency",
                    value=served.p50,
                    limit=floor.p50,
                    target=REPORT_ONLY,
                ),
                Figure(
                    name=f"throughput: {name}, p99 latency",
                    value=served.p99,
                    limit=floor.p99,
                    target=REPORT_ONLY,
                ),
                failures_figure(name, served),
            ]
        )
    return figures


def drain(base_url):
    """Wait until the requests wrk left queued are served, so they do not weigh on the next
    slice: a request sent now is accepted after them."""
    for _request in range(2):
        # The address is the http://127.0.0.1 URL bench.serving built, never a file: URL.
        with urllib.request.urlopen(base_url + TRIVIAL_PATH, timeout=60) as response:  # nosec B310
            response.read()


def combined(results):
    """The slices of one path as one result: requests and failures summed, the median
    slice's latency percentiles."""
    requests = sum(result.requests for result in results)
    return LoadResult(
        requests=requests,
        requests_per_second=statistics.mean(result.requests_per_second for result in results),
        p50=statistics.median(result.p50 for result in results),
        p99=statistics.median(result.p99 for result in results),
        failures=sum(result.failures for result in results),
    )


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
