"""API viewsets for programmes, student flows (with their aggregates) and countries."""

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance_portal.api_base import (
    ApiViewMixin,
    FilterBackend,
    FlowCursorPagination,
    PageNumberPaginationStrict,
)
from alliance_portal.api_formats import requested_export_format
from partnerships import permissions
from partnerships.api.views import RegistryViewSet
from partnerships.models import Agreement
from programs.api.serializers import (
    CountryProfileSerializer,
    FlowBalanceQuerySerializer,
    FlowBalanceRowSerializer,
    FlowSummaryQuerySerializer,
    FlowSummaryRowSerializer,
    ProgrammeSerializer,
    StudentFlowSerializer,
)
from programs.filters import ProgrammeFilter, StudentFlowFilter
from programs.models import Programme, StudentFlow
from programs.selectors import (
    country_profile,
    country_profiles,
    flow_balance,
    flow_summary,
    flow_summary_columns,
)


def _institution_id(value):
    return getattr(value, "pk", value)


class ProgrammeViewSet(RegistryViewSet):
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    ordering_fields = ["name", "kind", "level", "starts_on", "updated"]

    def get_queryset(self):
        # The founding agreement is named only to those who may see it.
        visible = Agreement.objects.visible_to(self.request.user).filter(pk=OuterRef("agreement"))
        return Programme.objects.with_related().annotate(agreement_visible=Exists(visible))

    def may_create(self, user, data):
        return permissions.can_create_programme(user, _institution_id(data.get("lead")))

    def may_edit(self, user, programme):
        return permissions.can_edit_programme(user, programme)

    def may_delete(self, user, programme):
        return permissions.can_delete_programme(user, programme)


class StudentFlowViewSet(RegistryViewSet):
    """Aggregated counts of students; `summary` and `balance` take the same filters."""

    serializer_class = StudentFlowSerializer
    filterset_class = StudentFlowFilter
    pagination_class = FlowCursorPagination
    ordering_fields = ["academic_year", "students", "origin_country", "destination_country"]

    def get_queryset(self):
        # A linked agreement is named only to those who may see it.
        visible = Agreement.objects.visible_to(self.request.user).filter(pk=OuterRef("agreement"))
        return StudentFlow.objects.annotate(
            visible_agreement_reference=Subquery(visible.values("reference")[:1])
        )

    def filtered_actions(self):
        return ("summary", "balance")

    @property
    def extra_query_parameters(self):
        return {"summary": ("group_by",), "balance": ("country",)}.get(self.action, ())

    def may_create(self, user, data):
        return permissions.can_create_flow(
            user,
            _institution_id(data.get("origin_institution")),
            _institution_id(data.get("destination_institution")),
        )

    def may_edit(self, user, flow):
        return permissions.can_edit_flow(user, flow)

    def may_delete(self, user, flow):
        return permissions.can_delete_flow(user, flow)

    def _filtered_flows(self):
        return self.filter_queryset(self.get_queryset())

    @extend_schema(
        parameters=[FlowSummaryQuerySerializer],
        responses=FlowSummaryRowSerializer(many=True),
        description="Sum of students per group, with every flow filter; one SQL GROUP BY.",
    )
    @action(detail=False, pagination_class=None, filter_backends=[FilterBackend])
    def summary(self, request):
        query = FlowSummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        group_by = query.validated_data.get("group_by", "")
        rows = flow_summary(self._filtered_flows(), group_by)
        if self.wants_export():
            columns = flow_summary_columns(group_by)
            return self.export_response(rows, filename="flow-summary", columns=columns)
        return Response(rows)

    @extend_schema(
        parameters=[FlowBalanceQuerySerializer],
        responses=FlowBalanceRowSerializer(many=True),
        description="Per partner country: students in, out and the balance index.",
    )
    @action(detail=False, pagination_class=None, filter_backends=[FilterBackend])
    def balance(self, request):
        country = request.query_params.get("country", "").strip().upper()
        query = FlowBalanceQuerySerializer(data={"country": country})
        query.is_valid(raise_exception=True)
        rows = flow_balance(self._filtered_flows(), query.validated_data["country"])
        if self.wants_export():
            columns = list(FlowBalanceRowSerializer().fields)
            return self.export_response(rows, filename=f"flow-balance-{country}", columns=columns)
        return Response(rows)


class CountryViewSet(ApiViewMixin, viewsets.ViewSet):
    """Per country: institutions, alliances, agreements, programmes, mechanisms, students."""

    pagination_class = PageNumberPaginationStrict
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    @extend_schema(responses=CountryProfileSerializer(many=True))
    def list(self, request):
        profiles = country_profiles(request.user)
        if self.wants_export():
            return self.export_response(profiles, filename="countries")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(profiles, request, view=self)
        return paginator.get_paginated_response(CountryProfileSerializer(page, many=True).data)

    @extend_schema(
        responses=CountryProfileSerializer,
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
    )
    def retrieve(self, request, code=None):
        profile = country_profile(code, request.user)
        if profile is None:
            raise Http404("No country with records matches this code.")
        # One record: format=json is the record itself, the other formats a one-row file.
        if requested_export_format(request) not in (None, "json"):
            return self.export_response([profile], filename=f"country-{profile['code']}")
        return Response(CountryProfileSerializer(profile).data)
