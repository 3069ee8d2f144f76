"""The agreements list builds its rows by hand (`agreement_rows`) for speed: each row must be
exactly what the detail endpoint, DRF's generic serializer, gives for the same agreement."""

import datetime

import pytest
from django.utils import timezone

from partnerships.models import AgreementApproval, AgreementParty
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def described_agreements(home_university, other_university, alliance, editor, documents_dir):
    """Agreements with every part the representation shows, and one with almost none."""
    faculty = factories.UnitFactory(institution=home_university, name="School of Energy")
    event = factories.EventFactory(alliance=alliance, host=home_university)
    earlier = factories.agreement_between(
        home_university, other_university, reference="XJTU-TPU-2019", expires_on=None
    )
    full = factories.agreement_between(
        home_university,
        other_university,
        reference="XJTU-TPU-2024",
        kind="student_exchange",
        alliance=alliance,
        event=event,
        renews=earlier,
        expires_on=datetime.date(2029, 8, 31),
        auto_renews=True,
        notice_days=90,
        summary="Exchange of engineering students.",
    )
    full.parties.filter(institution=home_university).update(unit=faculty)
    factories.AgreementPartyFactory(
        agreement=full, role=AgreementParty.Role.WITNESS, signatory_title=""
    )
    full.subject_areas.set(["0713", "0413"])
    factories.ConditionFactory(agreement=full, sending_unit=faculty, field_id="0713")
    factories.ConditionFactory(agreement=full, staff_teaching=True)
    factories.attach_document(full)
    AgreementApproval.objects.create(
        agreement=full,
        institution=home_university,
        user=editor,
        version=full.version,
        approved_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30, 15, 123456)),
    )
    AgreementApproval.objects.create(
        agreement=full, institution=other_university, user=None, version="0" * 64
    )
    draft = factories.agreement_between(reference="DRAFT-1", signed_on=None, summary="")
    terminated = factories.agreement_between(
        reference="ENDED-1", terminated_on=datetime.date(2025, 1, 31)
    )
    return [earlier, full, draft, terminated]


def test_each_list_row_is_what_the_detail_endpoint_shows(api, described_agreements):
    rows = api.get("/api/v1/agreements/", {"page_size": 50}).json()["results"]

    assert {row["reference"] for row in rows} == {a.reference for a in described_agreements}
    for row in rows:
        detail = api.get(f"/api/v1/agreements/{row['id']}/").json()
        assert row == detail
        assert list(row) == list(detail)


def test_the_rich_row_carries_units_conditions_approvals_and_the_document(
    api, described_agreements, home_university
):
    rows = api.get("/api/v1/agreements/", {"search": "XJTU-TPU-2024"}).json()["results"]

    [row] = [row for row in rows if row["reference"] == "XJTU-TPU-2024"]
    assert {party["role"] for party in row["parties"]} == {"party", "witness"}
    assert any(party["unit"] for party in row["parties"])
    assert [condition["levels"] for condition in row["conditions"]] in (
        [["6", "7"], []],
        [[], ["6", "7"]],
    )
    assert row["subject_areas"] == ["0413", "0713"]
    assert row["approval"]["approved"][0]["institution"] == home_university.pk
    assert row["approval"]["approved"][0]["approved_at"] == "2026-03-02T09:30:15.123456Z"
    assert row["document_url"].startswith("http://testserver/")


def test_conditions_and_approvals_come_in_the_detail_order(
    api, home_university, other_university, editor
):
    """Conditions by sending institution's name, then mobility type, whatever their ids;
    current approvals by the party's name, whatever their times."""
    agreement = factories.agreement_between(home_university, other_university)
    factories.ConditionFactory(agreement=agreement, mobility_type="student_studies")
    factories.ConditionFactory(agreement=agreement, staff_teaching=True)
    factories.ConditionFactory(
        agreement=agreement,
        sending_institution=other_university,
        receiving_institution=home_university,
    )
    version = agreement.version
    for institution, day in ((home_university, 1), (other_university, 2)):
        AgreementApproval.objects.create(
            agreement=agreement,
            institution=institution,
            user=editor,
            version=version,
            approved_at=timezone.make_aware(datetime.datetime(2026, 3, day, 9, 0)),
        )

    [row] = api.get("/api/v1/agreements/").json()["results"]

    assert row == api.get(f"/api/v1/agreements/{agreement.pk}/").json()
    assert [(c["sending_institution"], c["mobility_type"]) for c in row["conditions"]] == [
        (other_university.pk, "student_studies"),
        (home_university.pk, "staff_teaching"),
        (home_university.pk, "student_studies"),
    ]
    assert row["approval"]["approved_by_all"] is True
    assert [a["institution"] for a in row["approval"]["approved"]] == [
        other_university.pk,
        home_university.pk,
    ]
