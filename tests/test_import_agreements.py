"""Agreements import with their parties, renewals and fields of study, at a fixed cost each;
relations are checked once, when the file is read."""

from datetime import date

import pytest
from django.db.models import Q
from django.utils import translation

from partnerships.imports.records import Record, save_record
from partnerships.imports.report import ImportReport
from partnerships.models import Agreement, AgreementParty, Membership
from tests import factories
from tests.importing import load, problems, table

pytestmark = pytest.mark.django_db

HEADER = (
    "reference,title,kind,alliance,event,signed_on,renews,subject_areas,"
    "party_institution,party_role,signatory_name,signatory_title"
)


def agreement_rows(reference, slugs, *, alliance="", event="", renews="", areas="0413"):
    first, *others = slugs
    return [
        f"{reference},Cooperation {reference},mou,{alliance},{event},"
        f"2023-08-28,{renews},{areas},{first},party,Signer of {first},Rector",
        *(f"{reference},,,,,,,,{slug},party,Signer of {slug},Rector" for slug in others),
    ]


@pytest.fixture
def universities(db):
    return [factories.InstitutionFactory(slug=f"uni-{number}") for number in range(6)]


def test_each_agreement_costs_the_same_few_queries_whatever_its_parties(
    universities, django_assert_max_num_queries
):
    alliance = factories.AllianceFactory(slug="uasr")
    event = factories.EventFactory(slug="forum")
    slugs = [university.slug for university in universities]
    rows = [
        line
        for number in range(20)
        for line in agreement_rows(f"A-{number}", slugs, alliance="uasr", event="forum")
    ]
    # Finding it, a savepoint, the insert and its history; the parties and their history in
    # one insert each; its field of study (Django's two queries, the history's three); the
    # release. The alliance and event were found while the file was read.
    with django_assert_max_num_queries(13 * 20 + 12):
        report = load("agreements", table(HEADER, *rows))
    assert problems(report) == []
    assert report.created == 20
    assert AgreementParty.objects.filter(agreement__alliance=alliance).count() == 6 * 20
    assert Agreement.objects.filter(event=event).count() == 20


def test_new_parties_have_their_history_and_whoever_imported_them(universities, staff):
    slugs = [university.slug for university in universities[:3]]
    report = load("agreements", table(HEADER, *agreement_rows("A-1", slugs)), by=staff)
    assert problems(report) == []
    history = AgreementParty.history.filter(agreement__reference="A-1")
    assert sorted((entry.institution.slug, entry.history_type) for entry in history) == [
        (slug, "+") for slug in slugs
    ]
    assert {entry.history_user for entry in history} == {staff}


def test_a_party_added_to_a_stored_agreement_updates_and_stamps_it(universities):
    slugs = [university.slug for university in universities]
    load("agreements", table(HEADER, *agreement_rows("A-1", slugs[:2])))
    agreement = Agreement.objects.get(reference="A-1")
    stamped = agreement.updated

    report = load("agreements", table(HEADER, *agreement_rows("A-1", slugs[:3])))

    assert problems(report) == []
    assert (report.created, report.updated) == (0, 1)
    assert report.changes[0].linked == "its parties"
    parties = agreement.parties.order_by("institution__slug")
    assert [party.institution.slug for party in parties] == slugs[:3]
    agreement.refresh_from_db()
    assert agreement.updated > stamped


def test_a_renewal_of_a_stored_agreement_is_written_once(universities):
    slugs = [university.slug for university in universities[:2]]
    earlier = factories.AgreementFactory(reference="A-2018")

    report = load("agreements", table(HEADER, *agreement_rows("A-2023", slugs, renews="A-2018")))

    assert problems(report) == []
    renewal = Agreement.objects.get(reference="A-2023")
    assert renewal.renews == earlier
    assert [entry.history_type for entry in renewal.history.all()] == ["~", "+"]  # areas, then born


def test_a_renewal_of_an_agreement_earlier_in_the_file_is_linked(universities):
    slugs = [university.slug for university in universities[:2]]
    rows = [*agreement_rows("A-2018", slugs), *agreement_rows("A-2023", slugs, renews="A-2018")]

    report = load("agreements", table(HEADER, *rows))

    assert problems(report) == []
    renewal = Agreement.objects.get(reference="A-2023")
    assert renewal.renews.reference == "A-2018"
    again = load("agreements", table(HEADER, *rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_an_agreement_renewing_itself_is_refused_in_the_models_words(universities):
    slugs = [university.slug for university in universities[:2]]
    load("agreements", table(HEADER, *agreement_rows("A-1", slugs)))

    report = load("agreements", table(HEADER, *agreement_rows("A-1", slugs, renews="A-1")))

    assert [(row, column) for row, column, _message in problems(report)] == [(2, "renews")]
    assert Agreement.objects.get(reference="A-1").renews is None


def test_a_required_relation_left_empty_is_still_checked_by_the_model():
    alliance = factories.AllianceFactory()
    record = Record(
        7,
        Membership,
        Q(pk=None),
        {"alliance_id": alliance.pk, "institution_id": None, "joined_on": date(2020, 1, 1)},
        columns={"institution_id": "institution"},
    )
    report = ImportReport(kind="memberships")

    assert save_record(record, by=None, report=report) is None

    assert problems(report) == [(7, "institution", "This field cannot be null.")]
    assert not Membership.objects.exists()


def test_changed_fields_of_study_are_in_the_history_under_whoever_imported_them(
    universities, staff
):
    slugs = [university.slug for university in universities[:2]]
    load("agreements", table(HEADER, *agreement_rows("A-1", slugs, areas="0413")), by=staff)

    report = load(
        "agreements", table(HEADER, *agreement_rows("A-1", slugs, areas='"0413,0613"')), by=staff
    )

    assert report.updated == 1
    assert report.changes[0].linked == "its fields of study"
    latest = Agreement.objects.get(reference="A-1").history.first()
    assert sorted(latest.subject_areas.values_list("fieldofstudy_id", flat=True)) == [
        "0413",
        "0613",
    ]
    assert latest.history_user == staff


def test_a_stored_agreement_that_now_renews_another_shows_it_in_the_preview(universities):
    slugs = [university.slug for university in universities[:2]]
    factories.AgreementFactory(reference="A-2018", title="Exchange 2018")
    load("agreements", table(HEADER, *agreement_rows("A-2023", slugs)))

    report = load(
        "agreements",
        table(HEADER, *agreement_rows("A-2023", slugs, renews="A-2018")),
        dry_run=True,
    )

    assert report.updated == 1
    assert report.changes[0].fields == (("renews", "", "A-2018 Exchange 2018"),)
    assert Agreement.objects.get(reference="A-2023").renews is None


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "row 2, A-1 Cooperation A-1: changes its parties, its fields of study"),
        ("zh-hans", "第 2 行, A-1 Cooperation A-1: 变更：协议方、学科领域"),
    ],
)
def test_the_preview_names_each_thing_an_update_changes_beyond_its_columns(
    universities, language, shown
):
    slugs = [university.slug for university in universities]
    load("agreements", table(HEADER, *agreement_rows("A-1", slugs[:2], areas="0413")))

    report = load("agreements", table(HEADER, *agreement_rows("A-1", slugs[:3], areas="0613")))

    assert report.changes[0].fields == ()
    with translation.override(language):
        assert str(report.changes[0]) == shown
