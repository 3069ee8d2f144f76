"""manage.py import_ror FILE [--create]: institution identity from a ROR data dump."""

from django.core.management.base import BaseCommand, CommandError

from partnerships.ror import RorDumpError, import_records, parse_records, read_dump

PROGRESS_EVERY = 1000


class Command(BaseCommand):
    help = (
        "Fill names, country, city, website, parent and successor of institutions from a ROR "
        "data dump (schema v2, .json or .zip), linking them by ROR ID. Nothing is created "
        "unless --create is given; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The ROR dump: a schema v2 .json file or its .zip.")
        parser.add_argument(
            "--create",
            action="store_true",
            help="Also add organisations of the dump that are not in the registry yet.",
        )

    def handle(self, *args, file, create, **options):
        try:
            records = parse_records(read_dump(file))
            self.stdout.write(f"Read {len(records)} records from {file}.")
            report = import_records(records, create=create, progress=self._progress)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except RorDumpError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} created, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged, {report.skipped} not in the registry"
                + ("" if create else " (use --create to add them)")
                + "."
            )
        )

    def _progress(self, done, total):
        if done % PROGRESS_EVERY == 0 or done == total:
            self.stdout.write(f"  {done}/{total} records")
