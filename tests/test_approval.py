"""Two-sided approval of one version of an agreement's terms."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from partnerships import exceptions
from partnerships.approvals import agreement_approve, approval_status, last_approved_version
from partnerships.models import Agreement, AgreementApproval, ApprovedVersion
from partnerships.terms import agreement_terms
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange(home_university, partner_university):
    agreement = factories.agreement_between(
        home_university,
        partner_university,
        reference="XJTU-HIT-SE",
        visibility="parties",
        expires_on=datetime.date(2029, 8, 31),
    )
    factories.ConditionFactory(agreement=agreement)
    return agreement


@pytest.fixture
def partner_editor(partner_university):
    return factories.AffiliationFactory(
        user__username="partner_editor", institution=partner_university
    ).user


def fresh(agreement):
    return Agreement.objects.with_terms().get(pk=agreement.pk)


def test_the_version_is_the_sha256_of_the_terms_and_stable(exchange):
    version = fresh(exchange).version
    assert len(version) == 64 and int(version, 16) >= 0
    assert fresh(exchange).version == version


@pytest.mark.parametrize(
    "change",
    [
        lambda a: Agreement.objects.filter(pk=a.pk).update(expires_on=datetime.date(2030, 1, 1)),
        lambda a: a.conditions.update(places=7),
        lambda a: factories.ConditionFactory(agreement=a, first_academic_year=2025),
        lambda a: factories.AgreementPartyFactory(agreement=a, role="witness"),
    ],
    ids=["dates", "places", "new condition", "new party"],
)
def test_changing_the_terms_changes_the_version(exchange, change):
    before = fresh(exchange).version
    change(exchange)
    assert fresh(exchange).version != before


def test_a_unit_on_a_party_is_part_of_the_terms(exchange, home_university):
    before = fresh(exchange).version
    unit = factories.UnitFactory(institution=home_university)
    exchange.parties.filter(institution=home_university).update(unit=unit)
    assert fresh(exchange).version != before


def test_notes_summary_and_document_are_not_terms(exchange):
    before = fresh(exchange).version
    exchange.conditions.update(notes="Nominations by 15 May.")
    Agreement.objects.filter(pk=exchange.pk).update(summary="New summary", document_name="x.pdf")
    assert fresh(exchange).version == before


def test_an_editor_of_a_party_approves_the_current_version(exchange, editor, home_university):
    version = fresh(exchange).version
    [approval] = agreement_approve(agreement=exchange, version=version, by=editor)
    assert (approval.institution, approval.user, approval.version) == (
        home_university,
        editor,
        version,
    )
    status = approval_status(fresh(exchange))
    assert not status.approved_by_all
    assert [party.name for party in status.waiting_for] == ["Harbin Institute of Technology"]


def test_a_stale_version_is_refused_and_nothing_is_written(exchange, editor):
    stale = fresh(exchange).version
    exchange.conditions.update(places=9)
    with pytest.raises(exceptions.StaleVersion) as raised:
        agreement_approve(agreement=exchange, version=stale, by=editor)
    assert raised.value.current_version == fresh(exchange).version
    assert not AgreementApproval.objects.exists()


@pytest.mark.parametrize("who", ["other_editor", "viewer", "member_editor", "staff", "outsider"])
def test_only_an_editor_of_a_party_approves(exchange, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        agreement_approve(agreement=exchange, version=fresh(exchange).version, by=user)
    assert not AgreementApproval.objects.exists()


def test_approved_by_all_only_when_every_signing_party_approved_the_current_version(
    exchange, editor, partner_editor
):
    agreement_approve(agreement=exchange, version=fresh(exchange).version, by=editor)
    agreement_approve(agreement=exchange, version=fresh(exchange).version, by=partner_editor)
    status = approval_status(fresh(exchange))
    assert status.approved_by_all
    snapshot = last_approved_version(exchange)
    assert snapshot.version == status.version
    assert snapshot.terms == agreement_terms(fresh(exchange))


def test_changing_the_terms_makes_approvals_stale_but_keeps_them(exchange, editor, partner_editor):
    approved = fresh(exchange).version
    agreement_approve(agreement=exchange, version=approved, by=editor)
    agreement_approve(agreement=exchange, version=approved, by=partner_editor)
    exchange.conditions.update(places=12)

    status = approval_status(fresh(exchange))
    assert not status.approved_by_all
    assert status.current == {}
    assert {approval.version for approval in status.stale} == {approved}
    assert AgreementApproval.objects.count() == 2
    assert last_approved_version(exchange).version == approved


def test_approving_twice_keeps_one_approval(exchange, editor):
    version = fresh(exchange).version
    agreement_approve(agreement=exchange, version=version, by=editor)
    agreement_approve(agreement=exchange, version=version, by=editor)
    assert AgreementApproval.objects.count() == 1


def test_a_witness_does_not_need_to_approve(exchange, editor, partner_editor, other_university):
    factories.AgreementPartyFactory(
        agreement=exchange, institution=other_university, role="witness"
    )
    version = fresh(exchange).version
    agreement_approve(agreement=exchange, version=version, by=editor)
    agreement_approve(agreement=exchange, version=version, by=partner_editor)
    assert approval_status(fresh(exchange)).approved_by_all
    assert ApprovedVersion.objects.filter(agreement=exchange).count() == 1


def test_approval_status_reads_no_more_queries_after_prefetch(
    exchange, editor, django_assert_num_queries
):
    agreement_approve(agreement=exchange, version=fresh(exchange).version, by=editor)
    agreement = fresh(exchange)
    with django_assert_num_queries(0):
        approval_status(agreement)
