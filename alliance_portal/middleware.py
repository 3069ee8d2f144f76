"""Request guards that apply to every door: pages, the admin and the API."""

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"
NUL_MESSAGE = "The address contains a NUL character, which no URL or parameter may hold."


def reject_nul_characters(get_response):
    """Refuse NUL characters in the path or query string with a 400.

    PostgreSQL cannot store or compare them, so one reaching a lookup or a search would
    be a 500; no address of the portal has a use for them.
    """

    def middleware(request):
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware
