"""Programmes: the catalogue and one programme with its partners and students."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from partnerships.models import Agreement
from partnerships.views.common import paginate, search_words
from programs.models import Programme


@require_safe
def programme_list(request):
    programmes = Programme.objects.with_related()
    query = search_words(request)
    if query:
        programmes = programmes.filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(lead__name__icontains=query)
        )
    return render(
        request,
        "programs/programme_list.html",
        {"page_obj": paginate(request, programmes), "query": query},
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
