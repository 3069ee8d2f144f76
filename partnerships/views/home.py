"""The home page: key figures, recent and expiring agreements, the busiest flow corridors."""

from django.db.models import Max
from django.shortcuts import render
from django.views.decorators.http import require_safe

from partnerships.models import Agreement, AgreementState, Alliance, Institution, Membership
from partnerships.querysets import user_institution_ids
from programs.models import Programme, StudentFlow

EXPIRY_HORIZON_DAYS = 180
LISTED = 6


@require_safe
def home(request):
    user = request.user
    agreements = Agreement.objects.visible_to(user)
    expiring = agreements.expiring_within(EXPIRY_HORIZON_DAYS)
    own_institutions = user_institution_ids(user) if user.is_authenticated else None
    expiring_are_own = bool(own_institutions is not None and own_institutions.exists())
    if expiring_are_own:
        expiring = expiring.involving(own_institutions)
    latest_year = StudentFlow.objects.aggregate(year=Max("academic_year"))["year"]
    latest_flows = StudentFlow.objects.filter(academic_year=latest_year)
    member_ids = Membership.objects.current().values("institution_id")
    members = Institution.objects.filter(pk__in=member_ids)
    context = {
        "figures": {
            "alliances": Alliance.objects.count(),
            "members": members.count(),
            "countries": members.values("country").distinct().count(),
            "active_agreements": agreements.in_state(
                AgreementState.ACTIVE, AgreementState.EXPIRING
            ).count(),
            "programmes": Programme.objects.count(),
            "students": latest_flows.total_students(),
        },
        "latest_year": latest_year,
        "recent": agreements.with_state().with_parties().filter(signed_on__isnull=False)[:LISTED],
        "expiring": expiring.with_parties().order_by("expires_on")[:LISTED],
        "expiring_are_own": expiring_are_own,
        "horizon": EXPIRY_HORIZON_DAYS,
        "corridors": latest_flows.summary("origin_country", "destination_country").order_by(
            "-students"
        )[:LISTED],
        "alliances": Alliance.objects.with_member_counts().select_related("headquarters"),
    }
    return render(request, "home.html", context)
