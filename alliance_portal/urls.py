from django.contrib import admin
from django.urls import include, path

from partnerships import views

admin.site.site_header = "Alliance Portal"
admin.site.site_title = "Alliance Portal admin"
admin.site.index_title = "Registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
