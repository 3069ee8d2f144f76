"""Exports (CSV, XLSX, JSON, JSON Lines and the open-data dump) of values that are odd:
formulas hidden behind whitespace or full-width signs, characters XML forbids, line
separators, empty selections."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from rest_framework.test import APIClient

from partnerships.management.commands.export_dump import write_table
from partnerships.models import Institution
from programs.models import StudentFlow
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

INSTITUTIONS = "/api/v1/institutions/"

# Each starts a formula once a spreadsheet has stripped the whitespace before it or read
# the full-width sign as its ASCII form.
HIDDEN_FORMULAS = [
    " =1+1",
    "   =cmd|' /C calc'!A0",
    "\n=1+1",
    "\u00a0=1+1",
    "\u3000@SUM(A1)",
    "＝1+1",
    "＋1",
    "－1+1",
    "＠SUM(A1)",
]


def body(response):
    assert response.status_code == 200
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response).decode())))


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_formulas_behind_whitespace_or_full_width_signs_are_neutralised_in_csv():
    for number, name in enumerate(HIDDEN_FORMULAS):
        factories.InstitutionFactory(name=name, slug=f"hidden-{number}")

    rows = csv_rows(APIClient().get(INSTITUTIONS, {"format": "csv", "ordering": "name"}))

    assert sorted(row["name"] for row in rows) == sorted(f"'{name}" for name in HIDDEN_FORMULAS)


def test_formulas_behind_whitespace_are_neutralised_in_the_dump_and_restored(tmp_path):
    factories.InstitutionFactory(name="＝1+1", slug="full-width", country="CN")
    factories.StudentFlowFactory(source=" =1+1")

    call_command("export_dump", str(tmp_path), stdout=io.StringIO())

    assert read_csv(tmp_path / "institutions.csv")[0]["name"] == "'＝1+1"
    assert read_csv(tmp_path / "flows.csv")[0]["source"] == "' =1+1"
    StudentFlow.objects.all().delete()
    Institution.objects.all().delete()
    call_command("import_data", "all", str(tmp_path), stdout=io.StringIO())
    assert Institution.objects.get().name == "＝1+1"
    assert StudentFlow.objects.get().source == " =1+1"


def test_flow_sources_behind_whitespace_are_neutralised_by_the_flows_table(tmp_path):
    """On PostgreSQL the flows table is written by COPY, its cells neutralised in SQL."""
    factories.StudentFlowFactory(source="\n=1+1", academic_year=2018)
    factories.StudentFlowFactory(source="＠cmd", academic_year=2019)

    write_table(tmp_path / "flows.csv", "flows", None)

    assert [row["source"] for row in read_csv(tmp_path / "flows.csv")] == ["'\n=1+1", "'＠cmd"]


def sheet_rows(response):
    workbook = load_workbook(io.BytesIO(body(response)))
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()]


def test_characters_xml_forbids_are_dropped_from_xlsx_cells():
    factories.InstitutionFactory(name="Tomsk\uffff \ufffeUniversity\x0b\x1b", slug="tomsk")

    header, row = sheet_rows(APIClient().get(INSTITUTIONS, {"format": "xlsx"}))

    assert row[header.index("name")] == "Tomsk University"


@pytest.mark.parametrize("export_format", ["json", "jsonl"])
def test_line_separators_stay_inside_their_json_record(export_format):
    factories.InstitutionFactory(name="Tomsk\u2028State\u2029University", slug="tomsk")
    factories.InstitutionFactory(name="</script><script>alert(1)</script>", slug="script")

    text = body(APIClient().get(INSTITUTIONS, {"format": export_format})).decode()

    lines = text.splitlines()
    records = json.loads(text) if export_format == "json" else [json.loads(line) for line in lines]
    assert sorted(record["name"] for record in records) == [
        "</script><script>alert(1)</script>",
        "Tomsk\u2028State\u2029University",
    ]
    assert len(lines) == (4 if export_format == "json" else 2)


def header_of(response, export_format):
    if export_format == "csv":
        return list(csv.reader(io.StringIO(body(response).decode())))
    return sheet_rows(response)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_an_aggregate_with_no_rows_still_exports_its_header(export_format):
    factories.StudentFlowFactory(academic_year=2018, origin_country="KZ")
    client = APIClient()

    summary = client.get(
        "/api/v1/flows/summary/",
        {"academic_year": 1990, "group_by": "origin_institution,level", "format": export_format},
    )
    balance = client.get("/api/v1/flows/balance/", {"country": "MN", "format": export_format})

    assert header_of(summary, export_format) == [
        ["origin_institution", "origin_institution_name", "level", "students"]
    ]
    assert header_of(balance, export_format) == [
        [
            "country",
            "partner_country",
            "partner_country_name",
            "inbound",
            "outbound",
            "balance_index",
        ]
    ]
