"""Working pages of a secretariat: add, edit and end the memberships of its alliance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnerships import exceptions, permissions, services
from partnerships.forms import EndMembershipForm, MembershipForm
from partnerships.models import Alliance, Membership


def _get_membership_for_editing(user, pk, slug):
    membership = get_object_or_404(Membership.objects.with_related(), pk=pk, alliance__slug=slug)
    permissions.ensure(
        permissions.can_edit_membership(user, membership),
        user=user,
        action="edit this membership",
        target=membership.pk,
    )
    return membership


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_add(request, slug):
    alliance = get_object_or_404(Alliance, slug=slug)
    permissions.ensure(
        permissions.can_add_membership(request.user, alliance),
        user=request.user,
        action="add a member to this alliance",
        target=alliance.slug,
    )
    form = MembershipForm(request.POST if request.method == "POST" else None, alliance=alliance)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                alliance=alliance, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%s is now a member.") % membership.institution.name)
            return redirect("alliance-detail", slug=alliance.slug)
    return render(
        request,
        "partnerships/membership_form.html",
        {"form": form, "alliance": alliance, "membership": None},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_edit(request, slug, pk):
    membership = _get_membership_for_editing(request.user, pk, slug)
    form = MembershipForm(
        request.POST if request.method == "POST" else None,
        instance=membership,
        alliance=membership.alliance,
    )
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in ("role", "joined_on", "left_on", "notes")
        }
        try:
            services.membership_update(membership=membership, by=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Membership saved."))
            return redirect("alliance-detail", slug=slug)
    return render(
        request,
        "partnerships/membership_form.html",
        {"form": form, "alliance": membership.alliance, "membership": membership},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_end(request, slug, pk):
    membership = _get_membership_for_editing(request.user, pk, slug)
    permissions.ensure(
        permissions.can_end_membership(request.user, membership),
        user=request.user,
        action="end this membership",
        target=membership.pk,
    )
    form = EndMembershipForm(
        request.POST if request.method == "POST" else None, membership=membership
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership, on=form.cleaned_data["left_on"], by=request.user
            )
        except ValidationError as error:
            form.add_error("left_on", error.messages)
        except exceptions.PartnershipError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("The membership of %s has ended.") % membership.institution.name,
            )
            return redirect("alliance-detail", slug=slug)
    return render(
        request,
        "partnerships/membership_end.html",
        {"form": form, "membership": membership, "alliance": membership.alliance},
    )
