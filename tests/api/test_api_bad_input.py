"""Bad input gets a 4xx with a JSON message naming what is wrong; never a 500, nothing lost."""

import pytest

from partnerships.models import Agreement, Institution
from tests import factories

pytestmark = pytest.mark.django_db

AGREEMENTS = "/api/v1/agreements/"


@pytest.fixture
def editor_client(client_for, editor):
    return client_for(editor)


def test_malformed_json_is_a_400_with_a_message(editor_client):
    response = editor_client.post(
        AGREEMENTS, data='{"reference": "A-1", "title": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_body_that_is_not_an_object_is_a_400(editor_client):
    response = editor_client.post(AGREEMENTS, data="[1, 2]", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_wrong_types_name_each_field(editor_client, home_university, partner_university):
    response = editor_client.post(
        AGREEMENTS,
        {
            "reference": "XJTU-HIT-1",
            "title": "Memorandum",
            "kind": "mou",
            "signed_on": "yesterday",
            "notice_days": "many",
            "auto_renews": "sometimes",
            "parties": "HIT",
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"signed_on", "notice_days", "auto_renews", "parties"}
    assert not Agreement.objects.exists()


def test_a_party_that_does_not_exist_is_named(editor_client, home_university):
    response = editor_client.post(
        AGREEMENTS,
        {
            "reference": "XJTU-X-1",
            "title": "Memorandum",
            "kind": "mou",
            "parties": [{"institution": home_university.pk}, {"institution": 987654}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "parties" in response.json()


def test_a_duplicate_reference_is_a_field_error(editor_client, home_university, partner_university):
    factories.agreement_between(home_university, partner_university, reference="XJTU-HIT-1")

    response = editor_client.post(
        AGREEMENTS,
        {
            "reference": "XJTU-HIT-1",
            "title": "Again",
            "kind": "mou",
            "parties": [
                {"institution": home_university.pk},
                {"institution": partner_university.pk},
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "reference" in response.json()
    assert Agreement.objects.count() == 1


@pytest.mark.parametrize(
    "search",
    [
        "'; DROP TABLE partnerships_institution; --",
        "' OR '1'='1",
        "%",
        "_",
        "\\",
        "a" * 5000,
    ],
)
def test_sql_looking_search_strings_are_just_text(api, home_university, search):
    response = api.get("/api/v1/institutions/", {"search": search})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert Institution.objects.filter(pk=home_university.pk).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"search": "a\x00b"},
        {"alliance": "uasr\x00"},
        {"country": "C\x00"},
        {"page": "0"},
        {"page": "last-but-one"},
        {"page_size": "1e9"},
        {"page_size": "99999999999999999999"},
    ],
)
def test_broken_query_values_are_4xx_json(api, params):
    response = api.get("/api/v1/institutions/", params)

    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/json"
    assert response.json()


@pytest.mark.parametrize(
    "params",
    [
        {"academic_year": "-2018"},
        {"year_from": "99999999999999999999"},
        {"origin_institution": "-1"},
        {"cursor": "not-a-cursor"},
    ],
)
def test_broken_flow_queries_are_4xx_json(api, params):
    response = api.get("/api/v1/flows/", params)

    assert 400 <= response.status_code < 500
    assert response.json()


@pytest.mark.parametrize("resource", ["memberships", "agreements", "flows"])
def test_a_percent_sign_in_an_id_or_slug_is_named_back_not_a_500(api, resource):
    filter_name = "origin_institution" if resource == "flows" else "alliance"
    response = api.get(f"/api/v1/{resource}/", {filter_name: "field %(code)s"})

    assert response.status_code == 400
    [message] = response.json()[filter_name]
    assert message.endswith("has the id or slug field %(code)s.")


def test_an_error_is_json_even_when_csv_was_asked_for(api):
    response = api.get("/api/v1/flows/summary/", {"group_by": "students", "format": "csv"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "group_by" in response.json()


def test_balance_needs_a_country(api):
    response = api.get("/api/v1/flows/balance/")

    assert response.status_code == 400
    assert "country" in response.json()


def test_an_unknown_country_is_a_404(api):
    assert api.get("/api/v1/countries/QQ/").status_code == 404


def test_a_wrong_method_is_a_405(api):
    response = api.put("/api/v1/flows/summary/", {}, format="json")

    assert response.status_code in (401, 405)
    assert response.json()["detail"]


def test_deleting_an_institution_still_in_use_is_a_409(client_for, staff, home_university):
    factories.agreement_between(home_university, factories.InstitutionFactory())

    response = client_for(staff).delete(f"/api/v1/institutions/{home_university.pk}/")

    assert response.status_code == 409
    assert Institution.objects.filter(pk=home_university.pk).exists()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/institutions/", "/api/v1/flows/summary/", "/api/v1/countries/"],
)
def test_an_unknown_format_is_a_400_naming_the_formats(client, path):
    response = client.get(path, {"format": "pdf"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "format": ["Unknown format “pdf”; choose one of: json, csv, xlsx, jsonl."]
    }


def test_an_unknown_format_on_the_import_endpoint_offers_json_only(client_for, staff):
    response = client_for(staff).post("/api/v1/imports/?format=csv", {})

    assert response.status_code == 400
    assert response.json() == {"format": ["Unknown format “csv”; choose one of: json."]}


def test_a_long_unknown_format_is_quoted_by_its_start(client):
    response = client.get("/api/v1/institutions/", {"format": "x" * 5000})

    [message] = response.json()["format"]
    assert response.status_code == 400 and len(message) < 120
