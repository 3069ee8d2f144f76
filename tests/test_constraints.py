"""Every invariant is refused twice: by the database, and by full_clean with a field message."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from partnerships.models import Affiliation, Agreement, Institution, Membership
from programs.models import StudentFlow
from tests import factories

pytestmark = pytest.mark.django_db

JAN_1 = datetime.date(2020, 1, 1)
DEC_31 = datetime.date(2019, 12, 31)


def assert_db_refuses(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def clean_errors(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


# Memberships


def test_membership_ending_before_it_starts_is_refused_by_the_database():
    membership = factories.MembershipFactory.build(
        alliance=factories.AllianceFactory(),
        institution=factories.InstitutionFactory(),
        joined_on=JAN_1,
        left_on=DEC_31,
    )
    assert_db_refuses(membership.save)


def test_membership_ending_before_it_starts_names_left_on():
    membership = factories.MembershipFactory.build(
        alliance=factories.AllianceFactory(),
        institution=factories.InstitutionFactory(),
        joined_on=JAN_1,
        left_on=DEC_31,
    )
    assert clean_errors(membership) == {"left_on": ["A membership cannot end before it starts."]}


def test_second_open_membership_of_the_same_alliance_is_refused():
    first = factories.MembershipFactory()
    second = Membership(alliance=first.alliance, institution=first.institution, joined_on=JAN_1)
    assert "already has an open membership" in clean_errors(second)[NON_FIELD_ERRORS][0]
    assert_db_refuses(second.save)


def test_a_member_may_rejoin_after_leaving():
    first = factories.MembershipFactory(joined_on=datetime.date(2016, 1, 1), left_on=DEC_31)
    again = Membership(alliance=first.alliance, institution=first.institution, joined_on=JAN_1)
    again.full_clean()
    again.save()
    assert Membership.objects.filter(institution=first.institution).count() == 2


# Agreements


def test_agreement_expiring_before_it_takes_effect_is_refused():
    agreement = factories.AgreementFactory.build(
        signed_on=DEC_31, effective_from=JAN_1, expires_on=DEC_31
    )
    assert clean_errors(agreement) == {
        "expires_on": ["An agreement cannot expire before it takes effect."]
    }
    assert_db_refuses(agreement.save)


def test_agreement_terminated_before_signature_is_refused():
    agreement = factories.AgreementFactory.build(signed_on=JAN_1, terminated_on=DEC_31)
    assert clean_errors(agreement) == {
        "terminated_on": ["An agreement cannot end before it is signed."]
    }
    assert_db_refuses(agreement.save)


def test_agreement_reference_with_spaces_is_refused():
    agreement = factories.AgreementFactory.build(reference="MOU 2023/1")
    assert "reference uses only letters" in clean_errors(agreement)[NON_FIELD_ERRORS][0]
    assert_db_refuses(agreement.save)


def test_duplicate_agreement_reference_is_refused():
    factories.AgreementFactory(reference="CCN-RANEPA-2023")
    duplicate = factories.AgreementFactory.build(reference="CCN-RANEPA-2023")
    assert "reference" in clean_errors(duplicate)
    assert_db_refuses(duplicate.save)


def test_agreement_cannot_renew_itself():
    agreement = factories.AgreementFactory()
    agreement.renews = agreement
    assert clean_errors(agreement) == {"renews": ["An agreement cannot renew itself."]}
    assert_db_refuses(agreement.save)


def test_notice_window_outside_range_is_refused():
    agreement = factories.AgreementFactory.build(notice_days=0)
    assert "notice_days" in clean_errors(agreement)
    assert_db_refuses(agreement.save)


# Institutions


@pytest.mark.parametrize("bad_ror", ["https://ror.org/12345", "ror.org/017zhmm23", "not-a-ror"])
def test_malformed_or_wrong_checksum_ror_id_names_the_field(bad_ror):
    institution = factories.InstitutionFactory.build(ror_id=bad_ror)
    assert "ror_id" in clean_errors(institution)


def test_malformed_ror_id_is_refused_by_the_database():
    institution = factories.InstitutionFactory.build(ror_id="https://ror.org/NOT-VALID")
    assert_db_refuses(institution.save)


def test_bare_ror_id_is_normalised_to_the_full_url():
    institution = factories.InstitutionFactory.build(ror_id="017ZHMM22")
    institution.full_clean()
    assert institution.ror_id == "https://ror.org/017zhmm22"


def test_ror_id_is_unique_when_set_and_blank_may_repeat():
    factories.InstitutionFactory(ror_id="https://ror.org/017zhmm22")
    factories.InstitutionFactory(ror_id="")
    factories.InstitutionFactory(ror_id="")
    duplicate = factories.InstitutionFactory.build(ror_id="https://ror.org/017zhmm22")
    assert "already has this ROR ID" in clean_errors(duplicate)[NON_FIELD_ERRORS][0]
    assert_db_refuses(duplicate.save)


def test_unknown_country_code_is_refused():
    institution = factories.InstitutionFactory.build(country="XX")
    assert "country" in clean_errors(institution)
    assert_db_refuses(institution.save)


# Student flows


def test_flow_of_zero_students_is_refused():
    flow = factories.StudentFlowFactory.build(students=0)
    assert clean_errors(flow)["students"] == ["Ensure this value is greater than or equal to 1."]
    assert_db_refuses(flow.save)


def test_negative_academic_year_is_refused():
    flow = factories.StudentFlowFactory.build(academic_year=1800)
    assert "academic_year" in clean_errors(flow)
    assert_db_refuses(flow.save)


def test_flow_within_one_country_is_refused():
    flow = factories.StudentFlowFactory.build(origin_country="CN", destination_country="CN")
    assert clean_errors(flow)["destination_country"] == [
        "Origin and destination must be different countries."
    ]
    assert_db_refuses(flow.save)


def test_flow_institution_must_be_in_the_flow_country():
    kazakh = factories.InstitutionFactory(country="KZ")
    flow = factories.StudentFlowFactory.build(
        origin_country="RU", destination_country="CN", origin_institution=kazakh
    )
    assert "origin_institution" in clean_errors(flow)


def test_unknown_isced_level_is_refused():
    flow = factories.StudentFlowFactory.build(level="9")
    assert "level" in clean_errors(flow)
    assert_db_refuses(flow.save)


def test_duplicate_country_level_flow_is_refused_with_blank_institutions():
    factories.StudentFlowFactory(academic_year=2018)
    duplicate = factories.StudentFlowFactory.build(academic_year=2018)
    assert clean_errors(duplicate) == {
        NON_FIELD_ERRORS: ["A flow with these dimensions already exists."]
    }
    assert_db_refuses(duplicate.save)


def test_flows_differing_only_by_institution_may_coexist():
    kazakh = factories.InstitutionFactory(country="KZ")
    factories.StudentFlowFactory(academic_year=2018)
    factories.StudentFlowFactory(academic_year=2018, origin_institution=kazakh)
    assert StudentFlow.objects.filter(academic_year=2018).count() == 2


# Affiliations


def test_secretariat_of_an_institution_is_refused():
    affiliation = factories.AffiliationFactory.build(
        user=factories.UserFactory(),
        institution=factories.InstitutionFactory(),
        role=Affiliation.Role.SECRETARIAT,
    )
    assert "Editors and viewers belong to an institution" in str(clean_errors(affiliation))
    assert_db_refuses(affiliation.save)


def test_nothing_is_half_written_when_a_row_fails():
    before = Institution.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.InstitutionFactory(slug="ok-one")
        factories.InstitutionFactory(country="XX")
    assert Institution.objects.count() == before
    assert not Agreement.objects.exists()
