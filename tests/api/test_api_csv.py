"""`?format=csv` on every list and aggregate: streamed, filtered like the JSON, formula-safe."""

import csv
import io

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def records(home_university, partner_university, alliance):
    hostile = factories.InstitutionFactory(name='=HYPERLINK("http://x","y")', country="RU")
    factories.agreement_between(home_university, hostile, title="+SUM(1,2)", reference="H-1")
    factories.agreement_between(home_university, partner_university, reference="P-1")
    factories.agreement_between(
        home_university, partner_university, reference="SECRET-1", visibility="parties"
    )
    factories.StudentFlowFactory(
        academic_year=2018, origin_country="RU", destination_country="CN", students=7
    )
    factories.StudentFlowFactory(
        academic_year=2019, origin_country="KZ", destination_country="CN", students=9
    )
    factories.EventFactory()
    factories.CountryGroupFactory()
    programme = factories.ProgrammeFactory(lead=home_university)
    factories.ProgrammePartnerFactory(programme=programme, institution=hostile)
    return hostile


@pytest.mark.parametrize(
    ("url", "column"),
    [
        ("/api/v1/institutions/", "name"),
        ("/api/v1/alliances/", "name"),
        ("/api/v1/memberships/", "institution_name"),
        ("/api/v1/events/", "name"),
        ("/api/v1/country-groups/", "slug"),
        ("/api/v1/agreements/", "reference"),
        ("/api/v1/programmes/", "name"),
        ("/api/v1/flows/", "students"),
        ("/api/v1/countries/", "code"),
        ("/api/v1/countries/CN/", "code"),
        ("/api/v1/flows/summary/?group_by=origin_country", "students"),
        ("/api/v1/flows/balance/?country=CN", "balance_index"),
    ],
)
def test_every_list_and_aggregate_exports_csv(api, records, url, column):
    separator = "&" if "?" in url else "?"

    rows = rows_of(api.get(f"{url}{separator}format=csv"))

    assert rows
    assert all(row[column] != "" for row in rows)


def test_csv_holds_every_filtered_row_not_one_page(api, records):
    for index in range(12):
        factories.InstitutionFactory(country="KZ", name=f"Kazakh college {index}")

    rows = rows_of(api.get("/api/v1/institutions/", {"country": "KZ", "format": "csv"}))

    assert len(rows) == 12
    assert {row["country"] for row in rows} == {"KZ"}


def test_csv_neutralises_cells_that_look_like_formulas(api, records):
    rows = rows_of(api.get("/api/v1/agreements/", {"format": "csv"}))
    hostile = next(row for row in rows if row["reference"] == "H-1")

    assert hostile["title"] == "'+SUM(1,2)"
    assert hostile["parties"] == (
        '\'=HYPERLINK("http://x","y") (party); Xi\'an Jiaotong University (party)'
    )
    institutions = rows_of(api.get("/api/v1/institutions/", {"country": "RU", "format": "csv"}))
    assert institutions[0]["name"] == '\'=HYPERLINK("http://x","y")'


def test_csv_leaves_out_what_the_caller_may_not_see(api, records):
    rows = rows_of(api.get("/api/v1/agreements/", {"format": "csv"}))

    assert sorted(row["reference"] for row in rows) == ["H-1", "P-1"]


def test_csv_lists_parties_and_subject_areas_in_one_cell(api, records):
    rows = rows_of(api.get("/api/v1/agreements/", {"format": "csv", "party_country": "CN"}))
    memorandum = next(row for row in rows if row["reference"] == "P-1")

    assert memorandum["parties"] == (
        "Harbin Institute of Technology (party); Xi'an Jiaotong University (party)"
    )


def test_an_empty_csv_still_has_its_header(api, records):
    response = api.get("/api/v1/flows/summary/", {"academic_year": 1990, "format": "csv"})

    assert b"".join(response.streaming_content).decode() == "students\r\n0\r\n"
