"""A flow's agreement through the API: named only to those who may see it, filtered likewise."""

import pytest

from programs.models import StudentFlow
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


# Writing a flow's agreement


@pytest.fixture
def signed(home_university, other_university):
    """An agreement the editor's institution signs with Tomsk (RU), parties only."""
    return factories.agreement_between(
        home_university, other_university, reference="XJTU-TPU-2023", visibility="parties"
    )


def flow_between(home_university, other_university, **fields):
    return {
        "academic_year": 2023,
        "origin_country": "RU",
        "destination_country": "CN",
        "origin_institution": other_university.pk,
        "destination_institution": home_university.pk,
        "level": "7",
        "mobility_type": "credit",
        "students": 12,
        **fields,
    }


@pytest.mark.parametrize("named_by", ["agreement", "agreement_reference"])
def test_an_editor_links_a_flow_to_an_agreement_their_institution_signs(
    client_for, editor, home_university, other_university, signed, named_by
):
    value = signed.pk if named_by == "agreement" else signed.reference
    response = client_for(editor).post(
        FLOWS, flow_between(home_university, other_university, **{named_by: value}), format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["agreement"], body["agreement_reference"]) == (signed.pk, signed.reference)
    assert StudentFlow.objects.get().agreement == signed


@pytest.mark.parametrize("named_by", ["agreement", "agreement_reference"])
def test_an_agreement_hidden_from_the_writer_is_as_unknown_as_one_that_does_not_exist(
    client_for, editor, home_university, other_university, partner_university, named_by
):
    hidden = factories.agreement_between(
        partner_university, other_university, reference="HIT-TPU-2023", visibility="parties"
    )
    client = client_for(editor)
    answers = []
    for pk, reference in ((hidden.pk, hidden.reference), (999999, "NO-SUCH-2023")):
        value = pk if named_by == "agreement" else reference
        flow = flow_between(home_university, other_university, **{named_by: value})
        answers.append(client.post(FLOWS, flow, format="json"))

    assert [answer.status_code for answer in answers] == [400, 400]
    hidden_answer, unknown_answer = (answer.json() for answer in answers)
    # The same words as for an agreement that does not exist: nothing leaks.
    assert list(hidden_answer) == [named_by]
    assert hidden_answer[named_by] == [
        message.replace("NO-SUCH-2023", hidden.reference).replace("999999", str(hidden.pk))
        for message in unknown_answer[named_by]
    ]
    assert StudentFlow.objects.count() == 0


def test_an_agreement_the_flows_institutions_do_not_both_sign_is_refused(
    client_for, editor, home_university, other_university, partner_university
):
    theirs = factories.agreement_between(home_university, partner_university)
    response = client_for(editor).post(
        FLOWS,
        flow_between(home_university, other_university, agreement=theirs.pk),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"agreement": ["Both institutions must sign this agreement."]}
    assert StudentFlow.objects.count() == 0


def test_a_flow_without_both_institutions_cannot_count_against_an_agreement(
    client_for, editor, home_university, other_university, signed
):
    flow = flow_between(home_university, other_university, agreement=signed.pk)
    flow["origin_institution"] = None
    response = client_for(editor).post(FLOWS, flow, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "agreement": ["Name both institutions to count these students against an agreement."]
    }


def test_naming_the_agreement_by_id_and_by_reference_at_once_is_refused(
    client_for, editor, home_university, other_university, signed
):
    flow = flow_between(
        home_university, other_university, agreement=signed.pk, agreement_reference=signed.reference
    )
    response = client_for(editor).post(FLOWS, flow, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["agreement_reference"]


def test_an_editor_moves_a_flow_to_another_agreement_and_clears_it(
    client_for, editor, home_university, other_university, signed
):
    renewal = factories.agreement_between(
        home_university, other_university, reference="XJTU-TPU-2028"
    )
    flow = factories.StudentFlowFactory(
        origin_country="RU",
        destination_country="CN",
        origin_institution=other_university,
        destination_institution=home_university,
        agreement=signed,
    )
    client = client_for(editor)

    moved = client.patch(f"{FLOWS}{flow.pk}/", {"agreement_reference": renewal.reference})
    assert moved.status_code == 200
    assert (moved.json()["agreement"], moved.json()["agreement_reference"]) == (
        renewal.pk,
        renewal.reference,
    )
    cleared = client.patch(f"{FLOWS}{flow.pk}/", {"agreement": None}, format="json")
    assert cleared.status_code == 200
    assert (cleared.json()["agreement"], cleared.json()["agreement_reference"]) == (None, None)
    flow.refresh_from_db()
    assert flow.agreement is None
