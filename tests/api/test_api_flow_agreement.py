"""A flow's agreement through the API: named only to those who may see it, filtered likewise."""

import pytest

from tests import factories
from tests.access_matrix import ROLES, SEE, VISIBILITIES, row

pytestmark = pytest.mark.django_db

FLOWS = "/api/v1/flows/"


@pytest.fixture
def user_of(request):
    return request.getfixturevalue


@pytest.fixture
def flow_of_each_visibility(
    agreement_of_each_visibility, home_university, partner_university, member_editor
):
    """{visibility: flow} counted against the agreement of that visibility."""
    return {
        visibility: factories.StudentFlowFactory(
            academic_year=2020 + index,
            origin_institution=home_university,
            destination_institution=partner_university,
            agreement=agreement,
        )
        for index, (visibility, agreement) in enumerate(agreement_of_each_visibility.items())
    }


@pytest.mark.parametrize("role", ROLES)
def test_a_flow_names_its_agreement_only_to_those_who_see_it(
    agreement_of_each_visibility,
    flow_of_each_visibility,
    other_university,
    user_of,
    client_for,
    role,
):
    client = client_for(user_of(role))
    shown = {flow["id"]: flow for flow in client.get(FLOWS, {"page_size": 500}).json()["results"]}
    answered = {}
    for visibility in VISIBILITIES:
        flow = shown[flow_of_each_visibility[visibility].pk]
        agreement = agreement_of_each_visibility[visibility]
        if flow["agreement"] is None:
            assert flow["agreement_reference"] is None
            answered[visibility, "detail"] = "hide"
        else:
            assert (flow["agreement"], flow["agreement_reference"]) == (
                agreement.pk,
                agreement.reference,
            )
            answered[visibility, "detail"] = SEE
    assert answered == row(role, "detail")


@pytest.mark.parametrize("role", ROLES)
def test_the_agreement_filter_keeps_to_visible_agreements(
    agreement_of_each_visibility,
    flow_of_each_visibility,
    other_university,
    user_of,
    client_for,
    role,
):
    client = client_for(user_of(role))
    factories.StudentFlowFactory()  # not linked: never in a filtered list
    for visibility in VISIBILITIES:
        response = client.get(FLOWS, {"agreement": agreement_of_each_visibility[visibility].pk})
        if row(role, "detail")[visibility, "detail"] == SEE:
            assert response.status_code == 200
            ids = [flow["id"] for flow in response.json()["results"]]
            assert ids == [flow_of_each_visibility[visibility].pk]
        else:
            # The same answer as for an agreement that does not exist: nothing leaks.
            assert response.status_code == 400
            assert "agreement" in response.json()


def test_an_unknown_agreement_is_a_400_naming_the_parameter(client_for, staff):
    response = client_for(staff).get(FLOWS, {"agreement": 999999})

    assert response.status_code == 400
    assert "agreement" in response.json()


def test_the_summary_takes_the_agreement_filter(
    agreement_of_each_visibility, flow_of_each_visibility, client_for, staff
):
    factories.StudentFlowFactory(students=999)
    agreement = agreement_of_each_visibility["public"]

    response = client_for(staff).get(
        f"{FLOWS}summary/", {"agreement": agreement.pk, "group_by": "academic_year"}
    )

    assert response.status_code == 200
    expected = flow_of_each_visibility["public"]
    assert response.json() == [
        {"academic_year": expected.academic_year, "students": expected.students}
    ]
