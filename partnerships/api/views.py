"""API viewsets for institutions, alliances, memberships, events, country groups, agreements."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliance_portal.api_base import PermissionWriteMixin, ReadListMixin
from alliance_portal.api_csv import csv_response
from partnerships import exceptions, permissions, services
from partnerships.api.serializers import (
    LISTED_AGREEMENT_COLUMNS,
    AgreementSerializer,
    AgreementUpdateSerializer,
    AllianceSerializer,
    ApprovalStatusSerializer,
    ApproveSerializer,
    ConditionSerializer,
    CountryGroupSerializer,
    EventSerializer,
    InstitutionSerializer,
    MembershipSerializer,
    PlacesRowSerializer,
    RenewSerializer,
    TerminateSerializer,
    UnitSerializer,
    agreement_rows,
)
from partnerships.approvals import agreement_approve, approval_status
from partnerships.filters import (
    AgreementFilter,
    AllianceFilter,
    ConditionFilter,
    EventFilter,
    InstitutionFilter,
    MembershipFilter,
    UnitFilter,
)
from partnerships.models import (
    Agreement,
    AgreementCondition,
    Alliance,
    CountryGroup,
    Event,
    Institution,
    Membership,
    Unit,
)
from partnerships.models.conditions import FIRST_YEAR, LAST_YEAR
from partnerships.selectors import current_academic_year, places_table


class RegistryViewSet(ReadListMixin, PermissionWriteMixin, viewsets.ModelViewSet):
    """Read for everyone, write as the permission module allows."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]


class InstitutionViewSet(RegistryViewSet):
    queryset = Institution.objects.prefetch_related(
        Prefetch("children", queryset=Institution.objects.only("id", "parent_id")),
        Prefetch("predecessors", queryset=Institution.objects.only("id", "successor_id")),
    )
    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilter
    ordering_fields = ["name", "country", "kind", "founded_year", "updated"]

    def may_create(self, user, data):
        return permissions.can_create_institution(user)

    def may_edit(self, user, institution):
        return permissions.can_edit_institution(user, institution)

    def may_delete(self, user, institution):
        return permissions.can_delete_institution(user, institution)


class AllianceViewSet(RegistryViewSet):
    queryset = Alliance.objects.with_member_counts()
    serializer_class = AllianceSerializer
    filterset_class = AllianceFilter
    ordering_fields = ["name", "founded_on", "member_count", "updated"]

    def may_create(self, user, data):
        if self.action == "create":
            return permissions.can_create_alliance(user)
        return True  # an edit is checked against the alliance itself

    def may_edit(self, user, alliance):
        return permissions.can_edit_alliance(user, alliance)

    def may_delete(self, user, alliance):
        return permissions.can_delete_alliance(user, alliance)


class MembershipViewSet(RegistryViewSet):
    queryset = Membership.objects.with_related()
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["joined_on", "left_on", "role", "updated"]

    def may_create(self, user, data):
        return permissions.can_add_membership(user, data["alliance"])

    def may_edit(self, user, membership):
        return permissions.can_edit_membership(user, membership)

    def may_delete(self, user, membership):
        return permissions.can_delete_membership(user, membership)


class EventViewSet(RegistryViewSet):
    queryset = Event.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["starts_on", "name", "updated"]

    def may_create(self, user, data):
        return permissions.can_create_event(user, data.get("alliance"))

    def may_edit(self, user, event):
        return permissions.can_edit_event(user, event)

    def may_delete(self, user, event):
        return permissions.can_delete_event(user, event)


class CountryGroupViewSet(RegistryViewSet):
    queryset = CountryGroup.objects.all()
    serializer_class = CountryGroupSerializer
    ordering_fields = ["name", "updated"]

    def may_create(self, user, data):
        return permissions.can_edit_country_group(user)

    def may_edit(self, user, group):
        return permissions.can_edit_country_group(user, group)


class AgreementViewSet(ReadListMixin, viewsets.ModelViewSet):
    """Agreements the user may see (a hidden one is a 404); writes through the services."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    ordering_fields = ["reference", "title", "kind", "signed_on", "expires_on", "updated"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        visible = Agreement.objects.visible_to(self.request.user)
        if self.action in ("places", "approve", "renew", "terminate"):
            return visible
        if self.action == "list" and not self.wants_export():
            # A page is built by `agreement_rows`, which reads the related rows itself.
            return visible.with_state()
        return self._described(visible)

    def list(self, request, *args, **kwargs):
        if self.wants_export():
            return super().list(request, *args, **kwargs)
        agreements = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(agreements.values_list(*LISTED_AGREEMENT_COLUMNS, named=True))
        return self.get_paginated_response(agreement_rows(page, request))

    @staticmethod
    def _described(agreements):
        return agreements.with_state().with_terms().prefetch_related("subject_areas")

    def allowed_query_parameters(self):
        allowed = super().allowed_query_parameters()
        return allowed | {"year"} if self.action == "places" else allowed

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                int,
                description=_("Academic year (2026 for 2026/27); default: the current."),
            )
        ],
        responses=PlacesRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def places(self, request, pk=None):
        """Places per condition in a year: places, used (linked flows) and left."""
        agreement = self.get_object()
        year = self._year(request.query_params.get("year"))
        rows = PlacesRowSerializer(places_table(agreement, year), many=True).data
        if self.wants_export():
            return csv_response(iter(rows), filename=f"{agreement.reference}-places-{year}")
        return Response({"agreement": agreement.pk, "year": year, "results": rows})

    @staticmethod
    def _year(raw):
        if raw in (None, ""):
            return current_academic_year()
        try:
            year = int(raw)
        except ValueError:
            year = None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(
                {"year": [_("Give an academic year from 1950 to 2100, e.g. 2026 for 2026/27.")]}
            )
        return year

    @extend_schema(
        request=ApproveSerializer,
        responses={200: ApprovalStatusSerializer, 403: None, 404: None, 409: None},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def approve(self, request, pk=None):
        """Approve the version you read for the parties you edit; 409 when it is stale."""
        agreement = self.get_object()
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            agreement_approve(
                agreement=agreement, version=serializer.validated_data["version"], by=request.user
            )
        except exceptions.StaleVersion as stale:
            return Response(
                {
                    "detail": str(stale.message),
                    "code": stale.code,
                    "current_version": stale.current_version,
                },
                status=status.HTTP_409_CONFLICT,
            )
        status_now = approval_status(Agreement.objects.with_terms().get(pk=agreement.pk))
        return Response(ApprovalStatusSerializer(status_now).data)

    @extend_schema(
        request=RenewSerializer,
        responses={201: AgreementSerializer, 400: None, 403: None, 404: None},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def renew(self, request, pk=None):
        """Log the agreement that renews this one: same terms, parties and subject areas."""
        agreement = self.get_object()
        permissions.ensure(
            permissions.can_renew_agreement(request.user, agreement),
            user=request.user,
            action="renew this agreement",
            target=agreement.reference,
        )
        serializer = RenewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        renewal = services.agreement_renew(
            agreement=agreement, by=request.user, **serializer.validated_data
        )
        return Response(self._shown(renewal), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TerminateSerializer,
        responses={200: AgreementSerializer, 400: None, 403: None, 404: None},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def terminate(self, request, pk=None):
        """End this signed agreement on a date, for a reason."""
        agreement = self.get_object()
        permissions.ensure(
            permissions.can_terminate_agreement(request.user, agreement),
            user=request.user,
            action="terminate this agreement",
            target=agreement.reference,
        )
        serializer = TerminateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = serializer.validated_data
        services.agreement_terminate(
            agreement=agreement,
            on=fields["terminated_on"],
            reason=fields["termination_reason"],
            by=request.user,
        )
        return Response(self._shown(agreement))

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return AgreementUpdateSerializer
        return AgreementSerializer

    def create(self, request, *args, **kwargs):
        user = request.user
        permissions.ensure(
            permissions.can_create_agreement(user),
            user=user,
            action="log agreements",
            target="agreements",
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        agreement = services.agreement_create(
            by=user,
            parties=fields.pop("parties"),
            subject_areas=fields.pop("subject_areas", []),
            **fields,
        )
        return Response(self._shown(agreement), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        agreement = self.get_object()
        permissions.ensure(
            permissions.can_edit_agreement(request.user, agreement),
            user=request.user,
            action="edit this agreement",
            target=agreement.reference,
        )
        serializer = self.get_serializer(agreement, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        services.agreement_update(
            agreement=agreement,
            by=request.user,
            subject_areas=fields.pop("subject_areas", None),
            parties=fields.pop("parties", None),
            **fields,
        )
        return Response(self._shown(agreement))

    def perform_destroy(self, agreement):
        services.agreement_delete(agreement=agreement, by=self.request.user)

    def _shown(self, agreement):
        visible = Agreement.objects.visible_to(self.request.user)
        fresh = self._described(visible).get(pk=agreement.pk)
        return AgreementSerializer(fresh, context=self.get_serializer_context()).data


class UnitViewSet(RegistryViewSet):
    queryset = Unit.objects.select_related("institution")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    ordering_fields = ["name", "kind", "updated"]

    def may_create(self, user, data):
        return permissions.can_create_unit(user, data["institution"].pk)

    def may_edit(self, user, unit):
        return permissions.can_edit_unit(user, unit)

    def may_delete(self, user, unit):
        return permissions.can_delete_unit(user, unit)


class ConditionViewSet(RegistryViewSet):
    """Conditions of the agreements the user may see; edited by whoever edits the agreement."""

    serializer_class = ConditionSerializer
    filterset_class = ConditionFilter
    ordering_fields = ["first_academic_year", "places", "mobility_type", "updated"]

    def get_queryset(self):
        visible = Agreement.objects.visible_to(self.request.user)
        return AgreementCondition.objects.filter(agreement__in=visible).with_related()

    def may_create(self, user, data):
        return permissions.can_edit_conditions(user, data["agreement"])

    def may_edit(self, user, condition):
        return permissions.can_edit_conditions(user, condition.agreement)

    def may_delete(self, user, condition):
        return permissions.can_edit_conditions(user, condition.agreement)
