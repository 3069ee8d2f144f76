"""Faults: PostgreSQL restarted in the middle of the load. Requests fail only while it is
down, the service recovers by itself (connection health checks), and no write is partial.

The restart happens on a throwaway cluster of the test's own (initdb into a temporary
folder, another port), never on the shared server.
"""

import glob
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg2
import pytest
import requests

from bench.serving import PROJECT_ROOT, free_port, gunicorn
from tests import factories
from tests.reliability.conftest import budget

pytestmark = pytest.mark.reliability

DOWN_SECONDS = 3
IMPORT_REACHES_ITS_WRITE_WITHIN = 120
SECONDS = budget(smoke=20, full=40)
SETUP = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from partnerships.models import Affiliation
from tests import factories
user = get_user_model().objects.create_user("fault-editor")
institution = factories.InstitutionFactory(country="KZ")
Affiliation.objects.create(user=user, institution=institution, role="editor")
for _ in range(10):
    factories.agreement_between()
print(Token.objects.create(user=user).key, institution.pk)
"""
COUNT = """
from programs.models import StudentFlow
stored = StudentFlow.objects.filter(source="Fault test").values_list(
    "pk", "academic_year", "destination_country", "level", "mobility_type", "students"
)
print(";".join(",".join(map(str, row)) for row in stored))
"""
# Academic years that have begun whenever the suite runs (a flow may count no later one).
PAST_YEARS = range(1950, 2025)
FAULT_DIMENSIONS = list(
    itertools.product(
        PAST_YEARS,
        ["5", "6", "7", "8", "non-degree", "unspecified"],
        ["degree", "credit", "training", "staff", "unspecified"],
    )
)


def fault_flow(writer, number, institution_id):
    """The flow a writer posts as its `number`th write: dimensions no other post shares."""
    year, level, mobility_type = FAULT_DIMENSIONS[number % len(FAULT_DIMENSIONS)]
    return {
        "academic_year": year,
        "origin_country": "KZ",
        "destination_country": ["CN", "RU", "DE", "FR"][writer - 1],
        "origin_institution": institution_id,
        "level": level,
        "mobility_type": mobility_type,
        "students": 3,
        "source": "Fault test",
    }


def dimensions(flow):
    return (
        int(flow["academic_year"]),
        flow["destination_country"],
        flow["level"],
        flow["mobility_type"],
    )


def postgres_binary(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail(f"{name} not found under /usr/lib/postgresql")
    return found[-1]


def as_postgres(*command):
    """Run a server command as the postgres user (initdb refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True)


class ThrowawayCluster:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="ap-fault-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        as_postgres(
            postgres_binary("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"
        )

    def pg_ctl(self, *arguments):
        as_postgres(
            postgres_binary("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
            "-w",
            *arguments,
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def remove(self):
        try:
            self.pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def manage(database_url, *arguments, code=None):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [sys.executable, "manage.py", *arguments]
    if code is not None:
        command += ["shell", "-c", code]
    return subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def cluster():
    if shutil.which("runuser") is None and os.geteuid() == 0:
        pytest.fail("runuser is needed to start a throwaway PostgreSQL as root")
    throwaway = ThrowawayCluster()
    throwaway.pg_ctl("start")
    try:
        manage(throwaway.url, "migrate", "-v0")
        yield throwaway
    finally:
        throwaway.remove()


def test_a_database_restart_fails_requests_only_while_it_is_down(cluster):
    token, institution_id = manage(cluster.url, code=SETUP).splitlines()[-1].split()
    outcomes, acknowledged, in_doubt, lock = [], {}, set(), threading.Lock()
    down = {}

    def client(write, stop_at):
        http = requests.Session()
        http.headers["Authorization"] = f"Token {token}"
        number = 0
        while time.monotonic() < stop_at:
            number += 1
            started = time.monotonic()
            flow = fault_flow(write, number, int(institution_id)) if write else None
            try:
                if write:
                    response = http.post(f"{base_url}/api/v1/flows/", json=flow, timeout=30)
                else:
                    response = http.get(f"{base_url}/api/v1/agreements/", timeout=30)
                ok = response.status_code in {200, 201}
                if write and response.status_code == 201:
                    with lock:
                        acknowledged[response.json()["id"]] = dimensions(flow)
            except requests.RequestException:
                ok = False
            if write and not ok:
                # A write that failed while the server went down may still have committed
                # (its commit landed, the answer was lost): its outcome is unknown.
                with lock:
                    in_doubt.add(dimensions(flow))
            with lock:
                outcomes.append((started, time.monotonic(), ok))
            time.sleep(0.05)

    with gunicorn(database_url=cluster.url) as base_url:
        stop_at = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=client, args=(write, stop_at)) for write in (0, 0, 0, 1, 2)
        ]
        for thread in threads:
            thread.start()
        time.sleep(SECONDS / 4)
        down["from"] = time.monotonic()
        cluster.pg_ctl("stop", "-m", "fast")
        time.sleep(DOWN_SECONDS)
        cluster.pg_ctl("start")
        down["to"] = time.monotonic()
        for thread in threads:
            thread.join(timeout=SECONDS + 60)

    failures_outside = [
        (start, end)
        for start, end, ok in outcomes
        if not ok and (end < down["from"] or start > down["to"] + 1)
    ]
    after = [ok for start, _end, ok in outcomes if start > down["to"] + 1]
    assert any(not ok for _start, _end, ok in outcomes), "the restart went unnoticed"
    assert failures_outside == []
    assert after and all(after), "the service did not recover by itself"
    assert acknowledged, "no write went through"
    stored = {}
    for row in filter(None, manage(cluster.url, code=COUNT).splitlines()[-1].split(";")):
        pk, year, destination, level, mobility_type, students = row.split(",")
        assert students == "3", "a stored flow differs from the one posted"
        stored[int(pk)] = (int(year), destination, level, mobility_type)
    # Every acknowledged write is stored as acknowledged; anything else stored is a write
    # whose request failed during the outage, stored whole and once.
    assert {pk: stored.get(pk) for pk in acknowledged} == acknowledged
    unacknowledged = [key for pk, key in stored.items() if pk not in acknowledged]
    assert set(unacknowledged) <= in_doubt
    assert len(set(stored.values())) == len(stored)
    print(
        {
            "requests": len(outcomes),
            "failed while down": sum(not ok for _start, _end, ok in outcomes),
            "acknowledged writes": len(acknowledged),
            "writes in doubt": len(in_doubt),
            "of which stored": len(unacknowledged),
            "seconds down": round(down["to"] - down["from"], 1),
        }
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_leaves_the_database_as_before(requires_postgresql, tmp_path):
    from programs.models import StudentFlow
    from tests.reliability.serving import served_database_url

    factories.StudentFlowFactory.create_batch(5)
    before = sorted(StudentFlow.objects.values_list("pk", "students"))
    csv_file = tmp_path / "flows.csv"
    codes = ["KZ", "RU", "UZ", "KG", "TJ", "MN", "PK", "TR", "IR", "AZ", "DE", "FR"]
    with csv_file.open("w") as out:
        out.write("academic_year,origin_country,destination_country,level,mobility_type,students\n")
        for year, origin, destination, level, mobility_type in itertools.product(
            PAST_YEARS, codes, codes, ["5", "6", "7", "8", "non-degree"], ["degree", "credit"]
        ):
            if origin != destination:
                out.write(f"{year},{origin},{destination},{level},{mobility_type},4\n")
    env = {
        **os.environ,
        "DATABASE_URL": served_database_url(),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    # Another session holds the flows table, so the import stops at its write, inside its
    # transaction, every time: the kill lands half way however fast the machine is.
    blocker = psycopg2.connect(served_database_url())
    try:
        with blocker.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {StudentFlow._meta.db_table} IN SHARE MODE")
            importing = subprocess.Popen(
                [sys.executable, "manage.py", "import_data", "flows", str(csv_file)],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            waiting = wait_for_backend_blocked_on_lock(cursor, importing)
            importing.kill()
            importing.wait(timeout=30)
        blocker.rollback()
        wait_for_backend_to_end(blocker, waiting)
    finally:
        blocker.close()
    assert sorted(StudentFlow.objects.values_list("pk", "students")) == before


def wait_for_backend_blocked_on_lock(cursor, importing):
    """The server process of the import once it waits for the flows table."""
    deadline = time.monotonic() + IMPORT_REACHES_ITS_WRITE_WITHIN
    while time.monotonic() < deadline:
        assert importing.poll() is None, "the import ended before it reached its write"
        # Activity is a snapshot per transaction, and this one holds the lock: refresh it.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        if waiting := cursor.fetchone():
            return waiting[0]
        time.sleep(0.2)
    raise AssertionError("the import never reached its write")


def wait_for_backend_to_end(connection, pid):
    """Once the lock is gone the orphaned server process notices its client is gone."""
    connection.autocommit = True
    with connection.cursor() as cursor:
        for _ in range(300):
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() is None:
                return
            time.sleep(0.1)
    raise AssertionError("the killed import's server process never ended")
