"""API viewsets for institutions, alliances, memberships, events, country groups, agreements."""

from rest_framework import status, viewsets
from rest_framework.response import Response

from alliance_portal.api_base import PermissionWriteMixin, ReadListMixin
from partnerships import permissions, services
from partnerships.api.serializers import (
    AgreementSerializer,
    AgreementUpdateSerializer,
    AllianceSerializer,
    CountryGroupSerializer,
    EventSerializer,
    InstitutionSerializer,
    MembershipSerializer,
)
from partnerships.filters import (
    AgreementFilter,
    AllianceFilter,
    EventFilter,
    InstitutionFilter,
    MembershipFilter,
)
from partnerships.models import Agreement, Alliance, CountryGroup, Event, Institution, Membership


class RegistryViewSet(ReadListMixin, PermissionWriteMixin, viewsets.ModelViewSet):
    """Read for everyone, write as the permission module allows."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]


class InstitutionViewSet(RegistryViewSet):
    queryset = Institution.objects.all()
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
        return (
            Agreement.objects.visible_to(self.request.user)
            .with_state()
            .with_parties()
            .prefetch_related("subject_areas")
        )

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
        fresh = self.get_queryset().get(pk=agreement.pk)
        return AgreementSerializer(fresh, context=self.get_serializer_context()).data
