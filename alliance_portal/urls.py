from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Alliance Portal"
admin.site.site_title = "Alliance Portal admin"
admin.site.index_title = "Registry"
# Wide changelists matter more than the sidebar to people who work in them all day.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("alliance_portal.api")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("imports/", include("partnerships.imports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("partnerships.urls")),
    path("", include("programs.urls")),
]
