"""Programmes: the catalogue and one programme with its partners and students."""

from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe
from django_countries import countries

from partnerships.models import (
    Agreement,
    AgreementParty,
    Alliance,
    Event,
    Institution,
    Membership,
)
from partnerships.views.common import page_filters, paginate, search_words
from partnerships.views.labels import FILTER_LABELS
from programs.filters import ProgrammeFilter, StudentFlowFilter
from programs.models import Programme, StudentFlow, format_academic_year
from programs.selectors import country_profile, flow_balance, flow_summary


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


TOP_CORRIDORS = 15
FLOW_FILTER_ORDER = [
    "year_from",
    "year_to",
    "academic_year",
    "origin_country",
    "origin_group",
    "destination_country",
    "destination_group",
    "level",
    "mobility_type",
    "origin_institution",
    "destination_institution",
    "programme",
]
DEFAULT_BALANCE_COUNTRY = "CN"


@require_safe
def flow_dashboard(request):
    """Students moving between countries: trend, corridors, balance and a Sankey, filtered."""
    filters = page_filters(
        StudentFlowFilter(request.GET, queryset=StudentFlow.objects.all(), request=request),
        FILTER_LABELS,
    )
    filters.form.order_fields(FLOW_FILTER_ORDER)
    filters.form.fields["programme"].widget = forms.TextInput(
        attrs={"placeholder": _("slug or id")}
    )
    filters.form.fields["agreement"].widget = forms.TextInput(attrs={"placeholder": _("id")})
    flows = filters.qs
    balance_country = _balance_country(request, filters)
    trend = flow_summary(flows, ["academic_year"])
    corridors = list(
        flows.summary("origin_country", "destination_country").order_by(
            "-students", "origin_country", "destination_country"
        )[:TOP_CORRIDORS]
    )
    balance = sorted(
        flow_balance(flows, balance_country),
        key=lambda row: row["inbound"] + row["outbound"],
        reverse=True,
    )[:TOP_CORRIDORS]
    api_query = _api_query(request, filters)
    context = {
        "filter_form": filters.form,
        "trend": trend,
        "corridors": corridors,
        "balance": balance,
        "balance_country": balance_country,
        "total": sum(row["students"] for row in trend),
        "chart_data": {
            "trend": {
                "labels": [format_academic_year(row["academic_year"]) for row in trend],
                "values": [row["students"] for row in trend],
                "label": str(_("Students")),
            },
            "balance": {
                "labels": [row["partner_country_name"] for row in balance],
                "inbound": [row["inbound"] for row in balance],
                "outbound": [row["outbound"] for row in balance],
                "inbound_label": str(_("Into %s") % countries.name(balance_country)),
                "outbound_label": str(_("Out of %s") % countries.name(balance_country)),
            },
            "sankey": [
                {
                    "from": f"from:{row['origin_country']}",
                    "to": f"to:{row['destination_country']}",
                    "flow": row["students"],
                }
                for row in corridors
            ],
            "sankey_labels": {
                **{
                    f"from:{row['origin_country']}": countries.name(row["origin_country"])
                    for row in corridors
                },
                **{
                    f"to:{row['destination_country']}": countries.name(row["destination_country"])
                    for row in corridors
                },
            },
        },
        "csv": {
            "trend": f"/api/v1/flows/summary/?{api_query}&group_by=academic_year&format=csv",
            "corridors": "/api/v1/flows/summary/?"
            f"{api_query}&group_by=origin_country,destination_country&format=csv",
            "balance": f"/api/v1/flows/balance/?{api_query}&country={balance_country}&format=csv",
        },
    }
    return render(request, "programs/flow_dashboard.html", context)


def _balance_country(request, filters):
    """The country whose balance is charted: the one asked for, else a filtered one, else CN."""
    code = request.GET.get("balance", "").strip().upper()
    if code in dict(countries):
        return code
    data = filters.form.cleaned_data if filters.form.is_valid() else {}
    return (
        data.get("destination_country") or data.get("origin_country") or (DEFAULT_BALANCE_COUNTRY)
    )


def _api_query(request, filters):
    """The valid filters of this page as API query parameters (the API refuses others)."""
    valid = filters.form.cleaned_data if filters.form.is_valid() else {}
    query = QueryDict(mutable=True)
    for name in filters.filters:
        value = request.GET.get(name, "").strip()
        if value and valid.get(name) not in (None, ""):
            query[name] = value
    return query.urlencode()


MECHANISM_KINDS = {
    "alliance": (_lazy("Alliance"), dict(Alliance.CooperationModel.choices)),
    "agreement": (_lazy("Agreement"), dict(Agreement.Kind.choices)),
    "programme": (_lazy("Programme"), dict(Programme.Kind.choices)),
    "event": (_lazy("Event"), dict(Event.Kind.choices)),
}


def mechanism_label(mechanism):
    """ "agreement:mou" → "Agreement: Memorandum of understanding"."""
    family, _sep, kind = mechanism.partition(":")
    label, kinds = MECHANISM_KINDS.get(family, (family, {}))
    return f"{label}: {kinds.get(kind, kind)}"


@require_safe
def country_detail(request, code):
    """How deep cooperation with one country goes, as the visitor may see it."""
    code = code.upper()
    if code not in dict(countries):
        raise Http404("No such country code.")
    user = request.user
    profile = country_profile(code, user) or {}
    agreements = (
        Agreement.objects.visible_to(user)
        .filter(
            Exists(
                AgreementParty.objects.filter(agreement=OuterRef("pk"), institution__country=code)
            )
        )
        .with_state()
    )
    flows = StudentFlow.objects.all()
    yearly = {}
    for row in flows.filter(destination_country=code).summary("academic_year"):
        yearly.setdefault(row["academic_year"], [0, 0])[0] = row["students"]
    for row in flows.filter(origin_country=code).summary("academic_year"):
        yearly.setdefault(row["academic_year"], [0, 0])[1] = row["students"]
    balance = sorted(
        flow_balance(flows, code), key=lambda row: row["inbound"] + row["outbound"], reverse=True
    )
    current_members = Membership.objects.current().filter(institution__country=code)
    context = {
        "code": code,
        "name": countries.name(code),
        "profile": profile,
        "mechanisms": [mechanism_label(m) for m in profile.get("mechanisms", [])],
        "alliances": Alliance.objects.filter(pk__in=current_members.values("alliance_id"))
        .annotate(
            members_here=Count(
                "memberships", filter=Q(memberships__in=current_members.values("pk"))
            )
        )
        .order_by("name"),
        "institutions": paginate(
            request, Institution.objects.filter(country=code).with_counts().order_by("name")
        ),
        "agreements_by_kind": agreements.order_by().values("kind").annotate(count=Count("pk")),
        "kind_labels": dict(Agreement.Kind.choices),
        "recent_agreements": agreements.with_parties().filter(signed_on__isnull=False)[:10],
        "programmes": Programme.objects.filter(Q(lead__country=code) | Q(partners__country=code))
        .select_related("lead")
        .distinct()
        .order_by("name")[:20],
        "students_by_year": [(year, *yearly[year]) for year in sorted(yearly, reverse=True)],
        "balance": balance[:TOP_CORRIDORS],
        "chart_data": {
            "balance": {
                "labels": [row["partner_country_name"] for row in balance[:TOP_CORRIDORS]],
                "inbound": [row["inbound"] for row in balance[:TOP_CORRIDORS]],
                "outbound": [row["outbound"] for row in balance[:TOP_CORRIDORS]],
                "inbound_label": str(_("Into %s") % countries.name(code)),
                "outbound_label": str(_("Out of %s") % countries.name(code)),
            },
            "trend": {
                "labels": [format_academic_year(year) for year in sorted(yearly)],
                "values": [sum(yearly[year]) for year in sorted(yearly)],
                "label": str(_("Students")),
            },
            "sankey": [],
            "sankey_labels": {},
        },
        "balance_csv": f"/api/v1/flows/balance/?country={code}&format=csv",
    }
    return render(request, "programs/country_detail.html", context)
