from django.urls import path

from partnerships import views, views_access

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/profile/", views_access.profile, name="profile"),
    path(
        "agreements/<str:reference>/document/",
        views_access.agreement_document,
        name="agreement-document",
    ),
]
