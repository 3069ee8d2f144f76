from django.urls import path

from partnerships import views

urlpatterns = [
    path("", views.home, name="home"),
]
