"""The REST API v1: one router for every resource (see docs/api.md)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter

from partnerships.api.changes import ChangeFeedViewSet
from partnerships.api.views import (
    AgreementViewSet,
    AllianceViewSet,
    ConditionViewSet,
    CountryGroupViewSet,
    EventViewSet,
    InstitutionViewSet,
    MembershipViewSet,
    UnitViewSet,
)
from partnerships.imports.api import ImportViewSet
from programs.api.views import CountryViewSet, ProgrammeViewSet, StudentFlowViewSet

router = DefaultRouter()
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("alliances", AllianceViewSet, basename="alliance")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("events", EventViewSet, basename="event")
router.register("country-groups", CountryGroupViewSet, basename="country-group")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("flows", StudentFlowViewSet, basename="flow")
router.register("countries", CountryViewSet, basename="country")
router.register("units", UnitViewSet, basename="unit")
router.register("conditions", ConditionViewSet, basename="condition")
router.register("changes", ChangeFeedViewSet, basename="change")
router.register("imports", ImportViewSet, basename="import")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/auth/token/", ObtainAuthToken.as_view(), name="api-token"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file, so the Content-Security-Policy holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
