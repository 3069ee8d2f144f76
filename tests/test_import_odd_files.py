"""Odd files through the import: each is read right or refused with its row, column and a
plain message, nothing is written, and nothing raises."""

import codecs
import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partnerships.imports import readers
from partnerships.imports.report import MAX_LISTED_ERRORS
from partnerships.models import Institution
from programs.models import StudentFlow
from tests import factories
from tests.importing import FLOW_HEADER, load, problems, table

pytestmark = pytest.mark.django_db

INSTITUTIONS = "name,kind,country"
BINARY = "This is not a text table (it holds binary data); upload a CSV or XLSX file."
UNREADABLE_XLSX = "The file is not a readable XLSX workbook."


def workbook(*rows):
    book = Workbook()
    for cells in rows:
        book.active.append(cells)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
INSTITUTION_SHEET = ["name", "kind", "country", "website"]


def load_institutions_sheet(*rows):
    """Import a workbook of institutions with a website column and `rows` under it."""
    return load("institutions", workbook(INSTITUTION_SHEET, *rows), filename="institutions.xlsx")


def with_rows_xml(data, rows_xml):
    """The workbook `data` with `rows_xml` appended to its first sheet, as written."""
    source, result = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == SHEET:
                content = content.replace(b"</sheetData>", rows_xml.encode() + b"</sheetData>")
            target.writestr(item, content)
    return result.getvalue()


def inline_row(number, *cells):
    """A sheet row in XML, its cells as inline strings or numbers."""
    xml = "".join(
        f'<c r="{column}{number}"><v>{cell}</v></c>'
        if isinstance(cell, int)
        else f'<c r="{column}{number}" t="inlineStr"><is><t>{cell}</t></is></c>'
        for column, cell in zip("ABCDEFGHI", cells, strict=False)
    )
    return f'<row r="{number}">{xml}</row>'


FLOW_SHEET = workbook(
    ["academic_year", "origin_country", "destination_country", "students"], [2018, "KZ", "CN", 5]
)


def test_a_byte_order_mark_alone_is_an_empty_file():
    assert problems(load("institutions", b"\xef\xbb\xbf")) == [(1, "", "The file is empty.")]


def test_a_nul_byte_deep_in_a_text_file_is_refused_on_its_row():
    rows = [f"University {n},university,CN" for n in range(4000)]
    content = table(INSTITUTIONS, *rows).encode() + b"H\x00IT,university,CN\n"
    report = load("institutions", content)
    assert problems(report) == [(4002, "", BINARY)]
    assert not Institution.objects.exists()


def test_a_damaged_sheet_is_refused_on_the_row_where_reading_stopped():
    bad_cell = '<row r="3"><c r="A3" t="inlineStr"><is><t>a&#0;b</t></is></c></row>'
    data = with_rows_xml(FLOW_SHEET, bad_cell)
    report = load("flows", data, filename="flows.xlsx")
    assert problems(report) == [(3, "", UNREADABLE_XLSX)]
    assert not StudentFlow.objects.exists()


def test_rows_past_the_size_a_sheet_states_are_read_and_checked():
    # The sheet still says it spans A1:D2, as a stale <dimension> of another tool would.
    later = inline_row(3, 2019, "KZ", "CN", 7) + inline_row(4, 2020, "KZ", "CN", 0)
    data = with_rows_xml(FLOW_SHEET, later)
    assert b'<dimension ref="A1:D2"' in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    report = load("flows", data, filename="flows.xlsx")
    assert (report.rows, problems(report)) == (
        3,
        [(4, "students", "0 is too small: the least allowed is 1.")],
    )
    assert not StudentFlow.objects.exists()


def test_a_row_past_the_last_row_a_workbook_holds_is_refused_in_bounded_time():
    far = inline_row(2_000_000_000, "x")
    data = with_rows_xml(FLOW_SHEET, far)
    report = load("flows", data, filename="flows.xlsx")
    assert problems(report) == [(1_048_577, "", UNREADABLE_XLSX)]
    assert not StudentFlow.objects.exists()


@pytest.mark.parametrize("count", ["12,0", "1,5", "1_0", "1,0000"])
def test_a_decimal_comma_or_an_underscore_in_a_count_is_not_a_whole_number(count):
    report = load("flows", table(FLOW_HEADER, f'2018,KZ,CN,,,6,degree,"{count}",MoE'))
    assert problems(report) == [(2, "students", f"“{count}” is not a whole number.")]
    assert not StudentFlow.objects.exists()


@pytest.mark.parametrize("count", ["1,000", "1 000", "1\u00a0000", "1\u202f000", " 1000 "])
def test_thousands_grouped_by_commas_or_spaces_are_read(count):
    report = load("flows", table(FLOW_HEADER, f'2018,KZ,CN,,,6,degree,"{count}",MoE'))
    assert report.ok, problems(report)
    assert StudentFlow.objects.get().students == 1000


def test_a_decimal_comma_in_a_year_of_an_institution_is_refused():
    report = load(
        "institutions", table(f"{INSTITUTIONS},founded_year", 'HIT,university,CN,"192,0"')
    )
    assert problems(report) == [(2, "founded_year", "“192,0” is not a whole number.")]
    assert not Institution.objects.exists()


def test_a_quote_left_open_does_not_swallow_the_rows_after_it():
    content = table(
        f"{INSTITUTIONS},description", 'HIT,university,CN,"Founded in 1920', "Tomsk,university,RU,"
    )
    report = load("institutions", content)
    assert problems(report) == [(2, "", "A quoted cell opens on this row and is never closed.")]
    assert not Institution.objects.exists()


def test_a_cell_over_128_kb_is_refused_on_its_row_in_plain_words():
    content = table(f"{INSTITUTIONS},description", "HIT,university,CN,", "Tomsk,university,RU,")
    report = load("institutions", content.replace("RU,", "RU," + "x" * 200_000))
    assert problems(report) == [
        (
            3,
            "",
            "A cell of this row is longer than 128 KB, the most a cell may hold; check that "
            "every quote is closed.",
        )
    ]
    assert not Institution.objects.exists()


def test_lines_ending_in_cr_alone_are_refused_in_plain_words():
    report = load("institutions", b"name,kind,country\rHIT,university,CN\r")
    assert problems(report) == [
        (
            1,
            "",
            "This row holds a line break (CR) outside quotes, as files whose lines end in CR "
            "alone do; save the file as “CSV UTF-8” and upload it again.",
        )
    ]
    assert not Institution.objects.exists()


@pytest.mark.parametrize(
    ("mark", "encoding"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_text_is_named_as_such_not_as_binary_data(mark, encoding):
    content = mark + table("name\tkind\tcountry", "HIT\tuniversity\tCN").encode(encoding)
    assert problems(load("institutions", content)) == [
        (
            1,
            "",
            "The file is UTF-16 text (as Excel saves “Unicode Text”); save it as “CSV UTF-8” "
            "and upload it again.",
        )
    ]
    assert not Institution.objects.exists()


@pytest.fixture
def api(staff):
    cache.clear()  # the API's throttle counts requests across tests
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=staff)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def flows_upload(name="flows.csv"):
    return SimpleUploadedFile(name, table(FLOW_HEADER, "2018,KZ,CN,,,6,degree,100,MoE").encode())


@pytest.mark.parametrize("flag", ["dry-run", "dryrun", "DRY_RUN"])
def test_a_misspelt_dry_run_flag_is_refused_not_taken_for_a_real_import(api, flag):
    fields = {"kind": "flows", "file": flows_upload(), flag: "true"}
    response = api.post("/api/v1/imports/", fields, format="multipart")
    assert (response.status_code, response.json()) == (
        400,
        {flag: ["Unknown field; the fields are: kind, file, dry_run, add."]},
    )
    assert not StudentFlow.objects.exists()


def test_two_files_in_one_request_are_refused(api):
    fields = {"kind": "flows", "file": [flows_upload("a.csv"), flows_upload("b.csv")]}
    response = api.post("/api/v1/imports/", fields, format="multipart")
    assert (response.status_code, response.json()) == (
        400,
        {"file": ["Send one file per request."]},
    )
    assert not StudentFlow.objects.exists()


def test_blank_cells_after_the_header_names_do_not_count_as_columns():
    report = load("institutions", table(INSTITUTIONS + "," * 150, "HIT,university,CN"))
    assert (report.ok, report.created) == (True, 1), problems(report)
    assert Institution.objects.get().name == "HIT"


@pytest.mark.parametrize(
    "header",
    ["\ufeff\ufeffname,kind,country", "name,\ufeffkind,country"],
    ids=["two-byte-order-marks", "a-byte-order-mark-inside"],
)
def test_a_byte_order_mark_inside_the_header_is_not_part_of_a_name(header):
    report = load("institutions", table(header, "HIT,university,CN"))
    assert (report.ok, report.created) == (True, 1), problems(report)


def test_a_value_under_a_column_without_a_name_is_refused_not_dropped():
    data = workbook(["name", None, "kind", "country"], ["HIT", "Harbin", "university", "CN"])
    report = load("institutions", data, filename="institutions.xlsx")
    assert problems(report) == [
        (2, "", "This row has a value in column 2, which has no name in the header.")
    ]
    assert not Institution.objects.exists()


def test_a_column_without_a_name_may_stay_empty():
    report = load("institutions", table("name,,kind,country", "HIT,,university,CN"))
    assert (report.ok, report.created) == (True, 1), problems(report)


def test_counts_added_past_the_largest_the_table_holds_are_refused():
    stored = factories.StudentFlowFactory(
        academic_year=2018, origin_country="KZ", destination_country="CN", level="6",
        mobility_type="degree", students=2_000_000_000, source="MoE",
    )  # fmt: skip
    report = load("flows", table(FLOW_HEADER, "2018,KZ,CN,,,6,degree,2000000000,MoE"), add=True)
    assert problems(report) == [
        (
            None,
            "students",
            "Added to the stored counts, some of the file's counts would exceed 2,147,483,647.",
        )
    ]
    stored.refresh_from_db()
    assert stored.students == 2_000_000_000


def test_a_formula_whose_result_was_never_saved_is_refused_not_read_as_blank():
    # openpyxl, like most programs that write workbooks, saves formulas without results.
    report = load_institutions_sheet(
        ["HIT", "university", "CN", '=HYPERLINK("https://hit.edu.cn")'],
        ["NSU", "university", "RU", "https://nsu.ru"],
    )
    assert [(row, column) for row, column, _message in problems(report)] == [(2, "website")]
    assert "formula whose result was never saved" in report.errors[0].message
    assert not Institution.objects.exists()


def test_a_formula_with_its_saved_result_is_read_as_that_result():
    cached = (
        '<row r="3"><c r="A3"><f>1+1</f><v>2019</v></c>'
        '<c r="B3" t="str"><f>"KZ"</f><v>KZ</v></c>'
        '<c r="C3" t="inlineStr"><is><t>CN</t></is></c><c r="D3"><f>2*3</f><v>6</v></c></row>'
    )
    data = with_rows_xml(FLOW_SHEET, cached)
    report = load("flows", data, filename="flows.xlsx")
    assert (report.ok, report.created) == (True, 2), problems(report)
    assert StudentFlow.objects.get(academic_year=2019).students == 6


def test_a_formula_whose_saved_result_is_empty_text_is_a_blank_cell():
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>HIT</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>university</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>CN</t></is></c><c r="D2" t="str"><f>""</f><v></v></c></row>'
    )
    data = with_rows_xml(workbook(INSTITUTION_SHEET), row)
    report = load("institutions", data, filename="institutions.xlsx")
    assert (report.ok, report.created) == (True, 1), problems(report)
    assert Institution.objects.get().website == ""


def test_spreadsheet_errors_are_refused_on_their_cells_not_read_as_text():
    report = load_institutions_sheet(
        ["HIT", "university", "CN", "#N/A"],
        ["NSU", "#REF!", "RU", ""],
    )
    assert problems(report) == [
        (2, "website", "This cell holds the spreadsheet error #N/A; correct it or clear the cell."),
        (3, "kind", "This cell holds the spreadsheet error #REF!; correct it or clear the cell."),
    ]
    assert not Institution.objects.exists()


def test_cell_problems_past_those_listed_are_still_counted():
    rows = [[f"University {n}", "#N/A", "CN", "#REF!"] for n in range(400)]
    report = load_institutions_sheet(*rows)
    assert len(report.errors) == MAX_LISTED_ERRORS
    assert report.errors[-1].row == 251  # two cells a row, in the order of the sheet
    assert report.error_count == 800
    assert report.summary() == "800 problems; nothing was written."
    assert not Institution.objects.exists()


def test_cell_problems_are_found_across_the_pieces_a_large_sheet_is_read_in():
    rows = [[f"University {n}", "university", "CN", f"https://u{n}.example"] for n in range(10_000)]
    for index in range(0, 10_000, 997):
        rows[index][3] = "#DIV/0!"
    data = workbook(INSTITUTION_SHEET, *rows)
    assert len(zipfile.ZipFile(io.BytesIO(data)).read(SHEET)) > 2 * readers.SCAN_BYTES
    report = load("institutions", data, filename="institutions.xlsx")
    assert {message for _row, _column, message in problems(report)} == {
        "This cell holds the spreadsheet error #DIV/0!; correct it or clear the cell."
    }
    assert [(row, column) for row, column, _message in problems(report)] == [
        (index + 2, "website") for index in range(0, 10_000, 997)
    ]


def test_an_empty_first_sheet_names_the_sheet_that_holds_the_data():
    book = Workbook()
    book.active.title = "Notes"
    book.create_sheet("Flows").append(["academic_year", "origin_country"])
    data = io.BytesIO()
    book.save(data)
    report = load("flows", data.getvalue(), filename="flows.xlsx")
    assert problems(report) == [
        (
            1,
            "",
            "The first sheet, “Notes”, is empty; the table must be on the first sheet "
            "(“Flows” holds data).",
        )
    ]


def test_a_header_below_an_empty_first_row_is_pointed_to():
    data = workbook([None], [None], ["name", "kind", "country"], ["HIT", "university", "CN"])
    report = load("institutions", data, filename="institutions.xlsx")
    assert problems(report) == [
        (
            1,
            "",
            "The first row is empty; the header must be on row 1 (the first row that holds "
            "anything is row 3).",
        )
    ]


def test_cell_problems_are_found_when_a_row_is_longer_than_a_piece(monkeypatch):
    monkeypatch.setattr(readers, "SCAN_BYTES", 40)
    report = load_institutions_sheet(
        ["HIT", "university", "CN", "#N/A"],
        ["NSU", "university", "RU", "=1/0"],
        ["KazNU", "#NAME?", "KZ", ""],
    )
    assert [(row, column) for row, column, _message in problems(report)] == [
        (2, "website"),
        (3, "website"),
        (4, "kind"),
    ]


def test_an_xlsx_cell_over_the_cell_limit_is_refused_on_its_cell():
    long_text = "x" * (readers.MAX_CELL_CHARACTERS + 1)
    # Excel and openpyxl stop a cell at 32,767 characters; other programs need not.
    data = with_rows_xml(
        workbook(INSTITUTION_SHEET),
        inline_row(2, "HIT", "university", "CN", long_text),
    )
    report = load("institutions", data, filename="institutions.xlsx")
    assert problems(report) == [
        (2, "website", "This cell is longer than 128 KB, the most a cell may hold.")
    ]
    assert not Institution.objects.exists()


def test_a_long_bad_value_is_quoted_by_its_start():
    pasted = "Harbin Institute of Technology, 92 West Dazhi Street, Nangang District, Harbin"
    report = load("flows", table(FLOW_HEADER, f'2018,KZ,"{pasted}",,,6,degree,5,MoE'))
    [(row, column, message)] = problems(report)
    assert (row, column) == (2, "destination_country")
    assert message == (f"“{pasted.upper()[:59]}…” is not an ISO 3166-1 alpha-2 country code.")
    assert not StudentFlow.objects.exists()


def test_a_bad_value_of_sixty_characters_is_quoted_whole():
    value = "x" * 60
    report = load("flows", table(FLOW_HEADER, f"2018,KZ,CN,,,6,degree,{value},MoE"))
    assert problems(report) == [(2, "students", f"“{value}” is not a whole number.")]


def test_formula_cells_left_unclosed_are_refused_in_bounded_time():
    # Each unclosed cell once made the scan read on to the end of its piece of the sheet.
    unclosed = "".join(f'<c r="A{n}"><f>1+1</f>' for n in range(3, 40_000))
    data = with_rows_xml(FLOW_SHEET, f'<row r="3">{unclosed}</row>')
    report = load("flows", data, filename="flows.xlsx")
    assert [message for _row, _column, message in problems(report)] == [UNREADABLE_XLSX]
    assert not StudentFlow.objects.exists()
