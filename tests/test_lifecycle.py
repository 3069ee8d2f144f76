"""Renewing, terminating and logging agreements through the services (and the admin actions)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnerships import exceptions, services
from partnerships.models import Agreement, AgreementParty, AgreementState, FieldOfStudy
from tests import factories

pytestmark = pytest.mark.django_db

SIGNED = datetime.date(2023, 8, 28)


@pytest.fixture
def memorandum(home_university, partner_university, alliance):
    agreement = factories.agreement_between(
        home_university,
        partner_university,
        reference="XJTU-HIT-2023",
        title="Digital Economy Talent Development Project",
        alliance=alliance,
        visibility=Agreement.Visibility.MEMBERS,
        signed_on=SIGNED,
        effective_from=datetime.date(2023, 9, 1),
        expires_on=datetime.date(2028, 8, 31),
        notice_days=120,
        summary="Joint training in the digital economy.",
    )
    agreement.subject_areas.set(FieldOfStudy.objects.filter(code__in=["0413", "0613"]))
    return agreement


# Renewing


def test_renewal_copies_terms_parties_and_subject_areas(memorandum, editor):
    renewal = services.agreement_renew(agreement=memorandum, by=editor)
    assert renewal.renews == memorandum
    assert (renewal.title, renewal.kind, renewal.alliance, renewal.visibility) == (
        memorandum.title,
        memorandum.kind,
        memorandum.alliance,
        memorandum.visibility,
    )
    assert (renewal.notice_days, renewal.summary) == (120, memorandum.summary)
    assert list(renewal.subject_areas.values_list("code", flat=True)) == ["0413", "0613"]
    copied = renewal.parties.values_list("institution__name", "role", "signatory_name")
    assert sorted(copied) == sorted(
        memorandum.parties.values_list("institution__name", "role", "signatory_name")
    )


def test_renewal_follows_on_for_a_term_of_the_same_length(memorandum, editor):
    renewal = services.agreement_renew(agreement=memorandum, by=editor)
    assert renewal.effective_from == datetime.date(2028, 9, 1)
    assert renewal.expires_on == datetime.date(2033, 8, 31)
    assert renewal.signed_on is None
    assert renewal.state == AgreementState.DRAFT


def test_renewal_takes_the_dates_and_reference_it_is_given(memorandum, editor):
    renewal = services.agreement_renew(
        agreement=memorandum,
        by=editor,
        signed_on=datetime.date(2028, 6, 1),
        effective_from=datetime.date(2028, 7, 1),
        expires_on=datetime.date(2030, 6, 30),
        reference="XJTU-HIT-2028",
    )
    assert (renewal.reference, renewal.signed_on, renewal.expires_on) == (
        "XJTU-HIT-2028",
        datetime.date(2028, 6, 1),
        datetime.date(2030, 6, 30),
    )


def test_the_renewed_agreement_shows_its_renewal(memorandum, editor):
    assert not memorandum.is_renewed
    renewal = services.agreement_renew(agreement=memorandum, by=editor)
    old = Agreement.objects.get(pk=memorandum.pk)
    assert old.is_renewed
    assert old.renewal == renewal


def test_renewals_of_renewals_count_up_their_reference(memorandum, editor):
    first = services.agreement_renew(
        agreement=memorandum, by=editor, signed_on=datetime.date(2028, 8, 1)
    )
    second = services.agreement_renew(
        agreement=first, by=editor, signed_on=datetime.date(2033, 8, 1)
    )
    assert (first.reference, second.reference) == ("XJTU-HIT-2023-R1", "XJTU-HIT-2023-R2")


def test_renewing_twice_is_refused(memorandum, editor):
    services.agreement_renew(agreement=memorandum, by=editor)
    with pytest.raises(exceptions.AgreementAlreadyRenewed):
        services.agreement_renew(agreement=memorandum, by=editor)
    assert Agreement.objects.filter(renews=memorandum).count() == 1


def test_renewing_a_draft_is_refused(home_university, partner_university, editor):
    draft = factories.agreement_between(home_university, partner_university, signed_on=None)
    with pytest.raises(exceptions.AgreementNotSigned):
        services.agreement_renew(agreement=draft, by=editor)
    assert not Agreement.objects.filter(renews=draft).exists()


def test_renewing_a_terminated_agreement_is_refused(memorandum, editor):
    services.agreement_terminate(
        agreement=memorandum, on=datetime.date(2024, 1, 1), reason="Merged", by=editor
    )
    with pytest.raises(exceptions.AgreementTerminated):
        services.agreement_renew(agreement=memorandum, by=editor)


def test_a_renewal_with_impossible_dates_names_the_field_and_writes_nothing(memorandum, editor):
    with pytest.raises(ValidationError) as raised:
        services.agreement_renew(
            agreement=memorandum,
            by=editor,
            effective_from=datetime.date(2030, 1, 1),
            expires_on=datetime.date(2029, 1, 1),
        )
    assert "expires_on" in raised.value.message_dict
    assert Agreement.objects.count() == 1
    assert AgreementParty.objects.count() == 2


def test_a_renewal_records_its_author_in_the_history(memorandum, editor):
    renewal = services.agreement_renew(agreement=memorandum, by=editor)
    created = renewal.history.get(history_type="+")
    assert created.history_user == editor
    assert created.history_change_reason == "Renewal of XJTU-HIT-2023"
    assert {
        record.history_user for record in AgreementParty.history.filter(agreement_id=renewal.pk)
    } == {editor}


# Terminating


def test_termination_records_date_reason_and_author(memorandum, editor):
    terminated = services.agreement_terminate(
        agreement=memorandum,
        on=datetime.date(2025, 3, 1),
        reason="The programme closed.",
        by=editor,
    )
    assert terminated.terminated_on == datetime.date(2025, 3, 1)
    assert terminated.termination_reason == "The programme closed."
    assert terminated.state_on(datetime.date(2025, 3, 1)) == AgreementState.TERMINATED
    latest = memorandum.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (editor, "Terminated")


def test_terminating_twice_is_refused(memorandum, editor):
    services.agreement_terminate(
        agreement=memorandum, on=datetime.date(2025, 3, 1), reason="Closed", by=editor
    )
    with pytest.raises(exceptions.AgreementAlreadyTerminated):
        services.agreement_terminate(
            agreement=memorandum, on=datetime.date(2025, 4, 1), reason="Again", by=editor
        )
    assert Agreement.objects.get().terminated_on == datetime.date(2025, 3, 1)


def test_terminating_a_draft_is_refused(home_university, partner_university, editor):
    draft = factories.agreement_between(home_university, partner_university, signed_on=None)
    with pytest.raises(exceptions.AgreementNotSigned):
        services.agreement_terminate(
            agreement=draft, on=datetime.date(2025, 1, 1), reason="Never signed", by=editor
        )


@pytest.mark.parametrize(
    ("on", "reason", "field"),
    [
        (datetime.date(2023, 1, 1), "Before signing", "terminated_on"),
        (datetime.date(2029, 1, 1), "After expiry", "terminated_on"),
        (datetime.date(2025, 1, 1), "   ", "termination_reason"),
    ],
)
def test_a_bad_termination_names_the_field_and_changes_nothing(
    memorandum, editor, on, reason, field
):
    with pytest.raises(ValidationError) as raised:
        services.agreement_terminate(agreement=memorandum, on=on, reason=reason, by=editor)
    assert field in raised.value.message_dict
    assert Agreement.objects.get().terminated_on is None


def test_domain_errors_are_not_bare_value_errors():
    assert issubclass(exceptions.AgreementAlreadyRenewed, exceptions.PartnershipError)
    assert not issubclass(exceptions.PartnershipError, ValueError)
    assert exceptions.AgreementAlreadyRenewed().code == "agreement_already_renewed"


# Logging a new agreement


def test_an_editor_logs_an_agreement_with_its_partner(home_university, partner_university, editor):
    agreement = services.agreement_create(
        by=editor,
        parties=[
            {"institution": home_university, "signatory_name": "Wang Shuguo"},
            {"institution": partner_university, "role": AgreementParty.Role.COORDINATOR},
        ],
        subject_areas=["0613"],
        reference="XJTU-HIT-2024",
        title="Joint summer school",
        kind=Agreement.Kind.TRAINING,
        signed_on=datetime.date(2024, 5, 1),
    )
    assert agreement.created_by == editor
    assert agreement.parties.count() == 2
    assert list(agreement.subject_areas.values_list("code", flat=True)) == ["0613"]
    assert agreement.history.get(history_type="+").history_user == editor


def test_an_agreement_needs_two_signing_parties(home_university, editor):
    with pytest.raises(exceptions.TooFewParties):
        services.agreement_create(
            by=editor,
            parties=[{"institution": home_university}],
            reference="ONE-SIDED",
            title="One-sided",
            kind=Agreement.Kind.MOU,
        )
    assert not Agreement.objects.exists()


def test_a_forged_agreement_for_foreign_institutions_is_refused_and_logged(
    partner_university, other_university, editor, caplog
):
    caplog.set_level("WARNING", logger="alliance_portal.security")
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            by=editor,
            parties=[{"institution": partner_university}, {"institution": other_university}],
            reference="FORGED-1",
            title="Forged memorandum",
            kind=Agreement.Kind.MOU,
        )
    assert not Agreement.objects.filter(reference="FORGED-1").exists()
    [record] = [r for r in caplog.records if r.name == "alliance_portal.security"]
    assert record.levelname == "WARNING"
    assert "editor" in record.getMessage()
    assert "log an agreement" in record.getMessage()
    assert record.user_id == editor.pk


# The admin actions


def changelist():
    return reverse("admin:partnerships_agreement_changelist")


def test_the_terminate_action_asks_for_date_and_reason_first(client, staff, memorandum):
    client.force_login(staff)
    response = client.post(
        changelist(), {"action": "terminate_agreements", "_selected_action": [memorandum.pk]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "XJTU-HIT-2023" in page
    assert 'name="reason"' in page
    assert Agreement.objects.get().terminated_on is None


def test_the_renew_action_reports_refusals_by_reference(client, staff, memorandum):
    client.force_login(staff)
    services.agreement_renew(agreement=memorandum, by=staff)
    response = client.post(
        changelist(),
        {"action": "renew_agreements", "_selected_action": [memorandum.pk], "apply": 1},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["XJTU-HIT-2023: This agreement has already been renewed."]


def test_the_changelist_shows_a_renewed_agreement_as_renewed(client, staff, memorandum):
    client.force_login(staff)
    services.agreement_renew(agreement=memorandum, by=staff)
    response = client.get(changelist(), {"q": "XJTU-HIT-2023"})
    assert "renewed by XJTU-HIT-2023-R1" in response.content.decode()
