"""`FilterBackend` builds no filter form when no query parameter names a filter (the list is
then what every filter would leave it); with one, the filters run and check it as before."""

import pytest
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from alliance_portal.api import router
from alliance_portal.api_base import FilterBackend
from programs.api.views import StudentFlowViewSet

pytestmark = pytest.mark.django_db

FILTERED_VIEWSETS = [
    viewset
    for _prefix, viewset, _basename in router.registry
    if getattr(viewset, "filterset_class", None) is not None
]


def list_view(viewset, params, action="list"):
    request = Request(APIRequestFactory().get("/", params))
    view = viewset(request=request, action=action, format_kwarg=None, kwargs={})
    return request, view


@pytest.mark.parametrize("viewset", FILTERED_VIEWSETS, ids=lambda viewset: viewset.__name__)
def test_without_filter_parameters_the_list_is_what_the_filters_would_leave(viewset):
    request, view = list_view(viewset, {"page_size": "10", "format": "json"})
    queryset = view.get_queryset()

    skipped = FilterBackend().filter_queryset(request, queryset, view)

    assert skipped is queryset
    filtered = DjangoFilterBackend().filter_queryset(request, queryset, view)
    assert str(skipped.query) == str(filtered.query)


def test_a_filter_parameter_runs_the_filters():
    request, view = list_view(StudentFlowViewSet, {"academic_year": "2024"})
    queryset = view.get_queryset()

    filtered = FilterBackend().filter_queryset(request, queryset, view)

    assert str(filtered.query) != str(queryset.query)
    assert "2024" in str(filtered.query)


def test_a_bad_filter_value_is_still_refused():
    request, view = list_view(StudentFlowViewSet, {"academic_year": "soon"})

    with pytest.raises(ValidationError) as refused:
        FilterBackend().filter_queryset(request, view.get_queryset(), view)

    assert "academic_year" in refused.value.detail
