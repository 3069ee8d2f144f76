"""The portal's URLs plus the trivial view every served figure is compared with."""

from django.http import HttpResponse
from django.urls import path

from alliance_portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    """The least a Django view can do: the floor of a request through the same middleware."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *portal_urlpatterns]
