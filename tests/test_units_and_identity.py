"""Organisational units and institution identity: parents, successors, Erasmus codes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships import permissions
from partnerships.models import Agreement, AgreementParty
from tests import factories

pytestmark = pytest.mark.django_db


def clean_errors(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


# Units


def test_a_unit_of_another_institution_cannot_be_a_parent(home_university, other_university):
    faculty = factories.UnitFactory(institution=other_university)
    department = factories.UnitFactory.build(
        institution=home_university, parent=faculty, kind="department"
    )
    assert clean_errors(department)["parent"] == ["Choose a unit of the same institution."]


def test_a_cycle_of_parent_units_is_refused(home_university):
    faculty = factories.UnitFactory(institution=home_university)
    school = factories.UnitFactory(institution=home_university, parent=faculty, kind="school")
    department = factories.UnitFactory(institution=home_university, parent=school)
    faculty.parent = department
    assert clean_errors(faculty)["parent"] == ["This would make the unit part of itself."]


def test_a_unit_cannot_be_its_own_parent_in_the_database(home_university):
    faculty = factories.UnitFactory(institution=home_university)
    faculty.parent_id = faculty.pk
    assert "parent" in clean_errors(faculty)
    with pytest.raises(IntegrityError), transaction.atomic():
        faculty.save()


def test_two_units_of_an_institution_cannot_share_a_name(home_university):
    factories.UnitFactory(institution=home_university, name="School of Law")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UnitFactory(institution=home_university, name="School of Law")


def test_a_party_may_name_a_unit_of_its_own_institution_only(home_university, other_university):
    agreement = factories.agreement_between(home_university, other_university)
    own = factories.UnitFactory(institution=home_university)
    foreign = factories.UnitFactory(institution=other_university)
    party = agreement.parties.get(institution=home_university)
    party.unit = own
    party.full_clean()
    party.unit = foreign
    assert "is not a unit of this institution" in clean_errors(party)["unit"][0]


def test_unit_filter_finds_faculty_agreements_beside_university_wide_ones(
    home_university, other_university
):
    faculty = factories.UnitFactory(institution=home_university)
    wide = factories.agreement_between(home_university, other_university)
    faculty_level = factories.agreement_between(home_university, other_university)
    AgreementParty.objects.filter(agreement=faculty_level, institution=home_university).update(
        unit=faculty
    )
    with_condition = factories.agreement_between(home_university, other_university)
    factories.ConditionFactory(agreement=with_condition, sending_unit=faculty)
    found = set(Agreement.objects.with_unit([faculty.pk]))
    assert found == {faculty_level, with_condition}
    assert wide not in found


def test_a_unit_is_edited_by_its_institutions_editors(
    home_university, editor, other_editor, viewer, staff
):
    unit = factories.UnitFactory(institution=home_university)
    assert permissions.can_edit_unit(editor, unit)
    assert permissions.can_edit_unit(staff, unit)
    assert not permissions.can_edit_unit(other_editor, unit)
    assert not permissions.can_edit_unit(viewer, unit)


# Institution identity


def test_a_cycle_of_parent_institutions_is_refused(home_university, other_university):
    other_university.parent = home_university
    other_university.save()
    home_university.parent = other_university
    assert clean_errors(home_university)["parent"] == [
        "This would make the institution part of itself."
    ]


def test_a_cycle_of_successors_is_refused(home_university, other_university, member_university):
    home_university.successor = other_university
    home_university.save()
    other_university.successor = member_university
    other_university.save()
    member_university.successor = home_university
    assert clean_errors(member_university)["successor"] == [
        "This would make the institution its own successor."
    ]


@pytest.mark.parametrize("link", ["parent", "successor"])
def test_an_institution_cannot_link_to_itself_in_the_database(home_university, link):
    setattr(home_university, f"{link}_id", home_university.pk)
    assert link in clean_errors(home_university)
    with pytest.raises(IntegrityError), transaction.atomic():
        home_university.save()


def test_children_and_predecessors_follow_the_links(home_university, other_university):
    campus = factories.InstitutionFactory(name="XJTU Suzhou campus", parent=home_university)
    other_university.successor = home_university
    other_university.save()
    assert list(home_university.children.all()) == [campus]
    assert list(home_university.predecessors.all()) == [other_university]


def test_erasmus_code_is_unique_when_set(home_university, other_university):
    home_university.erasmus_code = "D  BERLIN01"
    home_university.save()
    other_university.erasmus_code = "D  BERLIN01"
    assert "Another institution already has this Erasmus code." in str(
        clean_errors(other_university)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        other_university.save()
    factories.InstitutionFactory(erasmus_code="")
    factories.InstitutionFactory(erasmus_code="")  # blank codes do not collide


def test_a_malformed_erasmus_code_is_refused(home_university):
    home_university.erasmus_code = "not a code!"
    assert "erasmus_code" in clean_errors(home_university)
    with pytest.raises(IntegrityError), transaction.atomic():
        home_university.save()
