"""Querysets the API and pages are built on, against the same rows fetched with raw SQL.

They isolate the ORM's share of a request; the API figures measure the whole request.
"""

from bench.core import compare, raw_sql
from programs.models import StudentFlow

FLOW_SUMMARY_SQL = """
SELECT origin_country, academic_year, SUM(students)
FROM programs_studentflow
GROUP BY origin_country, academic_year
ORDER BY origin_country, academic_year
"""


def flow_summary():
    return list(StudentFlow.objects.summary("origin_country", "academic_year"))


def run(scale):
    repeat = 15 if scale == "full" else 7
    return [
        compare(
            "queryset: flow totals by origin country and year vs raw GROUP BY",
            flow_summary,
            raw_sql(FLOW_SUMMARY_SQL),
            target=1.5,
            repeat=repeat,
        ),
    ]
