"""The catalogue of bad files: each is refused with its row, column and a plain message,
and nothing is written."""

import pytest

from partnerships.models import Agreement, Institution, Membership
from programs.models import Programme, StudentFlow
from tests import factories
from tests.importing import FLOW_HEADER, distinct_flow_rows, load, problems, table

pytestmark = pytest.mark.django_db

GOOD_FLOW = "2018,KZ,CN,,,6,degree,100,MoE"


def assert_refused(report, row, column, words):
    """The report names `row` and `column` with a message containing `words`."""
    assert not report.ok and not report.written
    assert any(
        (error.row, error.column) == (row, column) and words.lower() in error.message.lower()
        for error in report.errors
    ), problems(report)
    assert "nothing was written" in report.summary()


@pytest.mark.parametrize(
    ("rows", "row", "column", "words"),
    [
        pytest.param(
            ["2018,XX,CN,,,6,degree,100,MoE"], 3, "origin_country", "not an ISO 3166-1",
            id="unknown-country",
        ),
        pytest.param(
            ["2018,KZ,CN,,,9,degree,100,MoE"], 3, "level", "“9” is not one of", id="bad-isced-level"
        ),
        pytest.param(
            ["2018,KZ,CN,,,6,degree,-5,MoE"], 3, "students", "too small", id="negative-count"
        ),
        pytest.param(
            ["2018,KZ,CN,,,6,degree,0,MoE"], 3, "students", "too small", id="zero-count"
        ),
        pytest.param([GOOD_FLOW], 3, "academic_year", "repeats an earlier", id="duplicate-rows"),
        pytest.param(
            ["2018,KZ,CN,nowhere-university,,6,degree,100,MoE"], 3, "origin_institution",
            "no institution “nowhere-university”", id="unknown-institution",
        ),
        pytest.param(
            ["2018,KZ,KZ,,,6,degree,100,MoE"], 3, "destination_country", "different countries",
            id="same-country",
        ),
        pytest.param(
            ["2018/20,KZ,CN,,,6,degree,100,MoE"], 3, "academic_year", "not one academic year",
            id="bad-academic-year",
        ),
        pytest.param(
            ["2018,KZ,CN,,,6,by-bus,100,MoE"], 3, "mobility_type", "not one of", id="bad-mobility"
        ),
        pytest.param(
            ["2018,KZ,CN,,,6,degree,many,MoE"], 3, "students", "not a whole number",
            id="count-not-a-number",
        ),
    ],
)  # fmt: skip
def test_bad_flow_rows_are_refused_and_nothing_is_written(rows, row, column, words):
    report = load("flows", table(FLOW_HEADER, GOOD_FLOW, *rows))
    assert_refused(report, row, column, words)
    assert not StudentFlow.objects.exists()


def test_every_bad_row_is_listed_not_only_the_first():
    report = load(
        "flows",
        table(FLOW_HEADER, "2018,XX,CN,,,6,degree,100,MoE", GOOD_FLOW, "2018,KZ,CN,,,6,degree,-1,"),
    )
    assert [(error.row, error.column) for error in report.errors] == [
        (2, "origin_country"),
        (4, "students"),
    ]


def test_institution_in_the_wrong_country_is_refused():
    factories.InstitutionFactory(slug="xjtu", country="CN")
    report = load("flows", table(FLOW_HEADER, "2018,CN,KZ,,xjtu,6,degree,100,MoE"))
    assert_refused(report, 2, "destination_institution", "is in CN, not in the destination")


def test_missing_column_is_refused_at_the_header():
    report = load("flows", table(FLOW_HEADER.replace(",students", ""), "2018,KZ,CN,,,6,degree,MoE"))
    assert_refused(report, 1, "students", "missing")
    assert not StudentFlow.objects.exists()


def test_unknown_column_is_refused_at_the_header():
    report = load("institutions", table("name,kind,country,studnets", "HIT,university,CN,1"))
    assert_refused(report, 1, "studnets", "unknown column")
    assert not Institution.objects.exists()


def test_bad_isced_field_code_of_a_programme_is_refused():
    factories.InstitutionFactory(slug="xjtu")
    report = load(
        "programmes",
        table("name,kind,level,field,lead", "Joint master's,joint_degree,7,0999,xjtu"),
    )
    assert_refused(report, 2, "field", "not an ISCED-F 2013 field code")
    assert not Programme.objects.exists()


def test_reversed_membership_dates_are_refused_and_earlier_rows_are_not_kept():
    factories.AllianceFactory(slug="uasr")
    factories.InstitutionFactory(slug="xjtu")
    factories.InstitutionFactory(slug="hit")
    report = load(
        "memberships",
        table(
            "alliance,institution,joined_on,left_on",
            "uasr,xjtu,2015-05-22,",
            "uasr,hit,2020-01-01,2019-12-31",
        ),
    )
    assert_refused(report, 3, "left_on", "cannot end before it starts")
    assert not Membership.objects.exists()


def test_reversed_agreement_dates_are_refused():
    factories.InstitutionFactory(slug="ccn")
    factories.InstitutionFactory(slug="ranepa")
    report = load(
        "agreements",
        table(
            "reference,title,kind,effective_from,expires_on,party_institution",
            "MOC-1,Memorandum,memorandum_of_cooperation,2024-01-01,2023-01-01,ccn",
            "MOC-1,,,,,ranepa",
        ),
    )
    assert_refused(report, 2, "expires_on", "cannot expire before it takes effect")
    assert not Agreement.objects.exists()


def test_agreement_with_one_party_is_refused():
    factories.InstitutionFactory(slug="ccn")
    report = load(
        "agreements",
        table("reference,title,kind,party_institution", "MOC-1,Memorandum,mou,ccn"),
    )
    assert_refused(report, 2, "party_institution", "at least two signing parties")


def test_duplicate_institution_rows_are_refused():
    report = load(
        "institutions",
        table("name,kind,country", "HIT,university,CN", "Tomsk,university,RU", "hit,university,CN"),
    )
    assert_refused(report, 4, "name", "repeats row 2")
    assert not Institution.objects.exists()


def test_date_in_another_format_is_refused():
    factories.AllianceFactory(slug="uasr")
    factories.InstitutionFactory(slug="xjtu")
    report = load("memberships", table("alliance,institution,joined_on", "uasr,xjtu,22/05/2015"))
    assert_refused(report, 2, "joined_on", "write it as YYYY-MM-DD")


def test_gbk_encoded_file_is_refused_as_not_utf8():
    content = table("name,kind,country", "西安交通大学,university,CN").encode("gbk")
    report = load("institutions", content)
    assert_refused(report, 2, "", "not UTF-8")
    assert not Institution.objects.exists()


def test_empty_file_is_refused():
    assert_refused(load("flows", b""), 1, "", "empty")


def test_file_of_blank_lines_is_refused():
    assert_refused(load("flows", b"\n\n  \n"), 1, "", "empty")


def test_header_only_is_refused():
    assert_refused(load("flows", table(FLOW_HEADER)), 2, "", "header but no rows")


def test_line_of_ten_thousand_columns_is_refused():
    report = load("flows", table(FLOW_HEADER, GOOD_FLOW, ",".join(["7"] * 10_000)))
    assert_refused(report, 3, "", "10000 cells but the header names 9 columns")
    assert not StudentFlow.objects.exists()


def test_header_of_ten_thousand_columns_is_refused():
    report = load("flows", table(",".join(f"c{n}" for n in range(10_000)), GOOD_FLOW))
    assert_refused(report, 1, "", "10000 columns")


def test_binary_file_named_csv_is_refused():
    content = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert_refused(load("flows", content, filename="flows.csv"), 1, "", "binary data")


def test_zip_archive_named_csv_is_refused_as_an_unreadable_workbook():
    content = b"PK\x03\x04" + b"\x14\x00" * 50
    assert_refused(load("flows", content, filename="flows.csv"), 1, "", "not a readable XLSX")


def test_unterminated_quote_does_not_crash():
    report = load(
        "institutions", table("name,kind,country", "HIT,university,CN", '"Tomsk,university,RU')
    )
    assert not report.ok
    assert not Institution.objects.exists()


def test_legacy_encoding_deep_in_a_large_file_is_reported_on_its_row():
    rows = distinct_flow_rows(3000)
    content = table(FLOW_HEADER, *rows).encode() + "2019,KZ,CN,,,6,degree,5,教育部\n".encode("gbk")
    report = load("flows", content)
    assert_refused(report, 3002, "", "not UTF-8")
    assert not StudentFlow.objects.exists()
