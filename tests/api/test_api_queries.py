"""Every list endpoint runs the same number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def many_rows(editor, home_university):
    """ROWS of everything, each with the relations its serializer shows."""
    countries = ["RU", "KZ", "TH", "MN", "VN", "LA", "KH", "MY", "ID", "PK", "UZ", "KG"]
    for index, country in enumerate(countries[:ROWS]):
        factories.CountryGroupFactory(countries=["CN", country])
        institution = factories.InstitutionFactory(country=country)
        alliance = factories.AllianceFactory(headquarters=institution)
        factories.MembershipFactory(alliance=alliance, institution=institution)
        factories.MembershipFactory(alliance=alliance, institution=home_university)
        event = factories.EventFactory(alliance=alliance, host=institution)
        agreement = factories.agreement_between(
            home_university,
            institution,
            alliance=alliance,
            event=event,
            visibility=["public", "members"][index % 2],
        )
        agreement.subject_areas.set(["0413", "0714"])
        programme = factories.ProgrammeFactory(
            lead=institution, agreement=agreement, alliance=alliance, field_id="0413"
        )
        factories.ProgrammePartnerFactory(programme=programme)
        factories.ProgrammePartnerFactory(programme=programme, role="funder")
        factories.StudentFlowFactory(
            academic_year=2000 + index,
            origin_country=country,
            destination_country="CN",
            origin_institution=institution,
            destination_institution=home_university,
            programme=programme,
            agreement=agreement,
        )


LISTS = [
    "/api/v1/institutions/",
    "/api/v1/alliances/",
    "/api/v1/memberships/",
    "/api/v1/events/",
    "/api/v1/country-groups/",
    "/api/v1/agreements/",
    "/api/v1/programmes/",
    "/api/v1/flows/",
    "/api/v1/countries/",
    "/api/v1/flows/summary/?group_by=academic_year,destination_institution",
    "/api/v1/flows/balance/?country=CN",
]


def queries_for(client, url, page_size):
    separator = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"{url}{separator}page_size={page_size}")
    assert response.status_code == 200, response.content
    return len(context.captured_queries), response.json()


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_a_list_runs_the_same_queries_for_5_and_500_rows(many_rows, client_for, request, url, who):
    client = client_for(request.getfixturevalue(who))
    # The aggregates are not paginated: they run their fixed queries once.
    paginated = "summary" not in url and "balance" not in url

    if paginated:
        few, small = queries_for(client, url, 5)
        many, large = queries_for(client, url, 500)
        assert len(large["results"]) > len(small["results"]) == 5
    else:
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        few = many = len(context.captured_queries)

    assert few == many
    assert many <= 12


@pytest.mark.parametrize("url", [url for url in LISTS if "?" not in url])
def test_a_csv_export_runs_a_fixed_number_of_queries(
    many_rows, client_for, editor, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client_for(editor).get(url, {"format": "csv"})
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) > ROWS // 2
