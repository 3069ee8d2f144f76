"""Every page runs a fixed number of queries however many rows it shows (100+ here)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db

MANY = 110


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def registry(home_university, alliance, editor):
    """MANY members, agreements (with parties and an event), programmes, events and flows."""
    event = factories.EventFactory(slug="forum", alliance=alliance)
    for number in range(MANY):
        member = factories.InstitutionFactory(country=["KZ", "RU", "VN"][number % 3])
        factories.MembershipFactory(alliance=alliance, institution=member)
        factories.agreement_between(
            home_university,
            member,
            alliance=alliance,
            event=event,
            visibility=["public", "members", "parties"][number % 3],
            expires_on=datetime.date(2030, 1, 1),
        )
        programme = factories.ProgrammeFactory(lead=member)
        factories.ProgrammePartnerFactory(programme=programme, institution=home_university)
        factories.EventFactory(alliance=alliance)
        factories.StudentFlowFactory(
            academic_year=2000 + number % 20,
            origin_country="KZ",
            destination_country="CN",
            destination_institution=home_university,
            origin_institution=None,
            level=["5", "6", "7", "8"][number % 4],
            programme=programme,
        )
    return alliance


PAGES = [
    "/",
    "/alliances/",
    "/alliances/{alliance}/",
    "/institutions/",
    "/institutions/xjtu/",
    "/agreements/",
    "/programmes/",
    "/events/",
    "/events/forum/",
    "/search/?q=university",
    "/my-institution/",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_runs_a_bounded_number_of_queries_with_many_rows(
    client, editor, registry, url, django_assert_max_num_queries
):
    client.force_login(editor)
    url = url.format(alliance=registry.slug)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/agreements/", "/institutions/", "/alliances/{alliance}/"])
def test_a_full_page_costs_no_more_queries_than_a_short_one(client, editor, registry, url):
    client.force_login(editor)
    url = url.format(alliance=registry.slug)
    separator = "&" if "?" in url else "?"
    short = queries_for(client, f"{url}{separator}q=University 1")
    full = queries_for(client, url)
    assert full <= short + 1
