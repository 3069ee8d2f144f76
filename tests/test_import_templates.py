"""The template files of the upload page: one per kind, CSV and XLSX, each loading cleanly."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from partnerships.imports.service import KINDS, LOAD_ORDER
from partnerships.imports.templates import EXAMPLES, csv_template, template_rows
from partnerships.models import Agreement, AgreementCondition
from tests.factories import InstitutionFactory
from tests.importing import load, problems

TEMPLATES_DIR = Path(settings.BASE_DIR) / "static" / "imports" / "templates"


def stored_csv(kind):
    return (TEMPLATES_DIR / f"{kind}.csv").read_text(encoding="utf-8")


def stored_xlsx_rows(kind):
    workbook = load_workbook(TEMPLATES_DIR / f"{kind}.xlsx", read_only=True)
    return [["" if value is None else value for value in row] for row in workbook.active.values]


def template_bytes(kind, file_format):
    return (TEMPLATES_DIR / f"{kind}.{file_format}").read_bytes()


@pytest.fixture
def spbpu(db):
    """The one record the templates name without creating it: the foreign partner."""
    return InstitutionFactory(
        slug="spbpu", name="Peter the Great St. Petersburg Polytechnic University", country="RU"
    )


def test_every_kind_of_import_has_an_example():
    assert list(EXAMPLES) == LOAD_ORDER
    assert set(LOAD_ORDER) == set(KINDS)


@pytest.mark.parametrize("kind", LOAD_ORDER)
def test_stored_templates_are_the_ones_the_column_definitions_give(kind):
    header = KINDS[kind].columns
    assert stored_csv(kind) == csv_template(kind)
    assert next(csv.reader(io.StringIO(stored_csv(kind)))) == header
    assert stored_xlsx_rows(kind) == template_rows(kind)
    assert stored_xlsx_rows(kind)[0] == header


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", LOAD_ORDER)
def test_each_template_creates_its_example_record(kind, file_format, spbpu):
    for earlier in LOAD_ORDER[: LOAD_ORDER.index(kind)]:
        report = load(earlier, template_bytes(earlier, "csv"))
        assert report.ok, problems(report)

    report = load(
        kind, template_bytes(kind, file_format), filename=f"{kind}.{file_format}", dry_run=True
    )

    assert problems(report) == []
    assert (report.rows, report.created, report.updated, report.unchanged) == (
        len(EXAMPLES[kind]),
        1,
        0,
        0,
    )


def test_the_templates_loaded_in_order_link_up(spbpu):
    for kind in LOAD_ORDER:
        assert load(kind, template_bytes(kind, "xlsx"), filename=f"{kind}.xlsx").created == 1
    agreement = Agreement.objects.get(reference="XJTU-SPBPU-2024-01")
    assert sorted(agreement.parties.values_list("institution__slug", flat=True)) == [
        "spbpu",
        "xjtu",
    ]
    condition = AgreementCondition.objects.get(agreement=agreement)
    assert condition.sending_unit.name == "School of Electrical Engineering"
    assert agreement.flows.get().students == 4


def test_upload_page_links_both_templates_of_each_kind_it_offers(client, staff):
    client.force_login(staff)
    page = client.get("/imports/").content.decode()
    for kind in LOAD_ORDER:
        assert f'href="/static/imports/templates/{kind}.csv"' in page
        assert f'href="/static/imports/templates/{kind}.xlsx"' in page


def test_upload_page_links_only_the_templates_of_kinds_a_secretariat_may_load(client, secretariat):
    client.force_login(secretariat)
    page = client.get("/imports/").content.decode()
    assert 'href="/static/imports/templates/memberships.xlsx"' in page
    assert "templates/flows.xlsx" not in page
