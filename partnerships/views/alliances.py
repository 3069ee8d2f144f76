"""Alliances: the list, and one alliance with its members, timeline, events and agreements."""

from collections import Counter

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from partnerships import permissions
from partnerships.filters import AllianceFilter
from partnerships.forms import AllianceMemberFilter
from partnerships.models import Agreement, Alliance
from partnerships.views.common import page_filters, paginate
from partnerships.views.labels import FILTER_LABELS

MEMBERS_PER_PAGE = 50
# The chart names this many countries; the rest share one bar.
CHART_COUNTRIES = 12


@require_safe
def alliance_list(request):
    alliances = (
        Alliance.objects.with_member_counts().select_related("headquarters").order_by("name")
    )
    filters = page_filters(AllianceFilter(request.GET, queryset=alliances), FILTER_LABELS)
    return render(
        request,
        "partnerships/alliance_list.html",
        {"page_obj": paginate(request, filters.qs), "filter_form": filters.form},
    )


@require_safe
def alliance_detail(request, slug):
    alliance = get_object_or_404(Alliance.objects.select_related("headquarters"), slug=slug)
    memberships = list(alliance.memberships.select_related("institution"))
    today = timezone.localdate()
    current = [m for m in memberships if m.joined_on <= today and m.is_active]
    members_per_country = Counter(m.institution.country.code for m in current).most_common()
    country_count = len(members_per_country)
    if len(members_per_country) > CHART_COUNTRIES:
        others = sum(count for _code, count in members_per_country[CHART_COUNTRIES - 1 :])
        members_per_country = [*members_per_country[: CHART_COUNTRIES - 1], ("", others)]

    members = AllianceMemberFilter(
        request.GET, queryset=alliance.memberships.select_related("institution")
    )
    agreements = (
        Agreement.objects.visible_to(request.user)
        .filter(alliance=alliance)
        .with_state()
        .with_parties()
    )
    context = {
        "alliance": alliance,
        "form": members.form,
        "members_page": paginate(
            request,
            members.qs.order_by(*members.qs.query.order_by, "institution__name"),
            MEMBERS_PER_PAGE,
        ),
        "current_count": len(current),
        "members_per_country": members_per_country,
        "country_count": country_count,
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
