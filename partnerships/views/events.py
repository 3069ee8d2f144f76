"""Events: forums, education weeks and ceremonies, and what was signed there."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from partnerships.filters import EventFilter
from partnerships.models import Agreement, Event
from partnerships.views.common import page_filters, paginate
from partnerships.views.labels import FILTER_LABELS


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
    filters = page_filters(EventFilter(request.GET, queryset=events), FILTER_LABELS)
    return render(
        request,
        "partnerships/event_list.html",
        {"page_obj": paginate(request, filters.qs), "filter_form": filters.form},
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
