"""Institutions: the list, one institution, and "my institution" for signed-in offices."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from partnerships import permissions
from partnerships.filters import InstitutionFilter
from partnerships.models import Agreement, AgreementState, Institution
from partnerships.querysets import user_institution_ids
from partnerships.views.common import page_filters, paginate
from partnerships.views.labels import FILTER_LABELS
from programs.models import Programme, StudentFlow

EXPIRY_HORIZON_DAYS = 180


@require_safe
def institution_list(request):
    institutions = Institution.objects.with_counts().order_by("name")
    filters = page_filters(InstitutionFilter(request.GET, queryset=institutions), FILTER_LABELS)
    return render(
        request,
        "partnerships/institution_list.html",
        {"page_obj": paginate(request, filters.qs), "filter_form": filters.form},
    )


@require_safe
def institution_detail(request, slug):
    institution = get_object_or_404(
        Institution.objects.select_related("parent", "successor"), slug=slug
    )
    agreements = list(
        Agreement.objects.visible_to(request.user)
        .involving([institution.pk])
        .with_state()
        .with_parties()
    )
    by_state = [
        (value, label, [a for a in agreements if a.state == value])
        for value, label in AgreementState.choices
    ]
    context = {
        "institution": institution,
        "memberships": institution.memberships.select_related("alliance").order_by("-joined_on"),
        "agreement_count": len(agreements),
        "agreements_by_state": [group for group in by_state if group[2]],
        "programmes": Programme.objects.filter(Q(lead=institution) | Q(partners=institution))
        .select_related("lead")
        .distinct(),
        "students_by_year": students_by_year(institution),
        "children": institution.children.order_by("name"),
        "predecessors": institution.predecessors.order_by("name"),
        "units": institution.units.select_related("parent").order_by("name"),
        "may_edit_units": permissions.can_create_unit(request.user, institution.pk),
    }
    return render(request, "partnerships/institution_detail.html", context)


def students_by_year(institution):
    """[(year, students in, students out)] for the flows naming `institution`, newest first."""
    years = {}
    inbound = StudentFlow.objects.filter(destination_institution=institution).summary(
        "academic_year"
    )
    outbound = StudentFlow.objects.filter(origin_institution=institution).summary("academic_year")
    for row in inbound:
        years.setdefault(row["academic_year"], [0, 0])[0] = row["students"]
    for row in outbound:
        years.setdefault(row["academic_year"], [0, 0])[1] = row["students"]
    return [(year, *years[year]) for year in sorted(years, reverse=True)]


@login_required
@require_safe
def my_institution(request):
    """The institutions the user acts for: their agreements, what expires, their alliances."""
    user = request.user
    institutions = Institution.objects.filter(pk__in=user_institution_ids(user))
    agreements = (
        Agreement.objects.visible_to(user)
        .involving(user_institution_ids(user))
        .with_state()
        .with_parties()
    )
    context = {
        "institutions": institutions.prefetch_related("memberships__alliance"),
        "expiring": agreements.expiring_within(EXPIRY_HORIZON_DAYS).order_by("expires_on"),
        "horizon": EXPIRY_HORIZON_DAYS,
        "page_obj": paginate(request, agreements),
        "secretariats": user.affiliations.filter(alliance__isnull=False).select_related("alliance"),
    }
    return render(request, "partnerships/my_institution.html", context)
