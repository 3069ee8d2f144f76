"""The access matrix (tests/access_matrix.py) through the HTML pages.

Reads: the registry page, the search page, the registry's CSV, the detail page and the signed
PDF. Writes: the pages that log, edit and renew agreements (ending and deleting an agreement
are admin and API actions; the pages do not offer them).
"""

import pytest

from partnerships.models import Agreement
from tests.access_matrix import DENY, DO, HIDE, LOGIN, ROLES, SEE, VISIBILITIES, row
from tests.test_pages_forms import agreement_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements(agreement_of_each_visibility, member_editor, other_university):
    # member_editor and other_university make every role of the table exist.
    return agreement_of_each_visibility


@pytest.fixture
def client_as(client, request):
    def sign_in(role):
        user = request.getfixturevalue(role)
        if user.is_authenticated:
            client.force_login(user)
        return client

    return sign_in


def read_outcome(response):
    return {200: SEE, 404: HIDE}[response.status_code]


def write_outcome(response):
    if response.status_code == 302:
        return LOGIN if response.url.startswith("/accounts/login/") else DO
    return {200: DO, 403: DENY, 404: HIDE}[response.status_code]


def create_outcome(response):
    """A refused party list comes back as the form with its message, nothing saved."""
    if response.status_code == 200:
        assert "One of the signing institutions must be one you act for" in (
            response.content.decode()
        )
        return DENY
    return write_outcome(response)


def streamed_text(response):
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("role", ROLES)
def test_pages_show_what_the_table_says(agreements, client_as, role):
    client = client_as(role)
    registry = client.get("/agreements/").content.decode()
    found = client.get("/search/", {"q": "joint training"}).content.decode()
    exported = client.get("/agreements/", {"format": "csv"})
    exported = streamed_text(exported) if exported.streaming else exported.content.decode()
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        answered[visibility, "list"] = SEE if agreement.title in registry else HIDE
        answered[visibility, "search"] = SEE if agreement.title in found else HIDE
        answered[visibility, "csv"] = SEE if agreement.reference in exported else HIDE
        detail = client.get(f"/agreements/{agreement.reference}/")
        answered[visibility, "detail"] = read_outcome(detail)
        download = client.get(f"/agreements/{agreement.reference}/document/")
        answered[visibility, "download"] = read_outcome(download)
    assert answered == row(role, "list", "search", "csv", "detail", "download")


@pytest.mark.parametrize("role", ROLES)
def test_working_pages_allow_what_the_table_says(
    agreements, client_as, home_university, partner_university, role
):
    client = client_as(role)
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        new = agreement_data(
            home_university,
            partner_university,
            reference=f"NEW-{visibility.upper()}",
            visibility=visibility,
        )
        answered[visibility, "create"] = create_outcome(client.post("/agreements/new/", new))
        edit = client.get(f"/agreements/{agreement.reference}/edit/")
        answered[visibility, "edit"] = write_outcome(edit)
        renew = client.post(f"/agreements/{agreement.reference}/renew/", {})
        answered[visibility, "renew"] = write_outcome(renew)
    assert answered == row(role, "create", "edit", "renew")
    allowed_creates = sum(answered[v, "create"] == DO for v in VISIBILITIES)
    allowed_renewals = sum(answered[v, "renew"] == DO for v in VISIBILITIES)
    assert Agreement.objects.filter(reference__startswith="NEW-").count() == allowed_creates
    assert Agreement.objects.filter(renews__isnull=False).count() == allowed_renewals
