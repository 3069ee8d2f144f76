"""Events: forums, education weeks and ceremonies, and what was signed there."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from partnerships.models import Agreement, Event
from partnerships.views.common import paginate, search_words


@require_safe
def event_list(request):
    signed_here = (
        Agreement.objects.visible_to(request.user)
        .filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    events = Event.objects.with_related().annotate(
        agreement_count=Coalesce(Subquery(signed_here), 0)
    )
    query = search_words(request)
    if query:
        events = events.filter(Q(name__icontains=query) | Q(city__icontains=query))
    return render(
        request,
        "partnerships/event_list.html",
        {"page_obj": paginate(request, events), "query": query},
    )


@require_safe
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.with_related(), slug=slug)
    agreements = (
        Agreement.objects.visible_to(request.user).filter(event=event).with_state().with_parties()
    )
    return render(
        request,
        "partnerships/event_detail.html",
        {"event": event, "agreements": agreements, "sessions": event.sessions.all()},
    )
