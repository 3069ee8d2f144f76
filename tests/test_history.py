"""Audit history: every change names its author; an agreement's history reads as entries;
a deleted agreement comes back with its parties."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from partnerships import exceptions, services
from partnerships.models import (
    Affiliation,
    Agreement,
    AgreementParty,
    Alliance,
    Event,
    FieldOfStudy,
    Institution,
    Membership,
)
from partnerships.selectors import agreement_history
from programs.models import Programme, ProgrammePartner
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def memorandum(home_university, partner_university, alliance, documents_dir):
    agreement = factories.agreement_between(
        home_university,
        partner_university,
        reference="XJTU-HIT-2023",
        title="Digital Economy Talent Development Project",
        alliance=alliance,
        expires_on=datetime.date(2028, 8, 31),
    )
    factories.attach_document(agreement, name="signed memorandum.pdf")
    agreement.subject_areas.set(["0413"])
    return agreement


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def agreement_form(agreement, **changes):
    """The admin change form of `agreement` as the browser would post it back."""
    parties = list(agreement.parties.all())
    data = {
        "reference": agreement.reference,
        "title": agreement.title,
        "kind": agreement.kind,
        "alliance": agreement.alliance_id or "",
        "visibility": agreement.visibility,
        "signed_on": agreement.signed_on or "",
        "effective_from": agreement.effective_from or "",
        "expires_on": agreement.expires_on or "",
        "notice_days": agreement.notice_days,
        "summary": agreement.summary,
        "subject_areas": list(agreement.subject_areas.values_list("pk", flat=True)),
        **factories.NO_CONDITIONS_OR_APPROVALS,
        "parties-TOTAL_FORMS": len(parties),
        "parties-INITIAL_FORMS": len(parties),
    }
    for index, party in enumerate(parties):
        data |= {
            f"parties-{index}-id": party.pk,
            f"parties-{index}-agreement": agreement.pk,
            f"parties-{index}-institution": party.institution_id,
            f"parties-{index}-role": party.role,
            f"parties-{index}-signatory_name": party.signatory_name,
            f"parties-{index}-signatory_title": party.signatory_title,
        }
    return data | changes


# Who, when, what


@pytest.mark.parametrize(
    "model",
    [
        *(Institution, Alliance, Membership, Event, Affiliation, Agreement, AgreementParty),
        *(Programme, ProgrammePartner),
    ],
    ids=lambda model: model.__name__,
)
def test_every_registry_model_keeps_its_history(model):
    assert hasattr(model, "history")
    assert model.history.model._meta.get_field("history_user")


def test_an_admin_edit_records_its_author_and_the_change(client, staff, memorandum):
    client.force_login(staff)
    response = client.post(
        admin_url(Agreement, "change", memorandum.pk),
        agreement_form(memorandum, title="Digital Economy Talent Project", visibility="parties"),
    )
    assert response.status_code == 302
    latest = memorandum.history.latest("history_date")
    assert latest.history_user == staff
    [entry] = [e for e in agreement_history(memorandum) if e.action == "changed"][:1]
    assert entry.who == "staff"
    assert {(c.field, c.old, c.new) for c in entry.changes} >= {
        ("title", "Digital Economy Talent Development Project", "Digital Economy Talent Project"),
        ("visibility", "Public", "Parties only"),
    }


def test_an_admin_edit_of_a_party_records_its_author(client, staff, memorandum):
    client.force_login(staff)
    party = memorandum.parties.get(institution__slug="hit")
    data = agreement_form(memorandum)
    index = next(i for i in range(2) if data[f"parties-{i}-id"] == party.pk)
    data[f"parties-{index}-signatory_name"] = "Han Jiecai"
    client.post(admin_url(Agreement, "change", memorandum.pk), data)
    record = party.history.latest("history_date")
    assert (record.signatory_name, record.history_user) == ("Han Jiecai", staff)


def test_an_admin_edit_of_an_institution_records_its_author(client, staff, home_university):
    client.force_login(staff)
    client.post(
        admin_url(Institution, "change", home_university.pk),
        {
            "name": home_university.name,
            "slug": home_university.slug,
            "kind": home_university.kind,
            "country": "CN",
            "city": "Xi'an",
            "short_name": "XJTU",
            "units-TOTAL_FORMS": 0,
            "units-INITIAL_FORMS": 0,
        },
    )
    record = home_university.history.latest("history_date")
    assert (record.short_name, record.history_user) == ("XJTU", staff)


# The agreement's history as readable entries


def test_the_history_reads_as_who_when_and_from_to(memorandum, editor):
    memorandum.title = "Digital Economy Talent Project"
    memorandum._history_user = editor
    memorandum.save()
    entries = agreement_history(memorandum)
    newest = entries[0]
    assert (newest.action, newest.subject, newest.who) == ("changed", "agreement", "editor")
    assert newest.changes == (
        ("title", "Digital Economy Talent Development Project", "Digital Economy Talent Project"),
    )
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)


def test_the_history_names_linked_records_not_ids(memorandum, alliance, other_alliance, editor):
    memorandum.alliance = other_alliance
    memorandum._history_user = editor
    memorandum.save()
    assert agreement_history(memorandum)[0].changes == (
        ("alliance", str(alliance), str(other_alliance)),
    )


def test_the_history_shows_parties_added_and_removed(memorandum, other_university, editor):
    witness = AgreementParty(
        agreement=memorandum, institution=other_university, role="witness", signatory_name="Liu"
    )
    witness._history_user = editor
    witness.save()
    witness._history_user = editor
    witness.delete()
    entries = [e for e in agreement_history(memorandum) if "Tomsk" in e.subject]
    assert [e.action for e in entries] == ["deleted", "created"]
    assert entries[0].subject == "party Tomsk Polytechnic University"
    assert ("signatory", "—", "Liu") in entries[1].changes
    assert ("role", "—", "Witness") in entries[1].changes


def test_the_history_shows_subject_area_changes(memorandum):
    memorandum.subject_areas.add("0613")
    [change] = agreement_history(memorandum)[0].changes
    assert change.field == "subject areas"
    assert change.old == str(FieldOfStudy.objects.get(pk="0413"))
    assert change.new.count(";") == 1


def test_the_history_takes_a_fixed_number_of_queries(
    memorandum, editor, django_assert_max_num_queries
):
    for number in range(30):
        memorandum.title = f"Version {number}"
        memorandum._history_user = editor
        memorandum.save()
        party = memorandum.parties.first()
        party.signatory_name = f"Signatory {number}"
        party.save()
    with django_assert_max_num_queries(9):
        entries = agreement_history(memorandum)
    assert len(entries) > 60


# Deleting and restoring


def test_deleting_keeps_the_history_and_restoring_brings_back_the_parties(
    memorandum, editor, staff
):
    parties_before = sorted(
        memorandum.parties.values_list(
            "institution_id", "role", "signatory_name", "signatory_title"
        )
    )
    pk, document = memorandum.pk, memorandum.document.name
    services.agreement_delete(agreement=memorandum, by=editor)
    assert not Agreement.objects.filter(pk=pk).exists()
    assert Agreement.history.filter(id=pk, history_type="-").get().history_user == editor

    restored = services.agreement_restore(reference="XJTU-HIT-2023", by=staff)
    assert restored.pk == pk
    assert restored.title == "Digital Economy Talent Development Project"
    assert restored.document.name == document
    assert restored.document_name == "signed memorandum.pdf"
    assert list(restored.subject_areas.values_list("code", flat=True)) == ["0413"]
    assert (
        sorted(
            restored.parties.values_list(
                "institution_id", "role", "signatory_name", "signatory_title"
            )
        )
        == parties_before
    )
    assert restored.history.latest("history_date").history_user == staff


def test_restoring_leaves_out_parties_removed_before_the_deletion(
    memorandum, other_university, staff
):
    AgreementParty.objects.create(
        agreement=memorandum, institution=other_university, role="witness"
    ).delete()
    memorandum.delete()
    restored = services.agreement_restore(reference="XJTU-HIT-2023", by=staff)
    assert other_university not in [party.institution for party in restored.parties.all()]
    assert restored.parties.count() == 2


def test_restoring_an_agreement_deleted_in_bulk_brings_back_its_parties(memorandum, staff):
    Agreement.objects.filter(pk=memorandum.pk).delete()
    restored = services.agreement_restore(reference="XJTU-HIT-2023", by=staff)
    assert restored.parties.count() == 2


def test_a_restore_clears_links_to_records_deleted_since(memorandum, staff):
    alliance = memorandum.alliance
    memorandum.delete()
    Membership.objects.filter(alliance=alliance).delete()
    alliance.delete()
    restored = services.agreement_restore(reference="XJTU-HIT-2023", by=staff)
    assert restored.alliance is None
    assert "gone: alliance" in restored.history.latest("history_date").history_change_reason


def test_restoring_is_refused_when_nothing_was_deleted_or_the_reference_is_taken(memorandum, staff):
    with pytest.raises(exceptions.NothingToRestore):
        services.agreement_restore(reference="XJTU-HIT-2023", by=staff)
    memorandum.delete()
    factories.AgreementFactory(reference="XJTU-HIT-2023")
    with pytest.raises(exceptions.ReferenceTaken):
        services.agreement_restore(reference="XJTU-HIT-2023", by=staff)


def test_only_staff_may_restore_and_a_refusal_is_logged(memorandum, editor, caplog):
    memorandum.delete()
    caplog.set_level("WARNING", logger="alliance_portal.security")
    with pytest.raises(PermissionDenied):
        services.agreement_restore(reference="XJTU-HIT-2023", by=editor)
    assert not Agreement.objects.exists()
    assert "restore a deleted agreement" in caplog.records[-1].getMessage()


def test_staff_restore_a_deleted_agreement_from_the_admin(client, staff, memorandum):
    client.force_login(staff)
    client.post(admin_url(Agreement, "delete", memorandum.pk), {"post": "yes"})
    listing = client.get(admin_url(Agreement, "deleted"))
    [record] = listing.context["records"]
    assert record.reference == "XJTU-HIT-2023"
    assert record.history_user == staff

    response = client.post(admin_url(Agreement, "restore", record.history_id))
    restored = Agreement.objects.get(reference="XJTU-HIT-2023")
    assert response.url == admin_url(Agreement, "change", restored.pk)
    assert restored.parties.count() == 2
    assert not client.get(admin_url(Agreement, "deleted")).context["records"]


def test_reverting_a_deleted_agreement_from_its_history_sends_staff_to_restore(
    client, staff, memorandum
):
    client.force_login(staff)
    pk, version = memorandum.pk, memorandum.history.latest("history_date").history_id
    memorandum.delete()
    response = client.get(
        reverse("admin:partnerships_agreement_simple_history", args=[pk, version])
    )
    assert response.url == admin_url(Agreement, "deleted")
    assert not Agreement.objects.exists()


def test_the_history_lists_changes_to_conditions(memorandum, editor):
    condition = factories.ConditionFactory(agreement=memorandum, places=4)
    condition.places = 6
    condition._history_user = editor
    condition.save()
    entries = [e for e in agreement_history(memorandum) if e.subject.startswith("condition")]
    assert [e.action for e in entries] == ["changed", "created"]
    assert entries[0].who == "editor"
    assert ("places per year", "4", "6") in [tuple(change) for change in entries[0].changes]


def test_the_history_shows_condition_levels_language_and_years_in_words(memorandum):
    condition = factories.ConditionFactory(agreement=memorandum, levels="6", language="en")
    condition.levels, condition.language, condition.language_level = "78", "ru", "B1"
    condition.last_academic_year = 2029
    condition.save()
    entries = agreement_history(memorandum)
    [changed] = [e for e in entries if e.action == "changed" and e.subject.startswith("condition")]
    assert set(changed.changes) == {
        (
            "levels",
            "ISCED 6 · bachelor's or equivalent",
            "ISCED 7 · master's or equivalent; ISCED 8 · doctoral or equivalent",
        ),
        ("language", "English (en)", "Russian (ru)"),
        ("CEFR level", "B2", "B1"),
        ("last academic year", "2028/29", "2029/30"),
    }


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [("en", "Chinese (zh)", "Lao (lo)"), ("zh-hans", "中文 (zh)", "老挝语 (lo)")],
)
def test_the_history_names_every_iso_language_not_only_those_django_speaks(
    memorandum, language, before, after
):
    condition = factories.ConditionFactory(agreement=memorandum, language="zh")
    condition.language = "lo"
    condition.save()
    with translation.override(language):
        entries = agreement_history(memorandum)
    assert (before, after) in [tuple(change)[1:] for entry in entries for change in entry.changes]


def test_the_history_on_the_page_speaks_the_visitors_language(client, memorandum):
    condition = factories.ConditionFactory(agreement=memorandum, levels="6", language="en")
    condition.levels = "7"
    condition.save()
    page = client.get(
        reverse("agreement-detail", args=[memorandum.reference]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "Английский (en)" in page
    assert "ISCED 6" in page and "ISCED 7" in page
    assert "бакалавр" in page.lower()
