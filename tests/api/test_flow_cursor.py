"""Flows by cursor: every row once, in order, however many share an academic year."""

import itertools

import pytest
from django.urls import reverse

from programs.models import StudentFlow
from tests import factories

pytestmark = pytest.mark.django_db

COUNTRIES = ["KZ", "RU", "UZ", "KG", "TJ", "MN", "PK", "TR", "IR", "AZ"]


@pytest.fixture
def flows():
    """1,300 flows, 1,200 of them in one year: more than DRF's cursor offset cap of 1,000."""
    dimensions = itertools.product(COUNTRIES, ["5", "6", "7", "8"], StudentFlow.MobilityType.values)
    rows = [
        factories.StudentFlowFactory.build(
            academic_year=2018 if number < 1200 else 2019,
            origin_country=origin,
            level=level,
            mobility_type=mobility,
            students=number + 1,
            programme=None,
        )
        for number, (origin, level, mobility) in zip(range(1300), itertools.cycle(dimensions))
    ]
    # Distinct dimensions: vary the destination for each cycle through the tuples.
    for number, row in enumerate(rows):
        row.destination_country = ["CN", "DE", "FR", "GB", "US", "JP", "KR"][number // 200]
    return StudentFlow.objects.bulk_create(rows)


def walk(client, url):
    pages, ids = 0, []
    while url:
        body = client.get(url).json()
        ids.extend(row["id"] for row in body["results"])
        url = body["next"]
        pages += 1
    return pages, ids


def test_walking_the_cursor_returns_every_flow_once_newest_year_first(client, flows):
    pages, ids = walk(client, reverse("flow-list") + "?page_size=100")
    assert pages == 13
    assert len(ids) == len(set(ids)) == 1300
    years = dict(StudentFlow.objects.values_list("id", "academic_year"))
    keys = [(years[flow_id], flow_id) for flow_id in ids]
    assert keys == sorted(keys, reverse=True)


def test_previous_links_walk_back_over_the_same_pages(client, flows):
    first = client.get(reverse("flow-list") + "?page_size=100").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    back = client.get(third["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in second["results"]]
    assert client.get(back["previous"]).json()["results"] == first["results"]


def test_a_chosen_ordering_pages_without_gaps_or_repeats(client, flows):
    _pages, ids = walk(
        client, reverse("flow-list") + "?page_size=250&ordering=origin_country,-students"
    )
    assert sorted(ids) == sorted(flow.pk for flow in flows)
    rows = {flow.pk: flow for flow in flows}
    keys = [(rows[pk].origin_country.code, -rows[pk].students) for pk in ids]
    assert keys == sorted(keys)


def test_a_made_up_cursor_is_a_400_that_names_the_parameter(client, flows):
    for cursor in ["garbage", "eyJwIjogMX0=", "W10="]:
        response = client.get(reverse("flow-list"), {"cursor": cursor})
        assert response.status_code == 400
        assert "cursor" in response.json()


def test_a_deep_page_runs_as_many_queries_as_the_first(
    client, flows, django_assert_max_num_queries
):
    first = client.get(reverse("flow-list") + "?page_size=100").json()
    url = first["next"]
    for _ in range(10):
        url = client.get(url).json()["next"]
    with django_assert_max_num_queries(1):
        deep = client.get(url)
    assert len(deep.json()["results"]) == 100
