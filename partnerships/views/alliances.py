"""Alliances: the list, and one alliance with its members, timeline, events and agreements."""

from collections import Counter

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from partnerships import permissions
from partnerships.forms import MemberFilterForm
from partnerships.models import Agreement, Alliance
from partnerships.views.common import paginate, search_words

MEMBERS_PER_PAGE = 50


@require_safe
def alliance_list(request):
    alliances = (
        Alliance.objects.with_member_counts().select_related("headquarters").order_by("name")
    )
    query = search_words(request)
    if query:
        alliances = alliances.filter(
            Q(name__icontains=query) | Q(acronym__icontains=query) | Q(description__icontains=query)
        )
    return render(
        request,
        "partnerships/alliance_list.html",
        {"page_obj": paginate(request, alliances), "query": query},
    )


@require_safe
def alliance_detail(request, slug):
    alliance = get_object_or_404(Alliance.objects.select_related("headquarters"), slug=slug)
    memberships = list(alliance.memberships.select_related("institution"))
    today = timezone.localdate()
    current = [m for m in memberships if m.joined_on <= today and m.is_active]
    members_per_country = Counter(m.institution.country.code for m in current).most_common()

    form = MemberFilterForm(request.GET or None)
    members = form.filter(alliance.memberships.select_related("institution"), today=today)
    agreements = (
        Agreement.objects.visible_to(request.user)
        .filter(alliance=alliance)
        .with_state()
        .with_parties()
    )
    context = {
        "alliance": alliance,
        "form": form,
        "members_page": paginate(request, members, MEMBERS_PER_PAGE),
        "current_count": len(current),
        "members_per_country": members_per_country,
        "largest_country_count": members_per_country[0][1] if members_per_country else 0,
        "timeline": membership_timeline(memberships),
        "events": alliance.events.select_related("host").order_by("-starts_on"),
        "agreements": agreements[:20],
        "agreement_count": agreements.count(),
        "may_manage_members": permissions.can_add_membership(request.user, alliance),
    }
    return render(request, "partnerships/alliance_detail.html", context)


def membership_timeline(memberships):
    """Joins and departures, newest first: (date, "joined" or "left", membership)."""
    entries = [(m.joined_on, "joined", m) for m in memberships]
    entries += [(m.left_on, "left", m) for m in memberships if m.left_on]
    return sorted(entries, key=lambda entry: (entry[0], entry[1]), reverse=True)
