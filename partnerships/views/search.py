"""The global search box: alliances, institutions, agreements, programmes and events."""

from django.db.models import Q
from django.shortcuts import render
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
        results = [(kind, list(queryset[: SHOWN_PER_KIND + 1])) for kind, queryset in results]
    return render(
        request,
        "search.html",
        {
            "query": query,
            "results": results,
            "shown": SHOWN_PER_KIND,
            "found": any(rows for _kind, rows in results),
        },
    )
