"""Who sees and does what through the API: the access matrix (tests/access_matrix.py), then
the rules the matrix does not spell out (parties of a new agreement, unknown fields, tokens).
"""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from partnerships.models import Agreement
from programs.models import StudentFlow
from tests import factories
from tests.access_matrix import DENY, DO, HIDE, LOGIN, ROLES, SEE, VISIBILITIES, row
from tests.api.conftest import results

pytestmark = pytest.mark.django_db

AGREEMENTS = "/api/v1/agreements/"


@pytest.fixture
def user_of(request):
    return request.getfixturevalue


@pytest.fixture
def agreements(agreement_of_each_visibility, member_editor, other_university):
    # member_editor and other_university make every role of the table exist.
    return agreement_of_each_visibility


def read_outcome(response):
    return {200: SEE, 404: HIDE}[response.status_code]


def write_outcome(response):
    return {200: DO, 201: DO, 204: DO, 401: LOGIN, 403: DENY, 404: HIDE}[response.status_code]


def new_agreement(home, partner, visibility, **fields):
    return {
        "reference": f"NEW-{visibility.upper()}",
        "title": "Memorandum on summer schools",
        "kind": "mou",
        "signed_on": "2024-05-10",
        "visibility": visibility,
        "parties": [
            {"institution": home.pk, "signatory_name": "Wang Shuguo"},
            {"institution": partner.pk, "role": "party"},
        ],
        **fields,
    }


@pytest.mark.parametrize("role", ROLES)
def test_reads_answer_as_the_table_says(agreements, user_of, client_for, role):
    client = client_for(user_of(role))
    listed = {item["reference"] for item in results(client.get(AGREEMENTS, {"page_size": 500}))}
    count = client.get(AGREEMENTS).json()["count"]
    found = {item["reference"] for item in results(client.get(AGREEMENTS, {"search": "Harbin"}))}
    exported = b"".join(client.get(AGREEMENTS, {"format": "csv"}).streaming_content).decode()
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        answered[visibility, "list"] = SEE if agreement.reference in listed else HIDE
        answered[visibility, "search"] = SEE if agreement.reference in found else HIDE
        answered[visibility, "csv"] = SEE if agreement.reference in exported else HIDE
        answered[visibility, "detail"] = read_outcome(client.get(f"{AGREEMENTS}{agreement.pk}/"))
    assert answered == row(role, "list", "search", "csv", "detail")
    assert count == sum(
        outcome == SEE for (_v, action), outcome in answered.items() if action == "list"
    )


@pytest.mark.parametrize("role", ROLES)
def test_country_figures_count_only_visible_agreements(agreements, user_of, client_for, role):
    client = client_for(user_of(role))
    visible = sum(outcome == SEE for outcome in row(role, "count").values())

    china = client.get("/api/v1/countries/CN/").json()

    assert china["active_agreements"] == visible


@pytest.mark.parametrize("role", ROLES)
def test_writes_answer_as_the_table_says(
    agreements, user_of, client_for, home_university, partner_university, role
):
    client = client_for(user_of(role))
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        created = client.post(
            AGREEMENTS,
            new_agreement(home_university, partner_university, visibility),
            format="json",
        )
        answered[visibility, "create"] = write_outcome(created)
        edited = client.patch(f"{AGREEMENTS}{agreement.pk}/", {"title": "Renamed"}, format="json")
        answered[visibility, "edit"] = write_outcome(edited)
        deleted = client.delete(f"{AGREEMENTS}{agreement.pk}/")
        answered[visibility, "delete"] = write_outcome(deleted)
    assert answered == row(role, "create", "edit", "delete")


@pytest.mark.parametrize("role", ROLES)
def test_lifecycle_actions_answer_as_the_table_says(agreements, user_of, client_for, role):
    client = client_for(user_of(role))
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        renewed = client.post(f"{AGREEMENTS}{agreement.pk}/renew/", {}, format="json")
        answered[visibility, "renew"] = write_outcome(renewed)
        terminated = client.post(
            f"{AGREEMENTS}{agreement.pk}/terminate/",
            {"terminated_on": "2025-01-31", "termination_reason": "Programme closed"},
            format="json",
        )
        answered[visibility, "terminate"] = write_outcome(terminated)
    assert answered == row(role, "renew", "terminate")
    done = {
        visibility
        for visibility in VISIBILITIES
        if row(role, "terminate")[visibility, "terminate"] == DO
    }
    assert {
        reference.split("-")[2].lower()
        for reference in Agreement.objects.filter(renews__isnull=False).values_list(
            "reference", flat=True
        )
    } == done
    assert {
        agreement.reference.split("-")[2].lower()
        for agreement in Agreement.objects.filter(terminated_on__isnull=False)
    } == done


@pytest.mark.parametrize("role", ROLES)
def test_the_signed_pdf_the_api_links_answers_as_the_table_says(
    agreements, user_of, client_for, role
):
    owner = client_for(user_of("staff"))
    links = {
        visibility: owner.get(f"{AGREEMENTS}{agreements[visibility].pk}/").json()["document_url"]
        for visibility in VISIBILITIES
    }
    # The link leads to the document view, which signs in with the session.
    client = Client()
    if user_of(role).is_authenticated:
        client.force_login(user_of(role))
    answered = {}
    for visibility, link in links.items():
        response = client.get(link)
        answered[visibility, "download"] = read_outcome(response)
        if response.status_code == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert answered == row(role, "download")


def test_an_editor_logs_an_agreement_where_their_institution_is_a_party(
    client_for, editor, home_university, partner_university
):
    response = client_for(editor).post(
        AGREEMENTS,
        new_agreement(home_university, partner_university, "parties", subject_areas=["0413"]),
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "active"
    assert body["subject_areas"] == ["0413"]
    assert [(party["name"], party["role"]) for party in body["parties"]] == [
        ("Harbin Institute of Technology", "party"),
        ("Xi'an Jiaotong University", "party"),
    ]
    agreement = Agreement.objects.get(reference="NEW-PARTIES")
    assert agreement.created_by == editor
    assert agreement.history.first().history_user == editor


def test_an_editor_may_not_log_an_agreement_between_two_foreign_institutions(
    client_for, editor, partner_university, other_university
):
    response = client_for(editor).post(
        AGREEMENTS, new_agreement(partner_university, other_university, "public"), format="json"
    )

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Agreement.objects.filter(reference="NEW-PUBLIC").exists()


def test_an_unknown_field_is_refused_by_name_and_nothing_is_saved(
    client_for, editor, home_university, partner_university
):
    payload = new_agreement(home_university, partner_university, "public", secret_flag=True)

    response = client_for(editor).post(AGREEMENTS, payload, format="json")

    assert response.status_code == 400
    assert response.json() == {"secret_flag": ["Unknown field."]}
    assert not Agreement.objects.exists()


def test_an_unknown_field_inside_a_party_is_refused(
    client_for, editor, home_university, partner_university
):
    payload = new_agreement(home_university, partner_university, "public")
    payload["parties"][0]["is_owner"] = True

    response = client_for(editor).post(AGREEMENTS, payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["parties"]
    assert "is_owner" in json.dumps(response.json()["parties"])
    assert not Agreement.objects.exists()


def test_an_agreement_needs_two_signing_parties(client_for, editor, home_university):
    payload = new_agreement(home_university, home_university, "public")
    payload["parties"] = payload["parties"][:1]

    response = client_for(editor).post(AGREEMENTS, payload, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "too_few_parties"


def test_dates_in_the_wrong_order_name_the_field(
    client_for, editor, home_university, partner_university
):
    payload = new_agreement(home_university, partner_university, "public", expires_on="2020-01-01")

    response = client_for(editor).post(AGREEMENTS, payload, format="json")

    assert response.status_code == 400
    assert "expires_on" in response.json()


def test_an_editor_cannot_move_a_membership_to_another_alliance(
    client_for, secretariat, alliance, other_alliance, home_university
):
    membership = home_university.memberships.get()

    response = client_for(secretariat).patch(
        f"/api/v1/memberships/{membership.pk}/", {"alliance": other_alliance.pk}, format="json"
    )

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.alliance == alliance


def test_a_secretariat_ends_a_membership_of_its_alliance(client_for, secretariat, home_university):
    membership = home_university.memberships.get()

    response = client_for(secretariat).patch(
        f"/api/v1/memberships/{membership.pk}/", {"left_on": "2024-06-30"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["active"] is False


def test_a_membership_cannot_end_before_it_starts(client_for, secretariat, home_university):
    membership = home_university.memberships.get()

    response = client_for(secretariat).patch(
        f"/api/v1/memberships/{membership.pk}/", {"left_on": "2000-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert "left_on" in response.json()


def test_an_editor_records_flows_of_their_institution_only(
    client_for, editor, home_university, other_university
):
    flow = {
        "academic_year": 2023,
        "origin_country": "RU",
        "destination_country": "CN",
        "destination_institution": home_university.pk,
        "level": "7",
        "mobility_type": "credit",
        "students": 12,
    }
    client = client_for(editor)

    own = client.post("/api/v1/flows/", flow, format="json")
    foreign = client.post(
        "/api/v1/flows/",
        {**flow, "destination_institution": None, "origin_institution": other_university.pk},
        format="json",
    )

    assert own.status_code == 201
    assert foreign.status_code == 403
    assert list(StudentFlow.objects.values_list("students", flat=True)) == [12]


def test_anonymous_and_outsiders_cannot_write_anything(client_for, anonymous, outsider, alliance):
    for user, status in [(anonymous, 401), (outsider, 403)]:
        client = client_for(user)
        institution = {"name": "X", "slug": "x", "kind": "university", "country": "CN"}
        assert client.post("/api/v1/institutions/", institution, format="json").status_code == (
            status
        )
        assert client.delete(f"/api/v1/alliances/{alliance.pk}/").status_code == status
    assert alliance.__class__.objects.filter(pk=alliance.pk).exists()


def test_a_token_for_username_and_password_authenticates(api, editor, agreements):
    token = api.post(
        "/api/v1/auth/token/",
        {"username": "editor", "password": factories.PASSWORD},
        format="json",
    ).json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get(AGREEMENTS)

    assert response.json()["count"] == 3


def test_a_wrong_password_gets_no_token(api, editor):
    response = api.post(
        "/api/v1/auth/token/", {"username": "editor", "password": "guess"}, format="json"
    )

    assert response.status_code == 400
    assert "token" not in response.json()


def test_anonymous_requests_are_throttled(api, settings):
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    rates = {"anon": "3/min", "user": "10/min"}
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = rates
    try:
        statuses = [api.get("/api/v1/alliances/").status_code for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original

    assert statuses == [200, 200, 200, 429]


def test_an_editor_replaces_the_parties_but_must_stay_one_of_them(
    client_for, editor, home_university, partner_university, other_university
):
    agreement = factories.agreement_between(home_university, partner_university)
    client = client_for(editor)
    url = f"{AGREEMENTS}{agreement.pk}/"

    kept = client.patch(
        url,
        {"parties": [{"institution": home_university.pk}, {"institution": other_university.pk}]},
        format="json",
    )
    left = client.patch(
        url,
        {"parties": [{"institution": partner_university.pk}, {"institution": other_university.pk}]},
        format="json",
    )

    assert kept.status_code == 200
    assert [party["name"] for party in kept.json()["parties"]] == [
        "Tomsk Polytechnic University",
        "Xi'an Jiaotong University",
    ]
    assert left.status_code == 403
    assert set(agreement.parties.values_list("institution", flat=True)) == {
        home_university.pk,
        other_university.pk,
    }


@pytest.mark.parametrize(
    ("role", "shown"), [("anonymous", False), ("outsider", False), ("editor", True)]
)
def test_a_programme_names_its_founding_agreement_only_to_who_may_see_it(
    agreements, user_of, client_for, home_university, role, shown
):
    hidden = agreements["parties"]
    programme = factories.ProgrammeFactory(lead=home_university, agreement=hidden)

    body = client_for(user_of(role)).get(f"/api/v1/programmes/{programme.pk}/").json()

    assert body["agreement"] == (hidden.pk if shown else None)
