from django.urls import path

from partnerships.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
]
