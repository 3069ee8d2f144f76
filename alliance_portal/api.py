"""The REST API v1: one router for every resource (see docs/api.md)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = []
