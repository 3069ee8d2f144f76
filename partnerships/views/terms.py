"""The offices' side of an agreement: places, approval, versions; the partner finder;
the forms for conditions and units."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnerships import exceptions, permissions
from partnerships.approvals import agreement_approve, approval_status, last_approved_version
from partnerships.forms import ConditionForm, PartnerFinderForm, UnitForm
from partnerships.models import Agreement, AgreementCondition, Institution, Unit
from partnerships.selectors import current_academic_year, terms_differences
from partnerships.terms import agreement_terms
from partnerships.views.common import paginate


def _agreement_or_404(user, reference):
    return permissions.get_visible_agreement_or_404(
        user, Agreement.objects.with_terms(), reference=reference
    )


@login_required
@require_POST
def agreement_approve_view(request, reference):
    agreement = _agreement_or_404(request.user, reference)
    try:
        agreement_approve(agreement=agreement, version=request.POST.get("version"), by=request.user)
    except exceptions.StaleVersion:
        messages.error(
            request,
            _("The terms changed while you read them; review them below and approve again."),
        )
        return redirect("agreement-versions", reference=reference)
    messages.success(request, _("You approved this version of the terms."))
    return redirect("agreement-detail", reference=reference)


@require_safe
def agreement_versions(request, reference):
    """The current terms beside the last version every party approved, differences marked."""
    agreement = _agreement_or_404(request.user, reference)
    snapshot = last_approved_version(agreement)
    current = agreement_terms(agreement)
    context = {
        "agreement": agreement,
        "status": approval_status(agreement),
        "snapshot": snapshot,
        "rows": terms_differences(snapshot.terms if snapshot else None, current),
        "may_approve": permissions.can_approve_agreement(request.user, agreement),
    }
    return render(request, "partnerships/agreement_versions.html", context)


@dataclass
class PartnerRow:
    institution: Institution
    places: int = 0
    used: int = 0
    left: int = 0
    agreements: set = field(default_factory=set)
    mobility_types: set = field(default_factory=set)


@require_safe
def partner_finder(request):
    """Receiving institutions with places left in a year, under agreements the visitor sees."""
    form = PartnerFinderForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = data.get("year") or current_academic_year()
    conditions = form.filter(
        AgreementCondition.objects.filter(
            agreement__in=Agreement.objects.visible_to(request.user).in_state("active", "expiring")
        ).in_year(year),
        data,
    )
    rows = {}
    for condition in conditions.select_related("receiving_institution").with_places_used(year):
        row = rows.setdefault(
            condition.receiving_institution_id, PartnerRow(condition.receiving_institution)
        )
        row.places += condition.places
        row.used += condition.used
        # Over-use of one condition does not take places from another.
        row.left += max(condition.left, 0)
        row.agreements.add(condition.agreement_id)
        row.mobility_types.add(condition.get_mobility_type_display())
    partners = sorted(
        (row for row in rows.values() if row.left > 0),
        key=lambda row: (-row.left, row.institution.name),
    )
    return render(
        request,
        "partnerships/partner_finder.html",
        {"form": form, "year": year, "page_obj": paginate(request, partners)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def condition_edit(request, reference, pk=None):
    agreement = _agreement_or_404(request.user, reference)
    permissions.ensure(
        permissions.can_edit_conditions(request.user, agreement),
        user=request.user,
        action="edit the conditions of this agreement",
        target=agreement.reference,
    )
    condition = get_object_or_404(agreement.conditions, pk=pk) if pk else None
    form = ConditionForm(
        request.POST or None, instance=condition or AgreementCondition(agreement=agreement)
    )
    if request.method == "POST":
        if request.POST.get("delete") and condition is not None:
            with transaction.atomic():
                condition.delete()
            messages.success(request, _("Condition removed."))
            return redirect("agreement-detail", reference=reference)
        if form.is_valid():
            form.save()
            messages.success(request, _("Condition saved."))
            return redirect("agreement-detail", reference=reference)
    return render(
        request,
        "partnerships/condition_form.html",
        {"form": form, "agreement": agreement, "condition": condition},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def unit_edit(request, slug, pk=None):
    institution = get_object_or_404(Institution, slug=slug)
    permissions.ensure(
        permissions.can_create_unit(request.user, institution.pk),
        user=request.user,
        action="edit the units of this institution",
        target=institution.slug,
    )
    unit = get_object_or_404(Unit, pk=pk, institution=institution) if pk else None
    form = UnitForm(request.POST or None, instance=unit or Unit(institution=institution))
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Unit saved."))
            return redirect("institution-detail", slug=slug)
    return render(
        request,
        "partnerships/unit_form.html",
        {"form": form, "institution": institution, "unit": unit},
    )


def places_context(request, agreement):
    """The places table of the agreement page, for `?year=` or the current academic year."""
    from partnerships.selectors import places_table

    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 1950 <= int(raw) <= 2100 else current_academic_year()
    status = approval_status(agreement)
    return {
        "places_year": year,
        "places": list(places_table(agreement, year)),
        "conditions": agreement.conditions.all(),
        "approval": status,
        "may_approve": permissions.can_approve_agreement(request.user, agreement),
        "may_edit_conditions": permissions.can_edit_conditions(request.user, agreement),
    }
