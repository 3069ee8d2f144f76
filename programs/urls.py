from django.urls import path

from programs import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme-detail"),
    path("flows/", views.flow_dashboard, name="flow-dashboard"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
]
