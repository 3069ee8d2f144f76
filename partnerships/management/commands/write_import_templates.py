"""manage.py write_import_templates: the CSV and XLSX template of every kind of import."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from partnerships.imports.templates import EXAMPLES, csv_template, xlsx_template

TEMPLATES_DIR = Path(settings.BASE_DIR) / "static" / "imports" / "templates"


class Command(BaseCommand):
    help = "Write KIND.csv and KIND.xlsx (header row and an example) for every kind of import."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(TEMPLATES_DIR))

    def handle(self, directory, **options):
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        for kind in EXAMPLES:
            (target / f"{kind}.csv").write_text(csv_template(kind), encoding="utf-8")
            (target / f"{kind}.xlsx").write_bytes(xlsx_template(kind))
        self.stdout.write(f"Wrote the templates of {len(EXAMPLES)} kinds into {target}.")
