"""The aggregates the API and the pages share: flow summary, balance, country profiles."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from alliance_portal.api_csv import csv_lines, neutralise
from programs.models import StudentFlow
from programs.selectors import (
    balance_index,
    country_profile,
    country_profiles,
    flow_balance,
    flow_summary,
    parse_group_by,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def flows():
    """KZ↔CN and RU→CN over two years, with two levels in 2018."""
    rows = [
        (2018, "KZ", "CN", "6", 100),
        (2018, "KZ", "CN", "7", 40),
        (2018, "CN", "KZ", "6", 20),
        (2018, "RU", "CN", "6", 70),
        (2019, "KZ", "CN", "6", 110),
        (2019, "CN", "RU", "7", 30),
    ]
    for year, origin, destination, level, students in rows:
        factories.StudentFlowFactory(
            academic_year=year,
            origin_country=origin,
            destination_country=destination,
            level=level,
            students=students,
        )
    return StudentFlow.objects.all()


def test_summary_groups_in_one_query_and_sums_to_the_rows(flows, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = flow_summary(flows, "origin_country,academic_year")

    assert rows == [
        {"origin_country": "CN", "academic_year": 2018, "students": 20},
        {"origin_country": "CN", "academic_year": 2019, "students": 30},
        {"origin_country": "KZ", "academic_year": 2018, "students": 140},
        {"origin_country": "KZ", "academic_year": 2019, "students": 110},
        {"origin_country": "RU", "academic_year": 2018, "students": 70},
    ]
    assert sum(row["students"] for row in rows) == sum(flow.students for flow in flows)


@pytest.mark.parametrize(
    "group_by",
    ["academic_year", "level,destination_country", "mobility_type", "origin_country,level"],
)
def test_summary_sums_equal_the_underlying_rows_for_any_grouping(flows, group_by):
    rows = flow_summary(flows.filter(academic_year=2018), group_by)

    assert sum(row["students"] for row in rows) == 230
    for row in rows:
        keys = {key: value for key, value in row.items() if key != "students"}
        assert row["students"] == sum(
            flow.students for flow in flows.filter(academic_year=2018).filter(**keys)
        )


def test_summary_without_keys_is_the_total(flows):
    assert flow_summary(flows, "") == [{"students": 370}]


def test_summary_by_institution_names_the_institution(flows):
    university = factories.InstitutionFactory(
        name="Al-Farabi Kazakh National University", country="KZ"
    )
    factories.StudentFlowFactory(
        academic_year=2020, origin_country="KZ", origin_institution=university, students=9
    )

    rows = flow_summary(StudentFlow.objects.filter(academic_year=2020), ["origin_institution"])

    assert rows == [
        {
            "origin_institution": university.pk,
            "origin_institution_name": "Al-Farabi Kazakh National University",
            "students": 9,
        }
    ]


@pytest.mark.parametrize("value", ["country", "academic_year,students", "level,level", "id"])
def test_unknown_or_repeated_group_by_keys_are_refused_by_name(value):
    with pytest.raises(ValidationError) as error:
        parse_group_by(value)

    assert "group_by" in error.value.message_dict


def test_balance_per_partner_country(flows, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = flow_balance(flows.filter(academic_year=2018), "cn")

    assert rows == [
        {
            "country": "CN",
            "partner_country": "KZ",
            "partner_country_name": "Kazakhstan",
            "inbound": 140,
            "outbound": 20,
            "balance_index": 0.75,
        },
        {
            "country": "CN",
            "partner_country": "RU",
            "partner_country_name": "Russia",
            "inbound": 70,
            "outbound": 0,
            "balance_index": 1.0,
        },
    ]


def test_balance_index_runs_from_minus_one_to_one():
    assert balance_index(0, 30) == -1
    assert balance_index(30, 30) == 0
    assert balance_index(2, 1) == 0.3333
    assert balance_index(0, 0) is None


def test_country_profile_counts_what_the_country_takes_part_in(
    flows, alliance, home_university, partner_university, other_university
):
    factories.agreement_between(home_university, other_university, kind="student_exchange")
    factories.agreement_between(
        home_university, other_university, visibility="parties", reference="HIDDEN-1"
    )
    factories.agreement_between(
        home_university, other_university, expires_on=datetime.date(2023, 12, 31)
    )
    programme = factories.ProgrammeFactory(lead=other_university, kind="double_degree")
    factories.ProgrammePartnerFactory(programme=programme, institution=home_university)
    factories.EventFactory(country="RU", kind="forum")

    russia = country_profile("ru", user=None)

    assert russia == {
        "code": "RU",
        "name": "Russia",
        "institutions": 1,
        "member_institutions": 0,
        "alliances": 0,
        "active_agreements": 1,
        "programmes": 1,
        "latest_year": 2019,
        "students_in": 30,
        "students_out": 0,
        "mechanisms": ["agreement:student_exchange", "event:forum", "programme:double_degree"],
        "mechanism_count": 3,
    }
    china = country_profile("CN", user=None)
    assert china["member_institutions"] == 2
    assert china["alliances"] == 1
    assert "alliance:university_university" in china["mechanisms"]


def test_country_profiles_run_a_fixed_number_of_queries(flows, django_assert_max_num_queries):
    for code in ["KZ", "RU", "MN", "TH", "VN"]:
        factories.InstitutionFactory(country=code)

    with django_assert_max_num_queries(10):
        profiles = country_profiles(user=None)

    assert [profile["code"] for profile in profiles] == ["CN", "KZ", "MN", "RU", "TH", "VN"]


def test_a_country_with_nothing_has_no_profile():
    assert country_profile("TV", user=None) is None


@pytest.mark.parametrize("formula", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_that_start_like_a_formula_are_neutralised(formula):
    assert neutralise(formula) == "'" + formula


@pytest.mark.parametrize("value", ["Harbin", "", None, -3, 0.5, "a=b"])
def test_other_cells_are_left_alone(value):
    assert neutralise(value) == value


def test_csv_lines_flatten_nested_records_and_neutralise_cells():
    lines = list(
        csv_lines(
            [
                {"title": "=HYPERLINK(1)", "parties": [{"name": "HIT", "role": "party"}]},
                {"title": "Plain", "parties": []},
            ]
        )
    )

    assert lines == ["title,parties\r\n", "'=HYPERLINK(1),HIT (party)\r\n", "Plain,\r\n"]
