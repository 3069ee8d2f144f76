"""An export's header comes from the list's declared fields: the same with rows or none."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.django_db

LISTS = [
    "institutions",
    "alliances",
    "memberships",
    "events",
    "country-groups",
    "agreements",
    "programmes",
    "flows",
    "units",
    "conditions",
]
NOTHING = {"modified_since": "2100-01-01T00:00:00Z"}


def content(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(response):
    return list(csv.reader(io.StringIO(content(response).decode())))


def xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(content(response)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def staff_client(demo, client_for):
    return client_for(factories.UserFactory(is_staff=True))


@pytest.mark.parametrize("name", LISTS)
def test_an_empty_export_has_the_header_of_a_full_one(staff_client, name):
    url = f"/api/v1/{name}/"
    full = csv_rows(staff_client.get(url, {"format": "csv"}))
    assert len(full) > 2  # the demo data fills every list

    assert csv_rows(staff_client.get(url, {"format": "csv", **NOTHING})) == [full[0]]
    assert xlsx_rows(staff_client.get(url, {"format": "xlsx", **NOTHING})) == [full[0]]


def test_an_object_a_method_field_gives_has_a_column_per_key(staff_client):
    header = csv_rows(staff_client.get("/api/v1/agreements/", {"format": "csv", **NOTHING}))[0]
    assert [column for column in header if column.startswith("approval.")] == [
        "approval.version",
        "approval.approved_by_all",
        "approval.approved",
        "approval.waiting_for",
    ]
