"""A flow counts students who have already moved: no door takes a year that has not begun."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from programs.models import StudentFlow, format_academic_year
from tests import factories
from tests.importing import FLOW_HEADER, load, problems, table

pytestmark = pytest.mark.django_db


def this_year():
    return timezone.localdate().year


def test_a_flow_of_next_academic_year_is_refused_by_the_model():
    flow = factories.StudentFlowFactory.build(
        academic_year=this_year() + 1, origin_country="RU", destination_country="CN"
    )

    with pytest.raises(ValidationError) as refused:
        flow.full_clean()

    assert refused.value.message_dict["academic_year"] == [
        f"{format_academic_year(this_year() + 1)} has not begun yet: "
        "a flow counts students who have already moved."
    ]


def test_a_flow_of_the_academic_year_that_begins_this_calendar_year_is_accepted():
    flow = factories.StudentFlowFactory.build(
        academic_year=this_year(), origin_country="RU", destination_country="CN"
    )

    flow.full_clean()


def test_an_import_row_of_a_year_that_has_not_begun_is_refused_and_nothing_is_written():
    later = this_year() + 5
    report = load(
        "flows",
        table(
            FLOW_HEADER,
            f"{this_year()},KZ,CN,,,6,degree,10,MoE",
            f"{later}/{later % 100 + 1},KZ,CN,,,6,degree,10,MoE",
        ),
    )

    assert problems(report) == [
        (
            3,
            "academic_year",
            f"{format_academic_year(later)} has not begun yet: "
            "a flow counts students who have already moved.",
        )
    ]
    assert not StudentFlow.objects.exists()


def test_an_import_of_this_years_flows_is_written():
    report = load("flows", table(FLOW_HEADER, f"{this_year()},KZ,CN,,,6,degree,10,MoE"))

    assert report.ok, problems(report)
    assert list(StudentFlow.objects.values_list("academic_year", "students")) == [(this_year(), 10)]


def test_the_api_names_the_year_that_has_not_begun(editor, home_university):
    flow = {
        "origin_country": "RU",
        "destination_country": "CN",
        "destination_institution": home_university.pk,
        "level": "7",
        "mobility_type": "credit",
        "students": 12,
    }
    client = APIClient()
    client.force_authenticate(editor)

    future = client.post(
        "/api/v1/flows/", {**flow, "academic_year": this_year() + 1}, format="json"
    )
    current = client.post("/api/v1/flows/", {**flow, "academic_year": this_year()}, format="json")

    assert future.status_code == 400
    assert "has not begun yet" in future.json()["academic_year"][0]
    assert current.status_code == 201
    assert list(StudentFlow.objects.values_list("academic_year", flat=True)) == [this_year()]
