"""manage.py import_data KIND FILE [--dry-run] [--add]: load a CSV or XLSX table.

KIND `all` loads a directory written by `export_dump`, one file per kind, in order.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.imports.flows import CHECKING, COMPARING, WRITING
from partnerships.imports.service import KINDS, LOAD_ORDER, kind_named, run_import


class Command(BaseCommand):
    help = "Check a CSV or XLSX file and load it; nothing is written when a row is bad."

    def add_arguments(self, parser):
        parser.add_argument("kind", type=kind_named, choices=[*KINDS, "all"])
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
        started = time.monotonic()
        with path.open("rb") as file:
            progress = Progress(self.stderr, file, path)
            report = run_import(
                kind=kind, file=file, filename=path.name, by=None, dry_run=dry_run, add=add,
                progress=progress, allow_empty=whole,
            )  # fmt: skip
            progress.finish()
        elapsed = time.monotonic() - started
        style = self.style.SUCCESS if report.ok else self.style.ERROR
        self.stdout.write(style(f"{kind} ({path.name}): {report.summary()} [{elapsed:.1f} s]"))
        for error in report.errors:
            self.stdout.write(f"  {error}")
        if report.error_count > len(report.errors):
            self.stdout.write(f"  ... and {report.error_count - len(report.errors)} more.")
        if dry_run and not whole and report.ok:  # a check shows what it would change
            for change in report.changes:
                self.stdout.write(f"  {change}")
            if report.change_count > len(report.changes):
                self.stdout.write(f"  ... and {report.change_count - len(report.changes)} more.")
        return report.ok


class Progress:
    """Where a flows import is, on stderr: a line per stage, redrawn in place as it goes.

    Checking shows the rows read, the share of a CSV file and the rate; comparing and
    writing show their rows when they start, and their time and rate when they end (the
    write's time includes the commit, where the database checks the references)."""

    RUNNING = {
        CHECKING: "checked {rows:,} {noun}{share} in {seconds:.1f} s, {rate:,.0f} rows/s",
        COMPARING: "comparing {rows:,} {noun} with the stored flows...",
        WRITING: "writing {rows:,} {noun}...",
    }
    DONE = {
        CHECKING: RUNNING[CHECKING],
        COMPARING: "compared {rows:,} {noun} with the stored flows in {seconds:.1f} s",
        WRITING: "wrote {rows:,} {noun} in {seconds:.1f} s, {rate:,.0f} rows/s",
    }

    def __init__(self, stream, file, path):
        self.stream, self.file = stream, file
        # The share read is known for a CSV file; an XLSX file is read by sheet, not by byte.
        self.size = max(path.stat().st_size, 1) if path.suffix.lower() == ".csv" else None
        # The first stage, checking, starts with the import, before its first report.
        self.stage, self.rows, self.started, self.width = None, 0, time.monotonic(), 0

    def __call__(self, stage, rows):
        if stage != self.stage:
            self.finish()
            self.stage = stage
        self.rows = rows
        self._draw(self.RUNNING[stage])

    def finish(self):
        """End the current stage's line with its time."""
        if self.stage is not None:
            self._draw(self.DONE[self.stage])
            self.stream.write("")
            self.stage, self.started, self.width = None, time.monotonic(), 0

    def _draw(self, line):
        seconds = time.monotonic() - self.started
        share = ""
        if self.stage == CHECKING and self.size and not self.file.closed:
            share = f" ({min(self.file.tell() / self.size, 1.0):.0%} of the file)"
        text = "  " + line.format(
            rows=self.rows,
            noun="row" if self.rows == 1 else "rows",
            share=share,
            seconds=seconds,
            rate=self.rows / max(seconds, 1e-6),
        )
        self.stream.write("\r" + text.ljust(self.width), ending="")
        self.width = len(text)
        self.stream.flush()


def _table_in(directory, kind):
    for suffix in (".csv", ".xlsx"):
        if (directory / f"{kind}{suffix}").is_file():
            return directory / f"{kind}{suffix}"
    return None
