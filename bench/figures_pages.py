"""The pages people read most, against raw SQL for the same rows: the agreements registry
and the page of the largest alliance (1,000 members). The query counts must not grow with
the data; the times are reported against raw SQL without a target (the issue sets none;
docs/benchmarks.md says where the time goes)."""

from django.test import Client

from bench.core import REPORT_ONLY, compare, constant_queries, raw_sql
from bench.figures_api import AGREEMENT_COUNT_SQL, AGREEMENT_PAGE_SQL
from partnerships.models import Alliance
from partnerships.synthetic import SLUG_PREFIX

LARGEST_ALLIANCE = f"{SLUG_PREFIX}alliance-1"
ALLIANCE_MEMBERS_SQL = """
SELECT membership.role, membership.joined_on, membership.left_on,
       institution.name, institution.slug, institution.country, institution.kind
FROM partnerships_membership membership
JOIN partnerships_institution institution ON institution.id = membership.institution_id
WHERE membership.alliance_id = %s
ORDER BY institution.name
"""


def get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url}: {response.status_code}")
    return response.content


def run(scale):
    client = Client()
    repeat = 11 if scale == "full" else 5
    largest = Alliance.objects.get(slug=LARGEST_ALLIANCE)
    smallest = (
        Alliance.objects.filter(slug__startswith=SLUG_PREFIX)
        .exclude(pk=largest.pk)
        .order_by("memberships__id")
        .first()
    )
    count, page = raw_sql(AGREEMENT_COUNT_SQL), raw_sql(AGREEMENT_PAGE_SQL)
    return [
        compare(
            "page: agreements registry vs raw SQL for its rows",
            lambda: get(client, "/agreements/"),
            lambda: (count(), page()),
            target=REPORT_ONLY,
            repeat=repeat,
        ),
        constant_queries(
            "page: agreements registry queries, page 50 vs page 1",
            lambda number: get(client, f"/agreements/?page={number}"),
            small=1,
            large=50,
        ),
        compare(
            f"page: alliance of {largest.memberships.count():,} members vs raw SQL",
            lambda: get(client, f"/alliances/{largest.slug}/"),
            raw_sql(ALLIANCE_MEMBERS_SQL, [largest.pk]),
            target=REPORT_ONLY,
            repeat=repeat,
        ),
        constant_queries(
            "page: alliance page queries, largest vs a small alliance",
            lambda alliance: get(client, f"/alliances/{alliance.slug}/"),
            small=smallest,
            large=largest,
        ),
    ]
