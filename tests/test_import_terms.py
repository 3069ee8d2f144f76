"""Import sheets for units and conditions: valid files load (and reload unchanged); a bad
row is reported on its column and nothing of the file is written."""

import pytest

from partnerships.models import AgreementCondition, Unit
from tests import factories
from tests.importing import load, problems, table

pytestmark = pytest.mark.django_db

CONDITION_HEADER = (
    "agreement,sending_institution,sending_unit,receiving_institution,mobility_type,field,"
    "levels,first_academic_year,last_academic_year,places,months_per_year,language,"
    "language_level"
)


@pytest.fixture
def exchange(home_university, other_university):
    other_university.slug = "tpu"
    other_university.save()
    return factories.agreement_between(home_university, other_university, reference="XJTU-TPU")


def test_units_import_with_parents_and_reimport_changes_nothing(home_university):
    units = table(
        "institution,name,kind,parent",
        "xjtu,School of Electrical Engineering,school,",
        "xjtu,Department of Power Systems,department,School of Electrical Engineering",
    )
    report = load("units", units)
    assert problems(report) == []
    assert report.created == 2
    department = Unit.objects.get(name="Department of Power Systems")
    assert department.parent.name == "School of Electrical Engineering"
    again = load("units", units)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_unit_whose_parent_is_unknown_is_refused_and_nothing_is_written(home_university):
    report = load(
        "units",
        table(
            "institution,name,kind,parent",
            "xjtu,School of Law,school,",
            "xjtu,Department of Trade Law,department,Faculty of Nowhere",
        ),
    )
    assert [(row, column) for row, column, _message in problems(report)] == [(3, "parent")]
    assert not Unit.objects.exists()


def test_conditions_import_and_reimport_changes_nothing(exchange, home_university):
    factories.UnitFactory(institution=home_university, name="School of Energy")
    conditions = table(
        CONDITION_HEADER,
        'XJTU-TPU,xjtu,School of Energy,tpu,student_studies,0713,"6,7",2026/27,2028,4,10,en,B2',
        "XJTU-TPU,tpu,,xjtu,degree_seeking,,7,2026,2028,2,12,zh,B1",
    )
    report = load("conditions", conditions)
    assert problems(report) == []
    assert report.created == 2
    condition = AgreementCondition.objects.get(sending_institution=home_university)
    assert (condition.levels, condition.sending_unit.name, condition.field_id) == (
        "67",
        "School of Energy",
        "0713",
    )
    again = load("conditions", conditions)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("XJTU-TPU,xjtu,,tpu,student_studies,,,2026,2028,0,10,,", "places"),
        ("XJTU-TPU,xjtu,,tpu,student_studies,,,2028,2026,3,10,,", "last_academic_year"),
        ("XJTU-TPU,xjtu,,xjtu,student_studies,,,2026,2028,3,10,,", "receiving_institution"),
        ("XJTU-TPU,xjtu,,kaznu-x,student_studies,,,2026,2028,3,10,,", "receiving_institution"),
        ("XJTU-TPU,xjtu,Faculty of Law,tpu,student_studies,,,2026,2028,3,10,,", "sending_unit"),
        ("XJTU-TPU,xjtu,,tpu,student_studies,,49,2026,2028,3,10,,", "levels"),
        ("NO-SUCH,xjtu,,tpu,student_studies,,,2026,2028,3,10,,", "agreement"),
    ],
)
def test_a_bad_condition_row_is_named_and_nothing_is_written(exchange, line, column):
    good = "XJTU-TPU,tpu,,xjtu,degree_seeking,,7,2026,2028,2,12,zh,B1"
    report = load("conditions", table(CONDITION_HEADER, good, line))
    assert (3, column) in [(row, col) for row, col, _message in problems(report)]
    assert not AgreementCondition.objects.exists()


def test_a_condition_naming_an_institution_that_is_not_a_party_is_refused(
    exchange, member_university
):
    member_university.slug = "kaznu"
    member_university.save()
    report = load(
        "conditions",
        table(CONDITION_HEADER, "XJTU-TPU,xjtu,,kaznu,student_studies,,,2026,2028,3,10,,"),
    )
    assert problems(report) == [
        (2, "receiving_institution", "Choose an institution that signs the agreement.")
    ]
    assert not AgreementCondition.objects.exists()
