"""The global search box: alliances, institutions, agreements, programmes and events."""

from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from partnerships.models import Agreement, Alliance, Event, Institution
from partnerships.views.common import search_words
from programs.models import Programme

SHOWN_PER_KIND = 10


@require_safe
def search(request):
    query = search_words(request)
    results = []
    if query:
        results = [
            (
                "alliances",
                Alliance.objects.filter(Q(name__icontains=query) | Q(acronym__icontains=query)),
            ),
            (
                "institutions",
                Institution.objects.filter(
                    Q(name__icontains=query)
                    | Q(short_name__icontains=query)
                    | Q(native_name__icontains=query)
                    | Q(city__icontains=query)
                ),
            ),
            ("agreements", Agreement.objects.visible_to(request.user).search(query).with_state()),
            (
                "programmes",
                Programme.objects.filter(
                    Q(name__icontains=query) | Q(description__icontains=query)
                ).select_related("lead"),
            ),
            ("events", Event.objects.filter(Q(name__icontains=query) | Q(city__icontains=query))),
        ]
        results = [
            (kind, list(queryset[: SHOWN_PER_KIND + 1]), full_list_url(kind, query))
            for kind, queryset in results
        ]
    return render(
        request,
        "search.html",
        {
            "query": query,
            "results": results,
            "shown": SHOWN_PER_KIND,
            "found": any(rows for _kind, rows, _url in results),
        },
    )


# Where "see all" leads, and the words parameter of that list.
FULL_LISTS = {
    "alliances": ("alliance-list", "search"),
    "institutions": ("institution-list", "search"),
    "agreements": ("agreement-list", "search"),
    "programmes": ("programme-list", "q"),
    "events": ("event-list", None),
}


def full_list_url(kind, query):
    name, parameter = FULL_LISTS[kind]
    url = reverse(name)
    return f"{url}?{urlencode({parameter: query})}" if parameter else url
