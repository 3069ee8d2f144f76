"""The account page: who you are and what you act for. And bad input: guesses of hidden
references are answered exactly like references that do not exist."""

import pytest
from django.urls import reverse

from partnerships.models import Affiliation
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_account_page_lists_the_users_affiliations(client, editor, alliance):
    Affiliation.objects.create(user=editor, alliance=alliance, role=Affiliation.Role.SECRETARIAT)
    client.force_login(editor)
    response = client.get(reverse("profile"))
    rows = [(a.institution or a.alliance, a.role) for a in response.context["affiliations"]]
    assert sorted(rows, key=str) == sorted(
        [(editor.affiliations.get(role="editor").institution, "editor"), (alliance, "secretariat")],
        key=str,
    )
    page = response.content.decode()
    assert "Xi&#x27;an Jiaotong University" in page
    assert "University Alliance of the New Silk Road" in page
    assert "Alliance secretariat" in page


def test_the_account_page_shows_only_the_users_own_affiliations(client, viewer, other_editor):
    client.force_login(viewer)
    page = client.get(reverse("profile")).content.decode()
    assert "Viewer" in page
    assert "Tomsk" not in page


def test_a_user_without_affiliations_is_told_they_see_public_records(client, outsider):
    client.force_login(outsider)
    assert "you see public records only" in client.get(reverse("profile")).content.decode()


def test_the_account_page_needs_a_sign_in(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_account_page_takes_a_fixed_number_of_queries(
    client, editor, django_assert_max_num_queries
):
    for _index in range(20):
        factories.AffiliationFactory(user=editor)
    client.force_login(editor)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("profile"))
    assert len(response.context["affiliations"]) == 21


@pytest.mark.parametrize("role", ["anonymous", "outsider", "other_editor", "other_secretariat"])
def test_guessing_hidden_references_is_answered_like_a_missing_one(
    client, agreement_of_each_visibility, request, role
):
    user = request.getfixturevalue(role)
    if user.is_authenticated:
        client.force_login(user)
    for reference in ("XJTU-HIT-MEMBERS", "XJTU-HIT-PARTIES"):
        hidden = client.get(reverse("agreement-document", args=[reference]))
        missing = client.get(reverse("agreement-document", args=[reference + "-X"]))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.content == missing.content
