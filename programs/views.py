"""Programmes: the catalogue and one programme with its partners and students."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from partnerships.models import Agreement
from partnerships.views.common import page_filters, paginate, search_words
from partnerships.views.labels import FILTER_LABELS
from programs.filters import ProgrammeFilter
from programs.models import Programme


@require_safe
def programme_list(request):
    programmes = Programme.objects.with_related()
    # The shared filters have no words filter; the catalogue adds one (`q`).
    query = search_words(request)
    for word in query.split():
        programmes = programmes.filter(
            Q(name__icontains=word) | Q(description__icontains=word) | Q(lead__name__icontains=word)
        )
    filters = page_filters(ProgrammeFilter(request.GET, queryset=programmes), FILTER_LABELS)
    return render(
        request,
        "programs/programme_list.html",
        {"page_obj": paginate(request, filters.qs), "filter_form": filters.form, "query": query},
    )


@require_safe
def programme_detail(request, slug):
    programme = get_object_or_404(Programme.objects.with_related(), slug=slug)
    agreement = None
    if programme.agreement_id:
        agreement = (
            Agreement.objects.visible_to(request.user).filter(pk=programme.agreement_id).first()
        )
    context = {
        "programme": programme,
        "agreement": agreement,
        "students_by_year": programme.flows.summary("academic_year").order_by("-academic_year"),
    }
    return render(request, "programs/programme_detail.html", context)
