"""The admin asks the permission module for every model: staff (not only superusers) may do
everything there, and each record goes through its named predicate."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from partnerships import permissions
from partnerships.admin import RegistryPermissions
from partnerships.models import Affiliation, Agreement, ExpiryReminder, FieldOfStudy
from tests import factories

pytestmark = pytest.mark.django_db

REGISTRY_APPS = {"partnerships", "programs"}
REGISTRY_ADMINS = [
    model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in REGISTRY_APPS
]


def every_permission_class():
    for model_admin in REGISTRY_ADMINS:
        yield model_admin
        yield from model_admin.inlines


@pytest.mark.parametrize("model_admin", REGISTRY_ADMINS, ids=lambda a: a.model.__name__)
def test_every_registry_admin_asks_the_permission_module(model_admin):
    assert isinstance(model_admin, RegistryPermissions)
    for inline in model_admin.inlines:
        assert issubclass(inline, RegistryPermissions), inline


def test_every_named_predicate_exists():
    for admin_class in every_permission_class():
        for name in ("view_predicate", "change_predicate", "delete_predicate"):
            predicate = getattr(admin_class, name)
            assert predicate is None or callable(getattr(permissions, predicate)), predicate


@pytest.mark.parametrize(
    "model_admin",
    [a for a in REGISTRY_ADMINS if a.model not in (FieldOfStudy, ExpiryReminder)],
    ids=lambda a: a.model.__name__,
)
def test_staff_who_are_not_superusers_may_do_everything(model_admin, staff):
    request = RequestFactory().get("/admin/")
    request.user = staff
    assert not staff.is_superuser
    assert model_admin.has_module_permission(request)
    assert model_admin.has_view_permission(request)
    assert model_admin.has_add_permission(request)
    assert model_admin.has_change_permission(request)
    assert model_admin.has_delete_permission(request)


def test_the_admin_asks_the_predicate_for_each_record(client, staff, monkeypatch):
    agreement = factories.agreement_between()
    asked = []

    def refuse(user, record):
        asked.append((user, record))
        return False

    monkeypatch.setattr(permissions, "can_edit_agreement", refuse)
    client.force_login(staff)
    response = client.get(reverse("admin:partnerships_agreement_change", args=[agreement.pk]))
    assert response.context["has_change_permission"] is False
    assert (staff, agreement) in asked


def test_expiry_reminders_are_read_only_in_the_admin(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:partnerships_expiryreminder_add")).status_code == 403
    assert client.get(reverse("admin:partnerships_expiryreminder_changelist")).status_code == 200


def test_staff_affiliate_a_user_and_the_history_names_them(client, staff, home_university):
    office = factories.UserFactory(username="office")
    client.force_login(staff)
    response = client.post(
        reverse("admin:partnerships_affiliation_add"),
        {"user": office.pk, "institution": home_university.pk, "role": "editor"},
    )
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(user=office)
    assert permissions.is_editor_of(office, home_university.pk)
    assert affiliation.history.get().history_user == staff


def test_staff_may_look_users_up_but_not_change_accounts(client, staff, editor):
    client.force_login(staff)
    User = get_user_model()
    changelist = client.get(reverse("admin:auth_user_changelist"))
    assert changelist.status_code == 200
    assert "Xi&#x27;an Jiaotong University (Editor (international office))" in (
        changelist.content.decode()
    )
    response = client.post(
        reverse("admin:auth_user_change", args=[editor.pk]),
        {"username": "editor", "is_superuser": "on", "is_staff": "on"},
    )
    assert response.status_code == 403
    assert not User.objects.get(pk=editor.pk).is_superuser


def test_a_superuser_sees_a_users_affiliations_on_the_account_page(admin_client, editor):
    page = admin_client.get(reverse("admin:auth_user_change", args=[editor.pk]))
    [inline] = [f for f in page.context["inline_admin_formsets"] if f.opts.model is Affiliation]
    names = [form.original.institution.name for form in inline if form.original]
    assert names == ["Xi'an Jiaotong University"]


def test_the_agreement_admin_lists_with_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    for _index in range(30):
        agreement = factories.agreement_between()
        factories.AgreementFactory(renews=agreement, signed_on=None)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin:partnerships_agreement_changelist"))
    assert response.context["cl"].result_count == Agreement.objects.count() == 60
