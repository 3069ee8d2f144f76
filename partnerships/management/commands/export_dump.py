"""manage.py export_dump DIR: the open-data dump, one CSV per table plus a README of columns.

`import_data all DIR` loads it back into another database.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from alliance_portal.api_csv import neutralise
from partnerships.imports.exports import NEUTRALISED, TABLES, copy_flows_csv, open_data_user
from partnerships.imports.service import LOAD_ORDER

README = """# Alliance Portal open-data dump

Written {when}. One UTF-8 CSV file per table; load them back in this order with
`manage.py import_data all DIR` (or one by one with `import_data KIND FILE`).
Cells that a spreadsheet would run as a formula start with an apostrophe; the import
removes it. The columns are documented in docs/import.md.

{tables}
"""


class Command(BaseCommand):
    help = "Write every public record as CSV files (one per table) and a README into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--everything",
            action="store_true",
            help="include agreements that are not public (a full copy, not open data)",
        )

    def handle(self, directory, everything, **options):
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        user = open_data_user()
        sections = []
        for kind in LOAD_ORDER:
            columns = TABLES[kind][0]
            count = write_table(target / f"{kind}.csv", kind, None if everything else user)
            sections.append(f"## {kind}.csv ({count} rows)\n\n" + ", ".join(columns))
            self.stdout.write(f"{kind}.csv: {count} rows")
        (target / "README.md").write_text(
            README.format(
                when=timezone.now().isoformat(timespec="seconds"), tables="\n\n".join(sections)
            ),
            encoding="utf-8",
        )


def write_table(path, kind, user):
    """Write the table of `kind` as `user` may see it (None: everything); returns its rows.

    On PostgreSQL the flows, a million rows and more, are written by the server's COPY."""
    columns, rows = TABLES[kind]
    if kind == "flows" and connection.vendor == "postgresql":
        with path.open("w", encoding="utf-8", newline="") as file:
            csv.writer(file, lineterminator="\n").writerow(columns)
            return copy_flows_csv(file, user)
    return write_csv(path, columns, rows(user), neutralised=kind in NEUTRALISED)


def write_csv(path, columns, rows, *, neutralised=False):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        if not neutralised:
            rows = ([neutralise(value) for value in row] for row in rows)
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
