"""The optional `agreement` column of the flows sheet: checked like the other references."""

import pytest

from partnerships.imports.exports import flow_rows, open_data_user
from programs.models import StudentFlow
from tests import factories
from tests.importing import FLOW_HEADER, load, problems, table

pytestmark = pytest.mark.django_db

HEADER = FLOW_HEADER + ",programme,agreement"


@pytest.fixture
def partner_university(other_university):
    """A partner across a border (Tomsk, RU): flows cross one."""
    return other_university


@pytest.fixture
def signed(home_university, partner_university):
    return factories.agreement_between(
        home_university, partner_university, reference="XJTU-HIT-2023", visibility="parties"
    )


def row(home, partner, agreement, students=40):
    return (
        f"2023,{home.country},{partner.country},{home.slug},{partner.slug},7,credit,"
        f"{students},Office report,,{agreement}"
    )


def test_a_flow_between_two_signing_parties_is_linked(signed, home_university, partner_university):
    report = load(
        "flows", table(HEADER, row(home_university, partner_university, signed.reference))
    )

    assert problems(report) == []
    assert report.created == 1
    assert StudentFlow.objects.get().agreement == signed


def test_an_unknown_agreement_is_a_row_error_and_nothing_is_written(
    signed, home_university, partner_university
):
    report = load(
        "flows",
        table(
            HEADER,
            row(home_university, partner_university, signed.reference),
            row(home_university, partner_university, "NO-SUCH-2023", students=41).replace(
                "2023,", "2024,", 1
            ),
        ),
    )

    assert problems(report) == [
        (3, "agreement", "No agreement “NO-SUCH-2023” exists in the registry.")
    ]
    assert StudentFlow.objects.count() == 0


def test_only_a_flow_between_signing_parties_may_be_linked(signed, home_university):
    outsider = factories.InstitutionFactory(country="KZ", slug="kaznu")
    report = load("flows", table(HEADER, row(home_university, outsider, signed.reference)))

    assert problems(report) == [(2, "agreement", "Both institutions must sign this agreement.")]
    assert StudentFlow.objects.count() == 0


def test_a_linked_flow_names_both_institutions(signed, home_university):
    line = f"2023,{home_university.country},KZ,{home_university.slug},,7,credit,40,Report,,"
    report = load("flows", table(HEADER, line + signed.reference))

    assert problems(report) == [
        (
            2,
            "agreement",
            "Name both institutions to count these students against an agreement.",
        )
    ]
    assert StudentFlow.objects.count() == 0


def test_a_blank_agreement_keeps_the_link_and_a_new_one_replaces_it(
    signed, home_university, partner_university
):
    load("flows", table(HEADER, row(home_university, partner_university, signed.reference)))
    assert (
        problems(load("flows", table(HEADER, row(home_university, partner_university, "")))) == []
    )
    assert StudentFlow.objects.get().agreement == signed

    renewal = factories.agreement_between(
        home_university, partner_university, reference="XJTU-HIT-2028"
    )
    report = load(
        "flows", table(HEADER, row(home_university, partner_university, renewal.reference))
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert StudentFlow.objects.get().agreement == renewal


@pytest.fixture
def flow_under_signed(signed, home_university, partner_university):
    return factories.StudentFlowFactory(
        origin_country=home_university.country,
        destination_country=partner_university.country,
        origin_institution=home_university,
        destination_institution=partner_university,
        agreement=signed,
    )


def test_the_export_names_the_agreement_only_to_those_who_see_it(
    flow_under_signed, editor, outsider
):
    assert [cells[-1] for cells in flow_rows(editor)] == ["XJTU-HIT-2023"]
    assert [cells[-1] for cells in flow_rows(outsider)] == [""]


def test_a_full_copy_names_every_agreement_and_the_open_data_dump_only_public_ones(
    flow_under_signed,
):
    assert [cells[-1] for cells in flow_rows(None)] == ["XJTU-HIT-2023"]
    assert [cells[-1] for cells in flow_rows(open_data_user())] == [""]


def test_exported_flow_cells_are_neutralised_for_spreadsheets(home_university):
    institution = factories.InstitutionFactory(slug="-minus", country="RU")
    factories.StudentFlowFactory(
        origin_country=home_university.country,
        destination_country="RU",
        destination_institution=institution,
        source="=1+1",
    )

    [cells] = flow_rows(None)

    assert (cells[4], cells[8]) == ("'-minus", "'=1+1")
