"""Run every bench/figures_*.py module and print the table; exit 1 when a target is missed.

    python -m bench.run [--scale full|smoke] [--only NAME]

Benchmarks run on PostgreSQL: BENCH_DATABASE_URL (default: the local alliance_portal_bench
database, created when missing) is filled by `generate_synthetic` at the scale's size.
"""

import argparse
import importlib
import os
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlparse

SCALES = {
    "full": {
        "institutions": 10_000,
        "alliances": 300,
        "agreements": 100_000,
        "flows": 1_000_000,
        "largest_alliance": 1000,
    },
    "smoke": {
        "institutions": 2000,
        "alliances": 30,
        "agreements": 5000,
        "flows": 50_000,
        "largest_alliance": 1000,
    },
}
# Exit codes: a missed target, and a benchmark that could not run at all.
MISSED, BROKEN = 1, 2
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_portal_bench"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--only", help="Run only the figures modules whose name holds this.")
    args = parser.parse_args(argv)

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    ensure_database(database_url)
    prepare(args.scale)

    figures, broken = [], []
    for module_name in figures_modules(args.only):
        started = time.perf_counter()
        try:
            module = importlib.import_module(module_name)
            figures.extend(module.run(args.scale))
        except Exception:
            traceback.print_exc()
            broken.append(module_name)
        print(f"{module_name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)

    print_table(figures)
    missed = [figure.name for figure in figures if not figure.passed]
    if broken:
        print(f"Modules that failed: {', '.join(broken)}")
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
    if broken or not figures:
        return BROKEN
    return MISSED if missed else 0


def ensure_database(url):
    """Create the benchmark database when it is not there yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit("Benchmarks run on PostgreSQL: set BENCH_DATABASE_URL to postgres://...")
    name = parts.path.lstrip("/")
    server = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    server.close()


def prepare(scale):
    import django
    from django.core.management import call_command

    django.setup()
    from partnerships.synthetic import vacuum_and_analyze

    call_command("migrate", verbosity=0, interactive=False)
    sizes = SCALES[scale]
    call_command(
        "generate_synthetic",
        if_missing=True,
        seed=1,
        **sizes,
    )
    # Every run starts from a vacuumed database, as one under autovacuum would be, whatever
    # earlier runs (rolled-back imports, the load tests' writes) left behind.
    vacuum_and_analyze()


def figures_modules(only=None):
    names = sorted(path.stem for path in Path(__file__).parent.glob("figures_*.py"))
    return [f"bench.{name}" for name in names if not only or only in name]


def print_table(figures):
    from bench.core import REPORT_ONLY

    header = ("figure", "value", "limit", "ratio", "target", "result")
    rows = [
        (
            figure.name,
            format_quantity(figure.value, figure.unit),
            format_quantity(figure.limit, figure.unit),
            f"{figure.ratio:.2f}×",
            "—" if figure.target == REPORT_ONLY else f"≤ {figure.target:g}×",
            "report" if figure.target == REPORT_ONLY else "pass" if figure.passed else "FAIL",
        )
        for figure in figures
    ]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, tuple("-" * width for width in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def format_quantity(value, unit):
    if unit == "s" and value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:,.3g} {unit}" if value < 1000 else f"{value:,.0f} {unit}"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        # A crash must not read as a missed target (exit 1) to CI.
        traceback.print_exc()
        sys.exit(BROKEN)
