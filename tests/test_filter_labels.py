"""Every filter a page or the API offers has a translated label for the pages' forms."""

import django_filters
import pytest
from django.utils.functional import Promise
from django.utils.translation import override

import partnerships.filters
import partnerships.forms
import programs.filters
from partnerships.views.labels import FILTER_LABELS

MODULES = {
    module.__name__ for module in (partnerships.filters, partnerships.forms, programs.filters)
}


def project_filtersets(cls=django_filters.FilterSet):
    for subclass in cls.__subclasses__():
        if subclass.__module__ in MODULES:
            yield subclass
        yield from project_filtersets(subclass)


FILTERSETS = sorted(set(project_filtersets()), key=lambda filterset: filterset.__name__)


def test_the_filtersets_of_the_pages_and_the_api_are_all_found():
    names = {filterset.__name__ for filterset in FILTERSETS}
    assert {"AgreementFilter", "StudentFlowFilter", "AllianceMemberFilter"} <= names


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda filterset: filterset.__name__)
def test_every_filter_has_a_translatable_label(filterset):
    unlabelled = [
        name
        for name, declared in filterset.base_filters.items()
        if name not in FILTER_LABELS and not isinstance(declared.label, Promise)
    ]
    assert unlabelled == []


@pytest.mark.django_db
def test_the_flows_page_labels_its_agreement_filter_in_the_visitors_language(client):
    with override("ru"):
        expected = str(FILTER_LABELS["agreement"])
    page = client.get("/flows/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert expected != "Agreement"
    assert f'for="id_agreement">{expected}' in page


@pytest.mark.django_db
def test_the_alliance_members_form_labels_every_field(alliance):
    form = partnerships.forms.AllianceMemberFilter({}, queryset=alliance.memberships.all()).form
    assert all(isinstance(field.label, Promise) for field in form.fields.values())
