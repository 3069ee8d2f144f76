"""The access matrix (tests/access_matrix.py) through every door that exists: the permission
predicates, the querysets (list, count, search), the services, the document download and
the admin. The API and the pages run the same table in their own tests.

Each test takes one role, records what the door answered for every cell of that role's
row, and compares it with the table: a failure shows the cells that differ.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from partnerships import permissions, services
from partnerships.models import Agreement, AgreementParty
from tests.access_matrix import (
    DENY,
    DO,
    HIDE,
    LOGIN,
    ROLES,
    SEE,
    STAFF_ROLES,
    VISIBILITIES,
    expected,
    row,
    visible_count,
)

pytestmark = pytest.mark.django_db

PREDICATES = {
    "detail": permissions.can_view_agreement,
    "download": permissions.can_download_document,
    "edit": permissions.can_edit_agreement,
    "delete": permissions.can_delete_agreement,
    "renew": permissions.can_renew_agreement,
    "terminate": permissions.can_terminate_agreement,
}
NON_STAFF = [role for role in ROLES if role not in STAFF_ROLES]


@pytest.fixture
def user_of(request):
    return request.getfixturevalue


@pytest.fixture
def agreements(agreement_of_each_visibility, member_editor, other_university):
    # member_editor and other_university make every role of the table exist.
    return agreement_of_each_visibility


def as_allowed(row_of_outcomes):
    """Predicates answer yes or no: "see" and "do" are yes; hide, deny and login are no."""
    return {cell: outcome in (SEE, DO) for cell, outcome in row_of_outcomes.items()}


def write_outcome(user, agreement, refused):
    """What a door answers to a refused write on `agreement` (None: a new one)."""
    if not refused:
        return DO
    if not user.is_authenticated:
        return LOGIN
    if agreement is None or permissions.can_view_agreement(user, agreement):
        return DENY
    return HIDE


# The permission predicates


@pytest.mark.parametrize("role", ROLES)
def test_permission_predicates_answer_as_the_table_says(agreements, user_of, role):
    user = user_of(role)
    answered = {
        (visibility, action): predicate(user, agreements[visibility])
        for visibility in VISIBILITIES
        for action, predicate in PREDICATES.items()
    }
    assert answered == as_allowed(row(role, *PREDICATES))


@pytest.mark.parametrize("role", ROLES)
def test_logging_an_agreement_for_home_and_partner_is_allowed_as_the_table_says(
    agreements, user_of, home_university, partner_university, role
):
    allowed = permissions.can_create_agreement_for(
        user_of(role), [home_university.pk, partner_university.pk]
    )
    assert {(v, "create"): allowed for v in VISIBILITIES} == as_allowed(row(role, "create"))


# The querysets every list, count, search and export is built on


@pytest.mark.parametrize("role", ROLES)
def test_lists_counts_and_search_show_only_what_the_table_says(agreements, user_of, role):
    visible = Agreement.objects.visible_to(user_of(role))
    found = visible.search("Harbin joint")
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        answered[visibility, "list"] = SEE if agreement in visible else HIDE
        answered[visibility, "search"] = SEE if agreement in found else HIDE
    assert answered == row(role, "list", "search")
    assert visible.count() == visible_count(role)


@pytest.mark.parametrize("role", ROLES)
def test_a_list_never_repeats_an_agreement(agreements, user_of, role, secretariat, alliance):
    listed = list(Agreement.objects.visible_to(user_of(role)).with_state().with_parties())
    assert len(listed) == len(set(listed)) == visible_count(role)


def test_the_csv_column_matches_the_list_column():
    """CSV is built from the same visible_to list, so the table must say the same for both."""
    for role in ROLES:
        assert [expected(role, v, "csv") for v in VISIBILITIES] == [
            expected(role, v, "list") for v in VISIBILITIES
        ]


# The services (create, renew, terminate, delete)


def run_service(action, agreement, user, parties):
    if action == "renew":
        return services.agreement_renew(agreement=agreement, by=user)
    if action == "terminate":
        return services.agreement_terminate(
            agreement=agreement, on=agreement.signed_on, reason="Programme closed", by=user
        )
    if action == "delete":
        return services.agreement_delete(agreement=agreement, by=user)
    return services.agreement_create(
        by=user,
        parties=[{"institution": institution} for institution in parties],
        reference=f"NEW-{agreement.visibility}",
        title="New memorandum",
        kind=Agreement.Kind.MOU,
        visibility=agreement.visibility,
    )


@pytest.mark.parametrize("action", ["create", "renew", "terminate", "delete"])
@pytest.mark.parametrize("role", ROLES)
def test_services_allow_or_refuse_and_log_as_the_table_says(
    agreements, user_of, home_university, partner_university, caplog, role, action
):
    user = user_of(role)
    caplog.set_level("WARNING", logger="alliance_portal.security")
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        caplog.clear()
        try:
            run_service(action, agreement, user, [home_university, partner_university])
        except PermissionDenied:
            assert [r.name for r in caplog.records] == ["alliance_portal.security"]
            refused = True
        else:
            refused = False
        existing = None if action == "create" else agreement
        answered[visibility, action] = write_outcome(user, existing, refused)
    assert answered == row(role, action)


def test_a_refused_service_writes_nothing(agreements, other_editor):
    agreement = agreements["public"]
    for action in ("renew", "terminate", "delete"):
        with pytest.raises(PermissionDenied):
            run_service(action, agreement, other_editor, [])
    agreement.refresh_from_db()
    assert agreement.terminated_on is None
    assert not agreement.is_renewed
    assert Agreement.objects.count() == 3


# The document download


@pytest.mark.parametrize("role", ROLES)
def test_document_downloads_answer_as_the_table_says(client, agreements, user_of, role):
    user = user_of(role)
    if user.is_authenticated:
        client.force_login(user)
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        response = client.get(reverse("agreement-document", args=[agreement.reference]))
        if response.status_code == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
            assert f'filename="memorandum-{visibility}.pdf"' in response["Content-Disposition"]
            answered[visibility, "download"] = SEE
        else:
            assert response.status_code == 404
            assert agreement.title.encode() not in response.content
            answered[visibility, "download"] = HIDE
    assert answered == row(role, "download")


# The admin: staff only, and staff may do everything the table gives them


def admin_url(action, *args):
    return reverse(f"admin:partnerships_agreement_{action}", args=args)


@pytest.mark.parametrize("role", NON_STAFF)
def test_admin_sends_every_non_staff_role_to_the_login_page(client, agreements, user_of, role):
    user = user_of(role)
    if user.is_authenticated:
        client.force_login(user)
    agreement = agreements["public"]
    for url in (
        admin_url("changelist"),
        admin_url("change", agreement.pk),
        admin_url("delete", agreement.pk),
        admin_url("history", agreement.pk),
        admin_url("deleted"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_admin_lists_counts_searches_and_opens_as_the_table_says(client, agreements, user_of, role):
    client.force_login(user_of(role))
    listed = client.get(admin_url("changelist")).context["cl"]
    found = client.get(admin_url("changelist"), {"q": "Harbin joint"}).context["cl"]
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        page = client.get(admin_url("change", agreement.pk))
        answered[visibility, "list"] = SEE if agreement in listed.result_list else HIDE
        answered[visibility, "search"] = SEE if agreement in found.result_list else HIDE
        answered[visibility, "detail"] = SEE if page.status_code == 200 else HIDE
        answered[visibility, "edit"] = DO if page.context["has_change_permission"] else DENY
    assert answered == row(role, "list", "search", "detail", "edit")
    assert listed.result_count == found.result_count == visible_count(role)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_admin_deletes_renews_and_terminates_as_the_table_says(client, agreements, user_of, role):
    client.force_login(user_of(role))
    answered = {}
    for visibility in VISIBILITIES:
        agreement = agreements[visibility]
        client.post(
            admin_url("changelist"),
            {"action": "renew_agreements", "_selected_action": [agreement.pk], "apply": 1},
        )
        client.post(
            admin_url("changelist"),
            {
                "action": "terminate_agreements",
                "_selected_action": [agreement.pk],
                "apply": 1,
                "on": "2024-01-31",
                "reason": "Merged into a framework agreement",
            },
        )
        agreement.refresh_from_db()
        renewal = agreement.renewal
        answered[visibility, "renew"] = DO if renewal else DENY
        answered[visibility, "terminate"] = DO if agreement.terminated_on else DENY
        client.post(admin_url("delete", renewal.pk), {"post": "yes"})
        deleted = not Agreement.objects.filter(pk=renewal.pk).exists()
        answered[visibility, "delete"] = DO if deleted else DENY
    assert answered == row(role, "renew", "terminate", "delete")


def test_the_table_exercises_every_outcome():
    reads = {expected(role, v, "detail") for role in ROLES for v in VISIBILITIES}
    writes = {expected(role, v, "edit") for role in ROLES for v in VISIBILITIES}
    assert reads == {SEE, HIDE}
    assert writes == {DO, DENY, HIDE, LOGIN}


def test_a_witness_sees_a_parties_only_agreement_but_may_not_edit_it(
    agreements, other_university, other_editor
):
    agreement = agreements["parties"]
    AgreementParty.objects.create(
        agreement=agreement, institution=other_university, role=AgreementParty.Role.WITNESS
    )
    assert permissions.can_view_agreement(other_editor, agreement)
    assert not permissions.can_edit_agreement(other_editor, agreement)
