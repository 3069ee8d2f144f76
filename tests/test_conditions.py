"""Cooperation conditions: every bad input is refused with a field message, and the
invariants that fit one row are refused by the database too; places used and left."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships.models import AgreementCondition
from partnerships.selectors import current_academic_year, places_table
from programs.models import StudentFlow
from tests import factories

pytestmark = pytest.mark.django_db

Type = AgreementCondition.MobilityType


@pytest.fixture
def exchange(home_university, partner_university):
    return factories.agreement_between(
        home_university, partner_university, reference="XJTU-HIT-SE", kind="student_exchange"
    )


def clean_errors(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


def assert_db_refuses(instance):
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def build(exchange, **fields):
    return factories.ConditionFactory.build(agreement=exchange, **fields)


def test_a_valid_condition_saves(exchange, home_university, partner_university):
    condition = build(exchange)
    condition.full_clean()
    condition.save()
    assert condition.sending_institution == home_university
    assert condition.receiving_institution == partner_university
    assert condition.level_list == ["6", "7"]


@pytest.mark.parametrize("places", [0, -1])
def test_places_of_zero_or_less_are_refused(exchange, places):
    condition = build(exchange, places=places)
    assert "places" in clean_errors(condition)
    assert_db_refuses(condition)


def test_last_year_before_first_is_refused(exchange):
    condition = build(exchange, first_academic_year=2026, last_academic_year=2025)
    assert clean_errors(condition)["last_academic_year"] == [
        "The last academic year cannot come before the first."
    ]
    assert_db_refuses(condition)


def test_sending_equal_to_receiving_is_refused(exchange, home_university):
    condition = build(
        exchange, sending_institution=home_university, receiving_institution=home_university
    )
    assert clean_errors(condition)["receiving_institution"] == [
        "The sending and receiving institutions must differ."
    ]
    assert_db_refuses(condition)


@pytest.mark.parametrize("side", ["sending_institution", "receiving_institution"])
def test_an_institution_that_is_not_a_party_is_refused(exchange, other_university, side):
    condition = build(exchange, **{side: other_university})
    assert clean_errors(condition)[side] == ["Choose an institution that signs the agreement."]


def test_a_witness_is_not_a_party_that_sends(exchange, other_university):
    factories.AgreementPartyFactory(
        agreement=exchange, institution=other_university, role="witness"
    )
    condition = build(exchange, sending_institution=other_university)
    assert "sending_institution" in clean_errors(condition)


def test_a_unit_of_another_institution_is_refused(exchange, other_university):
    foreign_unit = factories.UnitFactory(institution=other_university)
    condition = build(exchange, sending_unit=foreign_unit)
    assert "is not a unit of this institution" in clean_errors(condition)["sending_unit"][0]


def test_a_unit_of_the_sending_institution_is_accepted(exchange, home_university):
    unit = factories.UnitFactory(institution=home_university, name="School of Energy")
    condition = build(exchange, sending_unit=unit)
    condition.full_clean()


def test_months_are_for_students_and_days_for_staff(exchange):
    staff_with_months = build(exchange, mobility_type=Type.STAFF_TEACHING, months_per_year=2)
    assert "months_per_year" in clean_errors(staff_with_months)
    assert_db_refuses(staff_with_months)
    students_with_days = build(exchange, months_per_year=None, days_per_year=10)
    assert "days_per_year" in clean_errors(students_with_days)
    assert_db_refuses(students_with_days)


def test_a_cefr_level_needs_a_language(exchange):
    condition = build(exchange, language="", language_level="B2")
    assert clean_errors(condition)["language"] == ["Name the language of the CEFR level."]
    assert_db_refuses(condition)


def test_an_unknown_language_is_refused(exchange):
    condition = build(exchange, language="xx")
    assert "language" in clean_errors(condition)
    assert_db_refuses(condition)


def test_levels_are_normalised_and_limited_to_isced_5_to_8(exchange):
    condition = build(exchange, levels="7,6")
    condition.full_clean()
    assert condition.levels == "67"
    assert "levels" in clean_errors(build(exchange, levels="49"))
    assert_db_refuses(build(exchange, levels="76"))


# Places used and left


def link_flow(
    agreement, origin, destination, *, year=2026, students=3, mobility_type="credit", level="6"
):
    return factories.StudentFlowFactory(
        level=level,
        agreement=agreement,
        academic_year=year,
        origin_country=origin.country,
        destination_country=destination.country,
        origin_institution=origin,
        destination_institution=destination,
        mobility_type=mobility_type,
        students=students,
    )


@pytest.fixture
def cross_border(home_university, other_university):
    """An exchange between a Chinese and a Russian university (flows cross a border)."""
    return factories.agreement_between(home_university, other_university, reference="XJTU-TPU")


def test_places_used_sum_the_linked_flows_of_the_year_type_and_direction(
    cross_border, home_university, other_university
):
    condition = factories.ConditionFactory(agreement=cross_border, places=5)
    link_flow(cross_border, home_university, other_university, students=2, level="6")
    link_flow(cross_border, home_university, other_university, students=1, level="7")
    link_flow(cross_border, home_university, other_university, year=2025, students=9)
    link_flow(cross_border, other_university, home_university, students=9)
    link_flow(cross_border, home_university, other_university, students=9, mobility_type="degree")
    factories.StudentFlowFactory(
        academic_year=2026,
        origin_country="CN",
        destination_country="RU",
        origin_institution=home_university,
        destination_institution=other_university,
        mobility_type="credit",
        level="8",
        students=9,
    )  # not linked to the agreement

    [row] = places_table(cross_border, 2026)
    assert (row.pk, row.places, row.used, row.left) == (condition.pk, 5, 3, 2)


def test_over_use_shows_as_negative_places_left(cross_border, home_university, other_university):
    factories.ConditionFactory(agreement=cross_border, places=2)
    link_flow(cross_border, home_university, other_university, students=5)
    [row] = places_table(cross_border, 2026)
    assert (row.used, row.left) == (5, -3)


def test_staff_conditions_count_staff_flows(cross_border, home_university, other_university):
    factories.ConditionFactory(
        agreement=cross_border,
        mobility_type=Type.STAFF_TEACHING,
        months_per_year=None,
        days_per_year=10,
        places=2,
    )
    link_flow(cross_border, home_university, other_university, students=1, mobility_type="staff")
    [row] = places_table(cross_border, 2026)
    assert row.used == 1


def test_places_table_lists_only_conditions_running_that_year(cross_border):
    factories.ConditionFactory(
        agreement=cross_border, first_academic_year=2020, last_academic_year=2022
    )
    running = factories.ConditionFactory(agreement=cross_border)
    assert [row.pk for row in places_table(cross_border, 2026)] == [running.pk]


def test_places_table_runs_one_query_however_many_conditions(
    cross_border, home_university, other_university, django_assert_num_queries
):
    for places in range(1, 16):
        factories.ConditionFactory(agreement=cross_border, places=places)
    link_flow(cross_border, home_university, other_university)
    with django_assert_num_queries(1):
        rows = list(places_table(cross_border, 2026))
    assert len(rows) == 15
    assert {row.used for row in rows} == {3}


def test_a_flow_counts_against_an_agreement_only_between_its_signing_parties(
    cross_border, home_university, member_university
):
    flow = factories.StudentFlowFactory.build(
        agreement=cross_border,
        academic_year=2026,
        origin_country="CN",
        destination_country="KZ",
        origin_institution=home_university,
        destination_institution=member_university,
    )
    with pytest.raises(ValidationError) as raised:
        flow.full_clean()
    assert raised.value.message_dict["agreement"] == ["Both institutions must sign this agreement."]


def test_deleting_an_agreement_keeps_its_flows_unlinked(
    cross_border, home_university, other_university
):
    flow = link_flow(cross_border, home_university, other_university)
    cross_border.delete()
    flow.refresh_from_db()
    assert flow.agreement is None
    assert StudentFlow.objects.filter(pk=flow.pk).exists()


@pytest.mark.parametrize(
    ("day", "year"), [("2026-09-01", 2026), ("2027-08-31", 2026), ("2026-08-31", 2025)]
)
def test_the_academic_year_starts_in_september(day, year):
    assert current_academic_year(datetime.date.fromisoformat(day)) == year


def test_a_party_named_in_a_condition_cannot_be_removed_from_the_agreement(
    cross_border, home_university, other_university, member_university, editor
):
    from partnerships import exceptions, services

    factories.ConditionFactory(agreement=cross_border)
    with pytest.raises(exceptions.PartyNamedInConditions):
        services.agreement_update(
            agreement=cross_border,
            by=editor,
            parties=[{"institution": home_university}, {"institution": member_university}],
        )
    assert set(cross_border.parties.values_list("institution_id", flat=True)) == {
        home_university.pk,
        other_university.pk,
    }


# One list of a condition's fields


NOT_TERMS = {"id", "agreement", "notes", "is_generated", "created", "updated"}


def test_every_field_of_a_condition_is_a_term_or_deliberately_not_one():
    """A field added to the model must join the terms (and so the version) or be named here."""
    fields = {field.name for field in AgreementCondition._meta.concrete_fields}
    assert set(AgreementCondition.TERMS) == fields - NOT_TERMS


def test_every_door_edits_the_same_condition_fields():
    from partnerships.admin import AgreementConditionInline
    from partnerships.api.serializers import ConditionSerializer
    from partnerships.forms import ConditionForm
    from partnerships.imports.terms import CONDITION_COLUMNS

    editable = list(AgreementCondition.EDITABLE)
    admin_layout = AgreementConditionInline.fields
    admin_fields = [
        name for row in admin_layout for name in ([row] if isinstance(row, str) else row)
    ]
    assert list(ConditionForm.base_fields) == editable
    assert [name for name in ConditionSerializer().fields if name not in ("id", "agreement")] == (
        editable
    )
    assert admin_fields == editable
    assert CONDITION_COLUMNS[1:] == editable


def test_a_change_to_any_term_changes_the_version(exchange, home_university, partner_university):
    from partnerships.terms import agreement_version

    condition = factories.ConditionFactory(
        agreement=exchange,
        sending_institution=home_university,
        receiving_institution=partner_university,
    )
    before = agreement_version(exchange)
    condition.places += 1
    condition.save()
    changed = agreement_version(exchange)
    assert changed != before
    condition.notes = "Notes are not terms."
    condition.save()
    assert agreement_version(exchange) == changed


def test_levels_ticked_in_any_order_are_stored_as_their_digits_in_order():
    from django.core.exceptions import ValidationError

    from partnerships.forms import LevelsField

    field = LevelsField()
    assert (field.clean(["8", "6", "6"]), field.clean([])) == ("68", "")
    assert field.prepare_value("67") == ["6", "7"]
    with pytest.raises(ValidationError):
        field.clean(["9"])
