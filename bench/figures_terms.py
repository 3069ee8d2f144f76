"""Places, the partner finder, the change feed and `modified_since=` on the largest table.

The fixed-query figures add conditions inside a transaction that is rolled back, so the
benchmark data stays as generated.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory

from bench.core import compare, constant_queries, raw_sql
from partnerships.changes import changes_page
from partnerships.models import Agreement, AgreementCondition, AgreementParty
from partnerships.selectors import places_table
from partnerships.views.terms import partner_finder
from programs.models import StudentFlow

FLOWS_SINCE_SQL = """
SELECT id, academic_year, origin_country, destination_country, students, updated
FROM programs_studentflow
WHERE updated >= %s
ORDER BY updated, id
LIMIT 500
"""


def recent_moment():
    """The `updated` stamp of the 2,000th most recently changed flow: a typical sync window."""
    stamps = StudentFlow.objects.order_by("-updated").values_list("updated", flat=True)
    return stamps[1999:2000].get() if stamps.count() > 2000 else datetime.datetime.min


def flows_since(moment):
    return list(
        StudentFlow.objects.filter(updated__gte=moment)
        .order_by("updated", "id")
        .values_list(
            "id", "academic_year", "origin_country", "destination_country", "students", "updated"
        )[:500]
    )


def add_conditions(agreement, count):
    sending, receiving = (
        AgreementParty.objects.filter(agreement=agreement).values_list("institution_id", flat=True)
    )[:2]
    AgreementCondition.objects.bulk_create(
        AgreementCondition(
            agreement=agreement,
            sending_institution_id=sending,
            receiving_institution_id=receiving,
            mobility_type="student_studies",
            first_academic_year=2020 + number % 5,
            last_academic_year=2030,
            places=1 + number % 7,
        )
        for number in range(count)
    )


def with_conditions(count, action):
    """Run `action()` with `count` conditions on one public agreement, then roll them back."""
    with transaction.atomic():
        agreement = Agreement.objects.filter(visibility="public").order_by("pk").first()
        add_conditions(agreement, count)
        action(agreement)
        transaction.set_rollback(True)


def run(scale):
    moment = recent_moment()
    finder_request = RequestFactory().get("/partners/", {"year": 2026})
    finder_request.user = AnonymousUser()
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    return [
        compare(
            "modified_since over flows (500 rows) vs raw SQL on the updated index",
            lambda: flows_since(moment),
            raw_sql(FLOWS_SINCE_SQL, (moment,)),
            target=1.5,
            repeat=15 if scale == "full" else 7,
        ),
        constant_queries(
            "places of an agreement: 5 vs 300 conditions",
            lambda size: with_conditions(size, lambda a: list(places_table(a, 2026))),
            small=5,
            large=300,
        ),
        constant_queries(
            "partner finder: 5 vs 300 conditions",
            lambda size: with_conditions(size, lambda a: partner_finder(finder_request)),
            small=5,
            large=300,
        ),
        constant_queries(
            "change feed: a page of 10 vs 500 changes",
            lambda size: changes_page(user=AnonymousUser(), since=epoch, size=size),
            small=10,
            large=500,
        ),
    ]
