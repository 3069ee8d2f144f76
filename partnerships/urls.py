from django.urls import path

from partnerships import views_access
from partnerships.views import (
    agreements,
    alliances,
    events,
    home,
    institutions,
    memberships,
    search,
    terms,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", search.search, name="search"),
    path("accounts/profile/", views_access.profile, name="profile"),
    path("my-institution/", institutions.my_institution, name="my-institution"),
    path("alliances/", alliances.alliance_list, name="alliance-list"),
    path("alliances/<slug:slug>/", alliances.alliance_detail, name="alliance-detail"),
    path(
        "alliances/<slug:slug>/members/add/",
        memberships.membership_add,
        name="membership-add",
    ),
    path(
        "alliances/<slug:slug>/members/<int:pk>/edit/",
        memberships.membership_edit,
        name="membership-edit",
    ),
    path(
        "alliances/<slug:slug>/members/<int:pk>/end/",
        memberships.membership_end,
        name="membership-end",
    ),
    path("institutions/", institutions.institution_list, name="institution-list"),
    path(
        "institutions/<slug:slug>/",
        institutions.institution_detail,
        name="institution-detail",
    ),
    path("agreements/", agreements.agreement_list, name="agreement-list"),
    path("agreements/new/", agreements.agreement_create, name="agreement-create"),
    path(
        "agreements/<str:reference>/",
        agreements.agreement_detail,
        name="agreement-detail",
    ),
    path(
        "agreements/<str:reference>/edit/",
        agreements.agreement_edit,
        name="agreement-edit",
    ),
    path(
        "agreements/<str:reference>/renew/",
        agreements.agreement_renew,
        name="agreement-renew",
    ),
    path(
        "agreements/<str:reference>/document/",
        views_access.agreement_document,
        name="agreement-document",
    ),
    path(
        "agreements/<str:reference>/approve/",
        terms.agreement_approve_view,
        name="agreement-approve",
    ),
    path(
        "agreements/<str:reference>/versions/",
        terms.agreement_versions,
        name="agreement-versions",
    ),
    path(
        "agreements/<str:reference>/conditions/new/",
        terms.condition_edit,
        name="condition-add",
    ),
    path(
        "agreements/<str:reference>/conditions/<int:pk>/edit/",
        terms.condition_edit,
        name="condition-edit",
    ),
    path("institutions/<slug:slug>/units/new/", terms.unit_edit, name="unit-add"),
    path("institutions/<slug:slug>/units/<int:pk>/edit/", terms.unit_edit, name="unit-edit"),
    path("partners/", terms.partner_finder, name="partner-finder"),
    path("events/", events.event_list, name="event-list"),
    path("events/<slug:slug>/", events.event_detail, name="event-detail"),
]
