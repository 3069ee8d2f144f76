"""The REST API against the physical limit: the same rows fetched with raw SQL through
psycopg, and page 1 for deep cursor paging. Requests go through the whole Django stack
(middleware, authentication, throttling, filters, serializers, renderer) in-process."""

from django.test import Client

from bench.core import Figure, compare, constant_queries, raw_sql

AGREEMENTS_URL = "/api/v1/agreements/"
FLOWS_URL = "/api/v1/flows/"
SUMMARY_URL = "/api/v1/flows/summary/"

# What an anonymous visitor's first page of 100 agreements needs: the number of public
# agreements, the page in the registry's order, their parties, conditions, approvals (with
# the approving institution's name) and subject areas.
AGREEMENT_COUNT_SQL = "SELECT COUNT(*) FROM partnerships_agreement WHERE visibility = 'public'"
AGREEMENT_PAGE_SQL = """
WITH page AS (
    SELECT id, reference, title, kind, alliance_id, event_id, signed_on, effective_from,
           expires_on, auto_renews, notice_days, renews_id, terminated_on, summary,
           visibility, document,
           (SELECT json_agg(condition ORDER BY condition.id)
            FROM partnerships_agreementcondition condition
            WHERE condition.agreement_id = partnerships_agreement.id) AS conditions,
           (SELECT json_agg(json_build_array(approval.institution_id, approver.name,
                                             approval.approved_at, approval.version)
                            ORDER BY approval.approved_at DESC, approval.id)
            FROM partnerships_agreementapproval approval
            JOIN partnerships_institution approver ON approver.id = approval.institution_id
            WHERE approval.agreement_id = partnerships_agreement.id) AS approvals
    FROM partnerships_agreement
    WHERE visibility = 'public'
    ORDER BY signed_on DESC, reference
    LIMIT 100
)
SELECT page.*, party.role, party.signatory_name, party.signatory_title,
       institution.id, institution.name, institution.country,
       (SELECT array_agg(area.fieldofstudy_id) FROM partnerships_agreement_subject_areas area
        WHERE area.agreement_id = page.id)
FROM page
JOIN partnerships_agreementparty party ON party.agreement_id = page.id
JOIN partnerships_institution institution ON institution.id = party.institution_id
ORDER BY page.signed_on DESC, page.reference, party.role, institution.name
"""
FLOW_SUMMARY_SQL = """
SELECT origin_country, academic_year, SUM(students)
FROM programs_studentflow
GROUP BY origin_country, academic_year
ORDER BY origin_country, academic_year
"""
DEEP_PAGE = {"full": 5000, "smoke": 200}


def get(client, url, **params):
    response = client.get(url, params)
    if response.status_code != 200:
        raise AssertionError(f"{url} {params}: {response.status_code} {response.content[:300]}")
    return response


def run(scale):
    client = Client()
    repeat = 15 if scale == "full" else 7
    count, page = raw_sql(AGREEMENT_COUNT_SQL), raw_sql(AGREEMENT_PAGE_SQL)
    figures = [
        compare(
            "API: agreements page of 100 with parties vs raw SQL",
            lambda: get(client, AGREEMENTS_URL, page_size=100),
            lambda: (count(), page()),
            target=3.0,
            repeat=repeat,
        ),
        constant_queries(
            "API: agreements list queries, page of 500 vs page of 10",
            lambda size: get(client, AGREEMENTS_URL, page_size=size),
            small=10,
            large=500,
        ),
        compare(
            "API: flows/summary by origin country and year vs raw GROUP BY",
            lambda: get(client, SUMMARY_URL, group_by="origin_country,academic_year"),
            raw_sql(FLOW_SUMMARY_SQL),
            target=1.5,
            repeat=repeat,
        ),
    ]
    figures.append(deep_paging(client, DEEP_PAGE[scale], repeat))
    return figures


def deep_paging(client, depth, repeat):
    """Walk the flows by cursor to page `depth`, checking no row comes twice, then time it."""
    first_url = f"{FLOWS_URL}?page_size=100"
    url, seen = first_url, set()
    for _ in range(depth - 1):
        body = get(client, url).json()
        ids = {row["id"] for row in body["results"]}
        if ids & seen:
            return Figure(
                name=f"API: flows cursor walk to page {depth} repeats rows",
                value=len(seen),
                limit=1,
                target=0,
                unit="rows",
            )
        seen |= ids
        url = body["next"]
    return compare(
        f"API: flows page {depth:,} by cursor vs page 1",
        lambda: get(client, url),
        lambda: get(client, first_url),
        target=1.5,
        repeat=repeat,
    )
