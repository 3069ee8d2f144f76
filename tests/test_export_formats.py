"""Every API list exports as CSV, XLSX, JSON and JSON Lines with the list's filters and
visibility; cells a spreadsheet would run as a formula are neutralised in CSV and XLSX."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

FLOWS = "/api/v1/flows/"
INSTITUTIONS = "/api/v1/institutions/"
AGREEMENTS = "/api/v1/agreements/"


def body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def sheet_rows(response):
    workbook = load_workbook(io.BytesIO(body(response)))
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()]


def sheet_cells(response):
    workbook = load_workbook(io.BytesIO(body(response)))
    return list(workbook.active.iter_rows())


@pytest.fixture
def flows():
    for year in (2017, 2018, 2019):
        factories.StudentFlowFactory(academic_year=year, origin_country="KZ", students=year - 2000)
    factories.StudentFlowFactory(academic_year=2018, origin_country="RU", students=5)


def test_xlsx_export_holds_every_filtered_row(flows):
    response = APIClient().get(FLOWS, {"format": "xlsx", "origin_country": "KZ"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="flow.xlsx"' in response["Content-Disposition"]
    rows = sheet_rows(response)
    header, records = rows[0], rows[1:]
    assert "students" in header and "origin_country" in header
    students = sorted(record[header.index("students")] for record in records)
    assert students == [17, 18, 19]


def test_json_export_is_every_row_not_a_page(flows):
    response = APIClient().get(FLOWS, {"format": "json", "year_from": 2018})
    assert response.status_code == 200
    assert 'filename="flow.json"' in response["Content-Disposition"]
    records = json.loads(body(response))
    assert isinstance(records, list)
    assert sorted(record["students"] for record in records) == [5, 18, 19]


def test_plain_json_request_still_answers_pages(flows):
    response = APIClient().get(FLOWS)
    assert response.status_code == 200
    assert "results" in response.json()


def test_json_lines_export_is_one_object_per_line(flows):
    response = APIClient().get(FLOWS, {"format": "jsonl", "origin_country": "RU"})
    lines = body(response).decode().splitlines()
    assert [json.loads(line)["students"] for line in lines] == [5]


def test_export_of_an_empty_list_is_well_formed():
    assert json.loads(body(APIClient().get(FLOWS, {"format": "json"}))) == []
    (header,) = sheet_rows(APIClient().get(FLOWS, {"format": "xlsx"}))
    assert header[:3] == ["id", "academic_year", "academic_year_label"]
    assert "students" in header


def test_bad_filter_on_an_export_is_a_json_400():
    response = APIClient().get(FLOWS, {"format": "xlsx", "year_from": "soon"})
    assert response.status_code == 400
    assert "year_from" in response.json()


def test_exports_leave_out_what_the_visitor_may_not_see(agreement_of_each_visibility):
    for export_format in ("xlsx", "json", "csv"):
        response = APIClient().get(AGREEMENTS, {"format": export_format})
        if export_format == "xlsx":
            text = json.dumps(sheet_rows(response)).encode()
        else:
            text = body(response)
        assert b"XJTU-HIT-PUBLIC" in text
        assert b"XJTU-HIT-MEMBERS" not in text and b"XJTU-HIT-PARTIES" not in text


FORMULAS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", '=HYPERLINK("http://evil")']


def test_formula_cells_are_neutralised_in_xlsx():
    for number, name in enumerate(FORMULAS):
        factories.InstitutionFactory(name=name, slug=f"formula-{number}")
    cells = sheet_cells(APIClient().get(INSTITUTIONS, {"format": "xlsx", "page_size": 50}))
    header = [cell.value for cell in cells[0]]
    names = [row[header.index("name")] for row in cells[1:]]
    assert sorted(cell.value for cell in names) == sorted(f"'{name}" for name in FORMULAS)
    assert {cell.data_type for cell in names} == {"s"}


def test_formula_cells_are_neutralised_in_csv():
    for number, name in enumerate(FORMULAS):
        factories.InstitutionFactory(name=name, slug=f"formula-{number}")
    text = body(APIClient().get(INSTITUTIONS, {"format": "csv"})).decode()
    names = [row["name"] for row in csv.DictReader(io.StringIO(text))]
    assert sorted(names) == sorted(f"'{name}" for name in FORMULAS)


def test_control_characters_do_not_break_the_workbook():
    factories.InstitutionFactory(name="Bad\x07 bell", slug="bell")
    rows = sheet_rows(APIClient().get(INSTITUTIONS, {"format": "xlsx"}))
    assert "Bad bell" in rows[1]


def test_flow_export_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    institution = factories.InstitutionFactory(country="CN")
    for year in range(2000, 2040):
        factories.StudentFlowFactory(academic_year=year, destination_institution=institution)
    with django_assert_max_num_queries(6):
        response = APIClient().get(FLOWS, {"format": "xlsx"})
        assert len(sheet_rows(response)) == 41
