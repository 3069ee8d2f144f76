"""Every admin page renders for staff, with a bounded number of queries over 50+ rows."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from partnerships.models import (
    Affiliation,
    Agreement,
    Alliance,
    CountryGroup,
    Event,
    FieldOfStudy,
    Institution,
    Membership,
)
from programs.models import Programme, StudentFlow
from tests import factories

pytestmark = pytest.mark.django_db

ROWS = 55
MAX_QUERIES = 25


def many_agreements():
    institutions = factories.InstitutionFactory.create_batch(4)
    for index in range(ROWS):
        factories.agreement_between(institutions[index % 4], institutions[(index + 1) % 4])


def many_memberships():
    alliance = factories.AllianceFactory()
    factories.MembershipFactory.create_batch(ROWS, alliance=alliance)


def many_programmes():
    for programme in factories.ProgrammeFactory.create_batch(ROWS):
        factories.ProgrammePartnerFactory(programme=programme)


def many_flows():
    for year in range(ROWS):
        factories.StudentFlowFactory(academic_year=1960 + year)


def many_affiliations():
    factories.AffiliationFactory.create_batch(ROWS)


BUILDERS = {
    Institution: lambda: factories.InstitutionFactory.create_batch(ROWS),
    Alliance: lambda: [
        factories.MembershipFactory(alliance=alliance)
        for alliance in factories.AllianceFactory.create_batch(ROWS)
    ],
    Membership: many_memberships,
    Event: lambda: factories.EventFactory.create_batch(ROWS),
    Agreement: many_agreements,
    CountryGroup: lambda: factories.CountryGroupFactory.create_batch(ROWS),
    Affiliation: many_affiliations,
    Programme: many_programmes,
    StudentFlow: many_flows,
    FieldOfStudy: lambda: None,  # seeded by a migration: 120+ rows already
}

REGISTERED = [model for model in admin.site._registry if model in BUILDERS]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_registry_model_is_registered():
    assert set(BUILDERS) <= set(admin.site._registry)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_changelist_renders_many_rows_in_bounded_queries(
    admin_client, model, django_assert_max_num_queries
):
    BUILDERS[model]()
    assert model.objects.count() >= 50
    with django_assert_max_num_queries(MAX_QUERIES):
        response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    shown = response.context["cl"].result_list
    assert len(shown) == min(model.objects.count(), response.context["cl"].list_per_page)
    assert admin_url(model, "change", shown[0].pk) in response.content.decode()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_change_page_shows_the_record(admin_client, model, django_assert_max_num_queries):
    BUILDERS[model]()
    record = model.objects.first()
    with django_assert_max_num_queries(MAX_QUERIES):
        response = admin_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    assert response.context["original"] == record


@pytest.mark.parametrize(
    "model", [m for m in REGISTERED if m is not FieldOfStudy], ids=lambda model: model.__name__
)
def test_add_page_offers_an_empty_form(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == 200
    assert response.context["adminform"].form.instance.pk is None


def test_fields_of_study_are_read_only(admin_client):
    response = admin_client.get(admin_url(FieldOfStudy, "add"))
    assert response.status_code == 403


def test_agreement_changelist_filters_by_derived_state(admin_client):
    expired = factories.agreement_between(
        signed_on="2019-01-01", effective_from="2019-01-01", expires_on="2020-01-01"
    )
    active = factories.agreement_between(expires_on=None)
    response = admin_client.get(admin_url(Agreement, "changelist"), {"state": "expired"})
    assert list(response.context["cl"].result_list) == [expired]
    assert active.reference not in response.content.decode()


def test_agreement_needs_two_signing_parties_in_the_admin(admin_client):
    university = factories.InstitutionFactory()
    data = {
        "reference": "ONE-PARTY-1",
        "title": "One-sided memorandum",
        "kind": "mou",
        "visibility": "public",
        "notice_days": 180,
        **factories.NO_CONDITIONS_OR_APPROVALS,
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-0-institution": university.pk,
        "parties-0-role": "party",
    }
    response = admin_client.post(admin_url(Agreement, "add"), data)
    assert response.status_code == 200
    assert "at least two parties" in response.content.decode()
    assert not Agreement.objects.filter(reference="ONE-PARTY-1").exists()


def test_admin_is_closed_to_signed_in_non_staff(client, editor):
    client.force_login(editor)
    response = client.get(admin_url(Agreement, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_a_flow_is_linked_to_an_agreement_in_the_admin_with_an_autocomplete(admin_client):
    from programs.models import StudentFlow

    flow = factories.StudentFlowFactory()
    response = admin_client.get(admin_url(StudentFlow, "change", flow.pk))
    assert response.status_code == 200
    assert 'name="agreement"' in response.content.decode()
    assert "admin-autocomplete" in str(response.context["adminform"].form["agreement"])


def test_approvals_are_read_only_in_the_agreement_admin(admin_client, editor):
    from partnerships.approvals import agreement_approve

    home = editor.affiliations.get().institution
    agreement = factories.agreement_between(home, factories.InstitutionFactory())
    version = Agreement.objects.with_terms().get(pk=agreement.pk).version
    agreement_approve(agreement=agreement, version=version, by=editor)
    response = admin_client.get(admin_url(Agreement, "change", agreement.pk))
    html = response.content.decode()
    assert version in html
    assert 'name="approvals-0-version"' not in html  # shown, not editable
    assert "waiting for" in html


def test_a_conditions_language_and_levels_are_chosen_by_name_and_tick_in_the_admin(admin_client):
    agreement = factories.agreement_between()
    factories.ConditionFactory(agreement=agreement, language="lo", levels="67")
    response = admin_client.get(admin_url(Agreement, "change", agreement.pk))
    html = response.content.decode()
    assert '<option value="lo" selected>Lao (lo)</option>' in html
    assert '<option value="zh">Chinese (zh)</option>' in html
    ticked = re.findall(
        r'<input type="checkbox" name="conditions-0-levels" value="(\d)"[^>]*>', html
    )
    checked = re.findall(r'name="conditions-0-levels" value="(\d)"[^>]* checked>', html)
    assert (ticked, checked) == (["5", "6", "7", "8"], ["6", "7"])
