"""manage.py import_data KIND FILE [--dry-run] [--add]: load a CSV or XLSX table.

KIND `all` loads a directory written by `export_dump`, one file per kind, in order.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.imports.service import KINDS, LOAD_ORDER, run_import


class Command(BaseCommand):
    help = "Check a CSV or XLSX file and load it; nothing is written when a row is bad."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*KINDS, "all"])
        parser.add_argument("file", help="a .csv or .xlsx file (for `all`: a directory)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )
        parser.add_argument(
            "--add",
            action="store_true",
            help="flows: add the file's counts to existing ones instead of replacing them",
        )

    def handle(self, kind, file, dry_run, add, **options):
        path = Path(file)
        if kind == "all":
            if not path.is_dir():
                raise CommandError(f"{path} is not a directory.")
            files = [(name, _table_in(path, name)) for name in LOAD_ORDER]
            files = [(name, found) for name, found in files if found]
            if not files:
                raise CommandError(
                    f"{path} holds none of {', '.join(f'{k}.csv' for k in LOAD_ORDER)}."
                )
        elif not path.is_file():
            raise CommandError(f"{path} is not a file.")
        else:
            files = [(kind, path)]
        failed = False
        for name, table in files:
            failed |= not self.load(name, table, dry_run=dry_run, add=add, whole=kind == "all")
        if failed:
            raise CommandError("Nothing was written from the file(s) with problems.")

    def load(self, kind, path, *, dry_run, add, whole):
        size = path.stat().st_size or 1
        started = time.monotonic()
        with path.open("rb") as file:

            def progress(rows):
                elapsed = max(time.monotonic() - started, 1e-6)
                done = min(file.tell() / size, 1.0) if path.suffix.lower() == ".csv" else None
                share = f" ({done:.0%})" if done is not None else ""
                self.stderr.write(
                    f"  {rows:,} rows{share}, {rows / elapsed:,.0f} rows/s", ending="\r"
                )

            report = run_import(
                kind=kind, file=file, filename=path.name, by=None, dry_run=dry_run, add=add,
                progress=progress, allow_empty=whole,
            )  # fmt: skip
        elapsed = time.monotonic() - started
        style = self.style.SUCCESS if report.ok else self.style.ERROR
        self.stdout.write(style(f"{kind} ({path.name}): {report.summary()} [{elapsed:.1f} s]"))
        for error in report.errors:
            self.stdout.write(f"  {error}")
        if report.error_count > len(report.errors):
            self.stdout.write(f"  ... and {report.error_count - len(report.errors)} more.")
        return report.ok


def _table_in(directory, kind):
    for suffix in (".csv", ".xlsx"):
        if (directory / f"{kind}{suffix}").is_file():
            return directory / f"{kind}{suffix}"
    return None
