"""Load: 64 concurrent clients against gunicorn for 60 s (10 s in smoke runs), mixing
reads, CSV exports and writes by several editors. Nothing but throttling may refuse a
request, and every acknowledged write is in the database exactly once."""

import itertools

import pytest
from rest_framework.authtoken.models import Token

from bench.serving import gunicorn
from partnerships.models import Affiliation
from programs.models import StudentFlow
from tests import factories
from tests.reliability.conftest import budget
from tests.reliability.serving import (
    THROTTLED_ENV,
    Tally,
    run_clients,
    served_database_url,
    session,
)

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

CLIENTS = 64
EDITORS = 4
SECONDS = budget(smoke=10, full=60)
READS = [
    "/api/v1/agreements/?page_size=50",
    "/api/v1/flows/summary/?group_by=academic_year,origin_country",
    "/api/v1/institutions/",
    "/agreements/",
]
EXPORTS = ["/api/v1/flows/?format=csv", "/api/v1/agreements/?format=csv"]
LOAD_SOURCE = "Load test"


@pytest.fixture
def editors(requires_postgresql):
    """Editors of four institutions, each with an API token, and records to read."""
    people = []
    for _number in range(EDITORS):
        affiliation = factories.AffiliationFactory(
            institution__country="KZ", role=Affiliation.Role.EDITOR
        )
        token = Token.objects.create(user=affiliation.user)
        people.append((affiliation.institution, token.key))
    for _ in range(30):
        factories.agreement_between()
    factories.StudentFlowFactory.create_batch(20)
    return people


def reader(base_url, tally, urls, action):
    def work(stop_at):
        import time

        http = session()
        for url in itertools.cycle(urls):
            if time.monotonic() > stop_at:
                return
            try:
                tally.record(action, http.get(base_url + url, timeout=60))
            except Exception as error:  # any failure to get an answer counts against the run
                tally.record(action, error=error)

    return work


def writer(base_url, tally, institution, token, dimensions):
    def work(stop_at):
        import time

        http = session()
        http.headers["Authorization"] = f"Token {token}"
        for year, level, mobility in dimensions:
            if time.monotonic() > stop_at:
                return
            flow = {
                "academic_year": year,
                "origin_country": "KZ",
                "destination_country": "CN",
                "origin_institution": institution.pk,
                "level": level,
                "mobility_type": mobility,
                "students": 7,
                "source": LOAD_SOURCE,
            }
            try:
                tally.record("write", http.post(f"{base_url}/api/v1/flows/", json=flow, timeout=60))
            except Exception as error:
                tally.record("write", error=error)

    return work


def distinct_dimensions(shard, shards):
    """Every writer posts flows no other writer posts: disjoint slices of all tuples."""
    tuples = itertools.product(
        range(1950, 2025),  # years that have begun, whenever the suite runs
        StudentFlow._meta.get_field("level").choices,
        ["degree", "credit", "training", "staff"],
    )
    return [
        (year, level, mobility)
        for number, (year, (level, _label), mobility) in enumerate(tuples)
        if number % shards == shard
    ]


def test_64_clients_read_export_and_write_without_errors_or_lost_writes(editors):
    tally = Tally()
    writers_per_editor = 2
    with gunicorn(database_url=served_database_url(), extra_env=THROTTLED_ENV) as base_url:
        workers = []
        shards = EDITORS * writers_per_editor
        for shard in range(shards):
            institution, token = editors[shard % EDITORS]
            workers.append(
                writer(base_url, tally, institution, token, distinct_dimensions(shard, shards))
            )
        exporters = 8
        workers += [reader(base_url, tally, EXPORTS, "export") for _ in range(exporters)]
        workers += [
            reader(base_url, tally, READS[index % len(READS) :] + READS, "read")
            for index in range(CLIENTS - len(workers))
        ]
        assert len(workers) == CLIENTS
        run_clients(workers, SECONDS)

    print(dict(tally.statuses))
    assert tally.errors == []
    acknowledged = tally.created_ids
    assert acknowledged, "no write went through"
    stored = list(StudentFlow.objects.filter(source=LOAD_SOURCE).values_list("pk", flat=True))
    assert sorted(stored) == sorted(acknowledged)
    assert len(set(stored)) == len(stored)
    answered = sum(count for (action, status), count in tally.statuses.items() if status == 200)
    assert answered > CLIENTS
