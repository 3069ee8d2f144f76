"""Alliances: the list, and one alliance with its members, timeline, events and agreements."""

from django.db.models import Count, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from alliance_portal.api_csv import csv_response
from partnerships import permissions
from partnerships.filters import AllianceFilter
from partnerships.forms import AllianceMemberFilter
from partnerships.models import Agreement, Alliance
from partnerships.views.common import page_filters, paginate
from partnerships.views.labels import FILTER_LABELS

MEMBERS_PER_PAGE = 50
# The chart names this many countries; the rest share one bar.
CHART_COUNTRIES = 12
# Joins and departures the page lists; the members CSV holds every date.
TIMELINE_ENTRIES = 20


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


MEMBER_CSV_COLUMNS = ["institution", "slug", "country", "kind", "role", "joined_on", "left_on"]
# What the members table and CSV read (and the alliance, which the related manager sets on
# each row): PostgreSQL sorts the joined rows by name, the fewer columns the cheaper.
MEMBER_COLUMNS = [
    "alliance",
    "role",
    "joined_on",
    "left_on",
    "institution__name",
    "institution__slug",
    "institution__country",
    "institution__kind",
]


@require_safe
def alliance_detail(request, slug):
    """One alliance: facts, members (filtered, a page at a time, or every row as CSV with
    `?format=csv`), members per country, the latest joins and departures, events, agreements.
    Counts and the chart are aggregated in SQL, so the page costs the same for 10 members or
    1,000."""
    alliance = get_object_or_404(Alliance.objects.select_related("headquarters"), slug=slug)
    memberships = alliance.memberships.select_related("institution").only(*MEMBER_COLUMNS)
    members = page_filters(AllianceMemberFilter(request.GET, queryset=memberships), labels={})
    listed = members.qs.order_by(*members.qs.query.order_by, "institution__name")
    if request.GET.get("format") == "csv":
        return csv_response(
            (member_csv_row(membership) for membership in listed.iterator(chunk_size=500)),
            filename=f"{alliance.slug}-members",
            columns=MEMBER_CSV_COLUMNS,
        )
    members_per_country = current_members_per_country(alliance)
    country_count = len(members_per_country)
    current_count = sum(count for _code, count in members_per_country)
    if len(members_per_country) > CHART_COUNTRIES:
        others = sum(count for _code, count in members_per_country[CHART_COUNTRIES - 1 :])
        members_per_country = [*members_per_country[: CHART_COUNTRIES - 1], ("", others)]

    csv_query = request.GET.copy()
    csv_query.pop("page", None)
    csv_query["format"] = "csv"
    agreements = (
        Agreement.objects.visible_to(request.user)
        .filter(alliance=alliance)
        .with_state()
        .with_parties()
    )
    context = {
        "alliance": alliance,
        "form": members.form,
        "members_page": paginate(request, listed, MEMBERS_PER_PAGE),
        "members_csv_url": f"?{csv_query.urlencode()}",
        "current_count": current_count,
        "members_per_country": members_per_country,
        "country_count": country_count,
        # "Other countries" may outnumber the largest country; every bar is to one scale.
        "largest_country_count": max((count for _code, count in members_per_country), default=0),
        "timeline": membership_timeline(alliance.memberships.all(), TIMELINE_ENTRIES),
        "timeline_count": membership_change_count(alliance.memberships.all()),
        "events": alliance.events.select_related("host").order_by("-starts_on"),
        "agreements": agreements[:20],
        "agreement_count": agreements.count(),
        "may_manage_members": permissions.can_add_membership(request.user, alliance),
    }
    return render(request, "partnerships/alliance_detail.html", context)


def current_members_per_country(alliance):
    """(country code, current members), the most members first."""
    return list(
        alliance.memberships.current()
        .values_list("institution__country")
        .annotate(count=Count("id"))
        .order_by("-count", "institution__country")
    )


def membership_timeline(memberships, entries):
    """The latest `entries` joins and departures, newest first: (date, "joined" or "left",
    membership).

    The institutions are fetched for the listed memberships only: joined to all 1,000
    memberships before the LIMIT, PostgreSQL hashes every institution for 20 rows."""
    joins = [
        (m.joined_on, "joined", m) for m in memberships.order_by("-joined_on", "-id")[:entries]
    ]
    departures = [
        (m.left_on, "left", m)
        for m in memberships.filter(left_on__isnull=False).order_by("-left_on", "-id")[:entries]
    ]
    changes = sorted(joins + departures, key=lambda entry: (entry[0], entry[1]), reverse=True)
    changes = changes[:entries]
    prefetch_related_objects([membership for _day, _change, membership in changes], "institution")
    return changes


def membership_change_count(memberships):
    """Joins and departures in all."""
    counts = memberships.aggregate(joins=Count("id"), departures=Count("left_on"))
    return counts["joins"] + counts["departures"]


def member_csv_row(membership):
    institution = membership.institution
    return {
        "institution": institution.name,
        "slug": institution.slug,
        "country": institution.country.code,
        "kind": institution.kind,
        "role": membership.role,
        "joined_on": membership.joined_on,
        "left_on": membership.left_on,
    }
