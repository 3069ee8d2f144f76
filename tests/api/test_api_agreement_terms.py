"""The API of conditions, places, units, approval and institution identity."""

import pytest

from partnerships.models import AgreementApproval, AgreementCondition, Institution, Unit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange(home_university, other_university):
    """A public exchange between XJTU (CN) and Tomsk Polytechnic (RU)."""
    agreement = factories.agreement_between(
        home_university, other_university, reference="XJTU-TPU-SE", kind="student_exchange"
    )
    factories.ConditionFactory(agreement=agreement, places=3)
    return agreement


@pytest.fixture
def hidden(home_university, partner_university):
    agreement = factories.agreement_between(
        home_university, partner_university, reference="XJTU-HIT-P", visibility="parties"
    )
    factories.ConditionFactory(agreement=agreement)
    return agreement


def url(agreement, action=""):
    return f"/api/v1/agreements/{agreement.pk}/{action + '/' if action else ''}"


def test_an_agreement_shows_its_conditions_version_and_approval(api, exchange, home_university):
    body = api.get(url(exchange)).json()
    [condition] = body["conditions"]
    assert condition["sending_institution"] == home_university.pk
    assert condition["levels"] == ["6", "7"]
    assert len(body["version"]) == 64
    assert body["approval"] == {
        "version": body["version"],
        "approved_by_all": False,
        "approved": [],
        "waiting_for": sorted(
            [
                home_university.pk,
                exchange.parties.exclude(institution=home_university)[0].institution_id,
            ],
            key=lambda pk: Institution.objects.get(pk=pk).name,
        ),
    }
    assert body["parties"][0]["unit"] is None


# Places


def test_places_lists_used_and_left_per_condition(api, exchange, home_university, other_university):
    factories.StudentFlowFactory(
        agreement=exchange,
        academic_year=2026,
        origin_country="CN",
        destination_country="RU",
        origin_institution=home_university,
        destination_institution=other_university,
        mobility_type="credit",
        students=5,
    )
    body = api.get(url(exchange, "places"), {"year": 2026}).json()
    assert body["year"] == 2026
    [row] = body["results"]
    assert (row["sending"], row["receiving"], row["mobility_type"]) == (
        home_university.pk,
        other_university.pk,
        "student_studies",
    )
    assert (row["places"], row["used"], row["left"]) == (3, 5, -2)


@pytest.mark.parametrize("year", ["next", "1800", "2026.5"])
def test_places_refuses_a_year_that_is_not_one(api, exchange, year):
    response = api.get(url(exchange, "places"), {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


def test_places_of_a_hidden_agreement_is_a_404(client_for, hidden, other_editor):
    assert client_for(other_editor).get(url(hidden, "places")).status_code == 404


def test_places_runs_a_fixed_number_of_queries(api, exchange, django_assert_max_num_queries):
    factories.ConditionFactory.create_batch(30, agreement=exchange)
    with django_assert_max_num_queries(4):
        body = api.get(url(exchange, "places"), {"year": 2026}).json()
    assert len(body["results"]) == 31


# Approval


def test_an_editor_of_a_party_approves_the_version_they_read(client_for, exchange, editor):
    version = client_for(editor).get(url(exchange)).json()["version"]
    response = client_for(editor).post(url(exchange, "approve"), {"version": version})
    assert response.status_code == 200
    assert response.json()["approved"][0]["version"] == version
    assert AgreementApproval.objects.get().user == editor


def test_approving_a_stale_version_is_a_409_naming_the_current_one(client_for, exchange, editor):
    stale = client_for(editor).get(url(exchange)).json()["version"]
    exchange.conditions.update(places=8)
    response = client_for(editor).post(url(exchange, "approve"), {"version": stale})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["current_version"] == client_for(editor).get(url(exchange)).json()["version"]
    assert not AgreementApproval.objects.exists()


def test_approval_by_someone_who_edits_no_party_is_a_403(client_for, exchange, member_editor):
    version = client_for(member_editor).get(url(exchange)).json()["version"]
    response = client_for(member_editor).post(url(exchange, "approve"), {"version": version})
    assert response.status_code == 403
    assert not AgreementApproval.objects.exists()


def test_approval_of_an_agreement_one_may_not_see_is_a_404(client_for, hidden, other_editor):
    response = client_for(other_editor).post(url(hidden, "approve"), {"version": "a" * 64})
    assert response.status_code == 404


def test_approval_needs_a_well_formed_version(client_for, exchange, editor):
    response = client_for(editor).post(url(exchange, "approve"), {"version": "abc"})
    assert response.status_code == 400
    assert "version" in response.json()


def test_approval_needs_a_signed_in_user(api, exchange):
    assert api.post(url(exchange, "approve"), {"version": "a" * 64}).status_code in (401, 403)


# Conditions and units through the API


def condition_payload(agreement, sending, receiving, **changes):
    return {
        "agreement": agreement.pk,
        "sending_institution": sending.pk,
        "receiving_institution": receiving.pk,
        "mobility_type": "student_studies",
        "levels": ["7"],
        "first_academic_year": 2026,
        "last_academic_year": 2028,
        "places": 2,
        "months_per_year": 5,
        **changes,
    }


def test_an_editor_adds_a_condition(
    client_for, exchange, editor, home_university, other_university
):
    payload = condition_payload(exchange, other_university, home_university)
    response = client_for(editor).post("/api/v1/conditions/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert AgreementCondition.objects.filter(sending_institution=other_university).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"places": 0}, "places"),
        ({"first_academic_year": 2028, "last_academic_year": 2027}, "last_academic_year"),
        ({"levels": ["4"]}, "levels"),
        ({"months_per_year": None, "days_per_year": 3}, "days_per_year"),
    ],
)
def test_a_bad_condition_is_a_400_naming_the_field(
    client_for, exchange, editor, home_university, other_university, changes, field
):
    payload = condition_payload(exchange, home_university, other_university, **changes)
    response = client_for(editor).post("/api/v1/conditions/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert exchange.conditions.count() == 1


def test_a_condition_naming_a_non_party_or_the_same_institution_is_refused(
    client_for, exchange, editor, home_university, member_university
):
    not_party = condition_payload(exchange, home_university, member_university)
    response = client_for(editor).post("/api/v1/conditions/", not_party, format="json")
    assert response.json()["receiving_institution"] == [
        "Choose an institution that signs the agreement."
    ]
    same = condition_payload(exchange, home_university, home_university)
    response = client_for(editor).post("/api/v1/conditions/", same, format="json")
    assert response.status_code == 400
    assert "receiving_institution" in response.json()


def test_a_condition_with_a_unit_of_another_institution_is_refused(
    client_for, exchange, editor, home_university, other_university
):
    foreign = factories.UnitFactory(institution=other_university)
    payload = condition_payload(
        exchange, home_university, other_university, sending_unit=foreign.pk
    )
    response = client_for(editor).post("/api/v1/conditions/", payload, format="json")
    assert response.status_code == 400
    assert "sending_unit" in response.json()


def test_only_an_editor_of_a_party_adds_conditions(
    client_for, exchange, other_editor, home_university, other_university
):
    outsider_editor = factories.AffiliationFactory(institution=factories.InstitutionFactory()).user
    payload = condition_payload(exchange, home_university, other_university)
    response = client_for(outsider_editor).post("/api/v1/conditions/", payload, format="json")
    assert response.status_code == 403


def test_unit_filter_on_agreements_and_conditions(api, exchange, home_university):
    unit = factories.UnitFactory(institution=home_university)
    exchange.conditions.update(sending_unit=unit)
    factories.agreement_between(home_university, factories.InstitutionFactory())
    body = api.get("/api/v1/agreements/", {"unit": unit.pk}).json()
    assert [row["id"] for row in body["results"]] == [exchange.pk]
    body = api.get("/api/v1/conditions/", {"unit": unit.pk}).json()
    assert [row["agreement"] for row in body["results"]] == [exchange.pk]


def test_a_unit_is_created_by_its_institutions_editor_only(
    client_for, editor, other_editor, home_university
):
    payload = {"institution": home_university.pk, "name": "School of Law", "kind": "school"}
    assert client_for(other_editor).post("/api/v1/units/", payload).status_code == 403
    assert client_for(editor).post("/api/v1/units/", payload).status_code == 201
    assert Unit.objects.filter(name="School of Law").exists()


def test_a_unit_whose_parent_is_of_another_institution_is_refused(
    client_for, editor, home_university, other_university
):
    foreign = factories.UnitFactory(institution=other_university)
    payload = {
        "institution": home_university.pk,
        "name": "Department",
        "kind": "department",
        "parent": foreign.pk,
    }
    response = client_for(editor).post("/api/v1/units/", payload)
    assert response.status_code == 400
    assert response.json()["parent"] == ["Choose a unit of the same institution."]


# Institution identity


def test_an_institution_shows_parent_children_successor_and_predecessors(
    api, home_university, other_university
):
    campus = factories.InstitutionFactory(parent=home_university)
    other_university.successor = home_university
    other_university.save()
    body = api.get(f"/api/v1/institutions/{home_university.pk}/").json()
    assert body["children"] == [campus.pk]
    assert body["predecessors"] == [other_university.pk]
    assert api.get(f"/api/v1/institutions/{campus.pk}/").json()["parent"] == home_university.pk


def test_a_cycle_of_successors_is_a_400(client_for, staff, home_university, other_university):
    other_university.successor = home_university
    other_university.save()
    response = client_for(staff).patch(
        f"/api/v1/institutions/{home_university.pk}/",
        {"successor": other_university.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["successor"] == ["This would make the institution its own successor."]
    home_university.refresh_from_db()
    assert home_university.successor is None


def test_institution_list_runs_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    parent = factories.InstitutionFactory()
    factories.InstitutionFactory.create_batch(30, parent=parent)
    with django_assert_max_num_queries(5):
        body = api.get("/api/v1/institutions/", {"page_size": 40}).json()
    assert len(body["results"]) == 31
