"""The figures a researcher gets from the API on the demo data (shared/domain.md)."""

import pytest

from programs.models import StudentFlow
from tests.api.conftest import results

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

SUMMARY = "/api/v1/flows/summary/"


def test_international_students_in_china_in_2018(api):
    response = api.get(SUMMARY, {"destination_country": "CN", "academic_year": 2018})

    assert response.status_code == 200
    assert response.json() == [{"students": 492_200}]


def test_of_them_from_belt_and_road_countries(api):
    response = api.get(
        SUMMARY,
        {"destination_country": "CN", "academic_year": 2018, "origin_group": "belt-and-road"},
    )

    assert response.json() == [{"students": 266_600}]


@pytest.mark.parametrize(
    "group_by",
    [
        "origin_country",
        "origin_country,academic_year",
        "level,mobility_type",
        "destination_institution,academic_year",
    ],
)
def test_summary_groups_add_up_to_the_rows_they_cover(api, group_by):
    filters = {"destination_country": "CN", "year_from": 2016, "year_to": 2019}

    rows = api.get(SUMMARY, {**filters, "group_by": group_by}).json()

    covered = StudentFlow.objects.filter(
        destination_country="CN", academic_year__range=(2016, 2019)
    )
    assert sum(row["students"] for row in rows) == sum(covered.values_list("students", flat=True))
    assert len(rows) == covered.values(*group_by.split(",")).distinct().count()


def test_summary_csv_has_the_same_figures(api):
    response = api.get(
        SUMMARY,
        {
            "destination_country": "CN",
            "academic_year": 2018,
            "group_by": "academic_year",
            "format": "csv",
        },
    )

    assert response["Content-Type"].startswith("text/csv")
    assert b"".join(response.streaming_content).decode() == (
        "academic_year,students\r\n2018,492200\r\n"
    )


def test_balance_of_china_with_kazakhstan_in_2018(api):
    rows = api.get("/api/v1/flows/balance/", {"country": "CN", "academic_year": 2018}).json()

    kazakhstan = next(row for row in rows if row["partner_country"] == "KZ")
    inbound = sum(
        StudentFlow.objects.filter(
            academic_year=2018, origin_country="KZ", destination_country="CN"
        ).values_list("students", flat=True)
    )
    outbound = sum(
        StudentFlow.objects.filter(
            academic_year=2018, origin_country="CN", destination_country="KZ"
        ).values_list("students", flat=True)
    )
    assert (kazakhstan["inbound"], kazakhstan["outbound"]) == (inbound, outbound)
    assert kazakhstan["balance_index"] == round((inbound - outbound) / (inbound + outbound), 4)


def test_china_country_profile(api):
    china = api.get("/api/v1/countries/CN/").json()

    assert china["code"] == "CN"
    assert china["member_institutions"] > 0
    assert china["alliances"] == 3
    assert china["mechanism_count"] == len(china["mechanisms"]) > 2
    assert china["latest_year"] >= 2018


def test_countries_list_pages_through_every_country(api):
    first = api.get("/api/v1/countries/", {"page_size": 5}).json()

    assert first["count"] > 50
    assert [country["code"] for country in first["results"]] == sorted(
        country["code"] for country in first["results"]
    )
    assert len(results(api.get("/api/v1/countries/", {"page_size": 500}))) == first["count"]
