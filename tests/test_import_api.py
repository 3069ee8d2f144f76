"""POST /api/v1/imports/: the import service for staff tokens."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programs.models import StudentFlow
from tests.importing import FLOW_HEADER, table

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

IMPORTS = "/api/v1/imports/"
FLOWS = table(FLOW_HEADER, "2018,KZ,CN,,,6,degree,100,MoE", "2019,KZ,CN,,,6,degree,120,MoE")


def with_token(user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def post(client, content, **fields):
    upload = SimpleUploadedFile(fields.pop("name", "flows.csv"), content.encode())
    return client.post(IMPORTS, {"kind": "flows", "file": upload, **fields}, format="multipart")


def test_staff_token_imports_and_gets_the_counts(staff):
    response = post(with_token(staff), FLOWS)
    assert response.status_code == 200
    assert response.json() | {"summary": ""} == {
        "kind": "flows",
        "dry_run": False,
        "ok": True,
        "written": True,
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "error_count": 0,
        "errors": [],
        "changes": [],  # flows are written set by set, not record by record
        "summary": "",
    }
    assert StudentFlow.objects.count() == 2
    assert post(with_token(staff), FLOWS).json()["unchanged"] == 2


def test_dry_run_through_the_api_writes_nothing(staff):
    response = post(with_token(staff), FLOWS, dry_run="true")
    assert response.json()["created"] == 2 and not response.json()["written"]
    assert not StudentFlow.objects.exists()


def test_bad_rows_are_a_400_with_row_and_column(staff):
    response = post(with_token(staff), table(FLOW_HEADER, "2018,KZ,CN,,,6,degree,-1,MoE"))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 2, "column": "students", "message": "-1 is too small: the least allowed is 1."}
    ]
    assert not StudentFlow.objects.exists()


def test_missing_kind_and_file_are_field_errors(staff):
    response = with_token(staff).post(IMPORTS, {}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "file"}


def test_unknown_kind_is_a_field_error(staff):
    response = post(with_token(staff), FLOWS, kind="people")
    assert response.status_code == 400
    assert response.json() == {
        "kind": [
            "“people” is not a kind of import; choose one of: institutions, alliances, events, "
            "memberships, agreements, programmes, flows, units, conditions."
        ]
    }
    assert not StudentFlow.objects.exists()


@pytest.mark.parametrize("kind", ["Flows", "FLOWS", " flows ", "flow", "Flow"])
def test_the_kind_may_be_written_in_any_case_and_in_the_singular(staff, kind):
    response = post(with_token(staff), FLOWS, kind=kind)
    assert (response.status_code, response.json()["kind"]) == (200, "flows")
    assert StudentFlow.objects.count() == 2


@pytest.mark.parametrize("who", ["secretariat", "editor", "outsider"])
def test_only_staff_may_import_through_the_api(request, who):
    response = post(with_token(request.getfixturevalue(who)), FLOWS)
    assert response.status_code == 403
    assert not StudentFlow.objects.exists()


def test_anonymous_import_is_refused():
    assert post(APIClient(), FLOWS).status_code in (401, 403)
    assert not StudentFlow.objects.exists()


def test_get_is_not_allowed(staff):
    assert with_token(staff).get(IMPORTS).status_code == 405
