"""Bulk import and export of student flows against PostgreSQL's own COPY, in the same run.

- import: `run_import` of N new flow rows (a CSV file, half of the rows naming a
  destination institution) against `COPY` of the same file into an unindexed table: an
  ordinary, WAL-logged one (the issue's "plain COPY"), and the stricter temporary one
  that writes no WAL, both shown;
- the same import against a `COPY` of the same rows, their references resolved, straight
  into the flows table (reported, no target): what the table's own indexes, constraints
  and reference checks cost before any import code runs;
- peak memory of that import (the whole process, measured in a subprocess);
- export: the flows dump writer against `COPY (the same columns) TO STDOUT`.

The import runs in a subprocess inside a transaction that is rolled back after the deferred
foreign-key checks have run, so the benchmark database keeps its rows. The rolled-back rows
stay in the table as dead rows until a vacuum; the benchmark vacuums the flows table before
and after the import (untimed), so a run does not start on the dead rows of the one before.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django_countries import countries

from bench.core import REPORT_ONLY, Figure
from partnerships.imports.flows import FLOW_COLUMNS
from partnerships.management.commands.export_dump import write_table
from partnerships.models import Institution

ROWS = {"full": 1_000_000, "smoke": 20_000}
LEVELS = ["5", "6", "7", "8", "non-degree", "unspecified"]
MOBILITY_TYPES = ["degree", "credit", "training", "staff", "unspecified"]
PROJECT = Path(__file__).resolve().parent.parent

IMPORT_IN_SUBPROCESS = """
import json, resource, sys, time
import django
django.setup()
from django.db import connection, transaction
from partnerships.imports.service import run_import

with open(sys.argv[1], "rb") as file, transaction.atomic():
    started = time.perf_counter()
    report = run_import(kind="flows", file=file, filename="flows.csv", by=None)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    seconds = time.perf_counter() - started
    transaction.set_rollback(True)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
# ru_maxrss keeps the parent's peak across fork and exec (the parent may have just
# generated the data set); the kernel's high-water mark of this process's own memory does not.
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "ok": report.ok,
                  "created": report.created, "errors": [str(e) for e in report.errors[:5]]}))
"""

COPY_TABLE = """
CREATE {kind} TABLE bench_flow_copy (
    academic_year text, origin_country text, destination_country text,
    origin_institution text, destination_institution text, level text, mobility_type text,
    students integer, source text, programme text, agreement text)
"""
PLAIN, TEMPORARY = "", "TEMPORARY"

EXPORT_SQL = """
COPY (
    SELECT f.academic_year, f.origin_country, f.destination_country, o.slug, d.slug,
           f.level, f.mobility_type, f.students, f.source, p.slug, a.reference
    FROM programs_studentflow f
    LEFT JOIN partnerships_institution o ON o.id = f.origin_institution_id
    LEFT JOIN partnerships_institution d ON d.id = f.destination_institution_id
    LEFT JOIN programs_programme p ON p.id = f.programme_id
    LEFT JOIN partnerships_agreement a ON a.id = f.agreement_id
    ORDER BY f.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def write_flows_file(path, rows):
    """`rows` flow rows with distinct dimensions; every other one names an institution."""
    by_country = {}
    for slug, country in Institution.objects.values_list("slug", "country").order_by("pk"):
        by_country.setdefault(country, slug)
    codes = [code for code, _name in countries]
    written = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(FLOW_COLUMNS)
        for year in range(1950, 2025):
            for origin in codes:
                for destination in codes:
                    if origin == destination:
                        continue
                    for level in LEVELS:
                        for mobility in MOBILITY_TYPES:
                            institution = by_country.get(destination, "") if written % 2 else ""
                            students = 1 + written % 977
                            writer.writerow(
                                [year, origin, destination, "", institution, level, mobility,
                                 students, "Benchmark figures", "", ""]
                            )  # fmt: skip
                            written += 1
                            if written == rows:
                                return


def timed_import(path):
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_IN_SUBPROCESS, str(path)],
        cwd=PROJECT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    if not outcome["ok"]:
        raise RuntimeError(f"The benchmark file was refused: {outcome['errors']}")
    return outcome


def vacuum_flows():
    connection.ensure_connection()
    connection.connection.rollback()
    autocommit = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.connection.cursor() as cursor:
        cursor.execute("VACUUM programs_studentflow")
    connection.connection.autocommit = autocommit


def timed_copy_in(path, kind):
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, path.open(encoding="utf-8") as file:
        cursor.execute(COPY_TABLE.format(kind=kind))
        started = time.perf_counter()
        cursor.copy_expert("COPY bench_flow_copy FROM STDIN WITH (FORMAT csv, HEADER)", file)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_flow_copy")
    connection.connection.rollback()
    return seconds


FLOW_TABLE_COLUMNS = [
    "created", "updated", "is_generated", "academic_year", "origin_country",
    "destination_country", "origin_institution_id", "destination_institution_id", "level",
    "mobility_type", "students", "source",
]  # fmt: skip


def write_flow_table_rows(path, target):
    """The file's rows as the flows table takes them: slugs turned into ids, stamps added.

    The benchmark file names no programme or agreement, so those columns stay out."""
    ids = dict(Institution.objects.values_list("slug", "pk"))
    stamp = timezone.now().isoformat()
    with path.open(encoding="utf-8", newline="") as source, target.open("w") as out:
        reader = csv.DictReader(source)
        for row in reader:
            if row["programme"] or row["agreement"]:
                raise ValueError("The benchmark file names no programme or agreement.")
            origin = ids[row["origin_institution"]] if row["origin_institution"] else "\\N"
            destination = (
                ids[row["destination_institution"]] if row["destination_institution"] else "\\N"
            )
            out.write(
                f"{stamp}\t{stamp}\tf\t{row['academic_year']}\t{row['origin_country']}\t"
                f"{row['destination_country']}\t{origin}\t{destination}\t{row['level']}\t"
                f"{row['mobility_type']}\t{row['students']}\t{row['source']}\n"
            )


def timed_copy_into_flows(table_rows):
    """COPY of the rows straight into the flows table, up to and including the deferred
    foreign-key checks (as the import is timed), then rolled back."""
    with transaction.atomic(), connection.cursor() as cursor, table_rows.open() as file:
        started = time.perf_counter()
        cursor.copy_expert(
            f"COPY programs_studentflow ({', '.join(FLOW_TABLE_COLUMNS)}) FROM STDIN", file
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def timed_export(directory):
    started = time.perf_counter()
    write_table(directory / "flows.csv", "flows", None)
    return time.perf_counter() - started


def timed_copy_out(directory):
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, (directory / "copy.csv").open("w") as file:
        started = time.perf_counter()
        cursor.copy_expert(EXPORT_SQL, file)
        return time.perf_counter() - started


def run(scale):
    rows = ROWS[scale]
    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        path = directory / "flows.csv"
        write_flows_file(path, rows)
        copies = [(timed_copy_in(path, PLAIN), timed_copy_in(path, TEMPORARY)) for _ in range(2)]
        plain_copy_seconds = min(plain for plain, _temporary in copies)
        temporary_copy_seconds = min(temporary for _plain, temporary in copies)
        vacuum_flows()
        outcome = timed_import(path)
        vacuum_flows()
        table_rows = directory / "flow-table-rows.tsv"
        write_flow_table_rows(path, table_rows)
        copy_into_flows_seconds = timed_copy_into_flows(table_rows)
        vacuum_flows()
        export_seconds = timed_export(directory)
        copy_out_seconds = timed_copy_out(directory)
        exported = sum(1 for _ in (directory / "copy.csv").open()) - 1
    return [
        Figure(
            f"import: {rows:,} flow rows vs COPY into an unindexed table",
            outcome["seconds"],
            plain_copy_seconds,
            target=3.0,
        ),
        Figure(
            f"import: {rows:,} flow rows vs COPY into an unindexed temporary table (no WAL)",
            outcome["seconds"],
            temporary_copy_seconds,
            target=3.0,
        ),
        Figure(
            f"import: {rows:,} flow rows vs COPY of the same rows into the flows table itself",
            outcome["seconds"],
            copy_into_flows_seconds,
            target=REPORT_ONLY,
        ),
        Figure(
            f"import: peak memory of {rows:,} flow rows vs 300 MB",
            outcome["peak"] / 1e6,
            300.0,
            target=1.0,
            unit="MB",
        ),
        Figure(
            f"export: {exported:,} flow rows to CSV vs COPY TO STDOUT",
            export_seconds,
            copy_out_seconds,
            target=3.0,
        ),
    ]
