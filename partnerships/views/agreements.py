"""The agreements registry, one agreement, and the pages where offices log and renew them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance_portal.api_csv import csv_response
from partnerships import exceptions, permissions, services
from partnerships.documents import original_file_name
from partnerships.forms import AgreementForm, PartyFormSet, RegistryAgreementFilter, RenewalForm
from partnerships.models import Agreement
from partnerships.selectors import agreement_history
from partnerships.views.common import page_filters, paginate
from partnerships.views.labels import FILTER_LABELS
from partnerships.views.terms import places_context

TERM_FIELDS = [name for name in AgreementForm.Meta.fields if name not in ("subject_areas",)]


CSV_COLUMNS = [
    "reference",
    "title",
    "kind",
    "state",
    "visibility",
    "signed_on",
    "effective_from",
    "expires_on",
    "terminated_on",
    "alliance",
    "event",
    "parties",
    "renews",
]


@require_safe
def agreement_list(request):
    """The registry; `?format=csv` downloads every row the same filters keep."""
    agreements = Agreement.objects.visible_to(request.user).with_state().with_parties()
    filters = page_filters(RegistryAgreementFilter(request.GET, queryset=agreements), FILTER_LABELS)
    if request.GET.get("format") == "csv":
        rows = filters.qs.select_related("renews").iterator(chunk_size=500)
        return csv_response(
            (agreement_csv_row(agreement) for agreement in rows),
            filename="agreements",
            columns=CSV_COLUMNS,
        )
    csv_query = request.GET.copy()
    csv_query.pop("page", None)
    csv_query["format"] = "csv"
    context = {
        "page_obj": paginate(request, filters.qs),
        "filter_form": filters.form,
        "csv_url": f"?{csv_query.urlencode()}",
        "may_create": permissions.can_create_agreement(request.user),
    }
    return render(request, "partnerships/agreement_list.html", context)


def agreement_csv_row(agreement):
    return {
        "reference": agreement.reference,
        "title": agreement.title,
        "kind": agreement.kind,
        "state": agreement.state,
        "visibility": agreement.visibility,
        "signed_on": agreement.signed_on,
        "effective_from": agreement.effective_from,
        "expires_on": agreement.expires_on,
        "terminated_on": agreement.terminated_on,
        "alliance": agreement.alliance.slug if agreement.alliance else "",
        "event": agreement.event.slug if agreement.event else "",
        "parties": "; ".join(
            f"{party.institution.name} ({party.role})" for party in agreement.parties.all()
        ),
        "renews": agreement.renews.reference if agreement.renews else "",
    }


@require_safe
def agreement_detail(request, reference):
    agreement = permissions.get_visible_agreement_or_404(
        request.user,
        Agreement.objects.with_state().with_terms().with_renewal().select_related("created_by"),
        reference=reference,
    )
    user = request.user
    may_edit = permissions.can_edit_agreement(user, agreement)
    context = {
        "agreement": agreement,
        "signatories": [p for p in agreement.parties.all() if p.role != "witness"],
        "witnesses": [p for p in agreement.parties.all() if p.role == "witness"],
        "renewal_chain": renewal_chain(agreement, user),
        "subject_areas": agreement.subject_areas.all(),
        "programmes": agreement.programmes.all(),
        "history": agreement_history(agreement)
        if permissions.can_view_agreement_history(user, agreement)
        else [],
        "may_download": bool(agreement.document)
        and permissions.can_download_document(user, agreement),
        "may_edit": may_edit,
        "may_renew": may_edit and agreement.signed_on and not agreement.terminated_on,
        **places_context(request, agreement),
    }
    return render(request, "partnerships/agreement_detail.html", context)


def renewal_chain(agreement, user):
    """The agreements this one renews and that renew it, oldest first, as far as `user` sees.

    One query per link: a chain is a handful of renewals (and the loop stops at 20).
    """
    visible = Agreement.objects.visible_to(user).with_state()
    earlier, later = [], []
    reference = agreement.renews_id
    seen = {agreement.pk}
    while reference and reference not in seen and len(earlier) < 20:
        seen.add(reference)
        previous = visible.filter(pk=reference).first()
        if previous is None:
            break
        earlier.insert(0, previous)
        reference = previous.renews_id
    current = agreement
    while len(later) < 20:
        following = visible.filter(renews=current).first()
        if following is None or following.pk in seen:
            break
        seen.add(following.pk)
        later.append(following)
        current = following
    return [*earlier, agreement, *later] if earlier or later else []


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_create(request):
    permissions.ensure(
        permissions.can_create_agreement(request.user),
        user=request.user,
        action="log agreements",
        target="agreements",
    )
    return _agreement_form(request, agreement=None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_edit(request, reference):
    agreement = permissions.get_visible_agreement_or_404(request.user, reference=reference)
    permissions.ensure(
        permissions.can_edit_agreement(request.user, agreement),
        user=request.user,
        action="edit this agreement",
        target=agreement.reference,
    )
    return _agreement_form(request, agreement=agreement)


def _agreement_form(request, *, agreement):
    user = request.user
    if request.method == "POST":
        form = AgreementForm(request.POST, request.FILES, instance=agreement)
        parties = PartyFormSet(request.POST, prefix="parties", user=user)
        if form.is_valid() and parties.is_valid():
            saved = _save_agreement(request, form, parties, agreement)
            if saved is not None:
                messages.success(request, _("Agreement %s saved.") % saved.reference)
                return redirect("agreement-detail", reference=saved.reference)
    else:
        form = AgreementForm(instance=agreement)
        initial = []
        if agreement is not None:
            initial = [
                {
                    "institution": party.institution,
                    "role": party.role,
                    "signatory_name": party.signatory_name,
                    "signatory_title": party.signatory_title,
                }
                for party in agreement.parties.select_related("institution")
            ]
        parties = PartyFormSet(prefix="parties", user=user, initial=initial)
    return render(
        request,
        "partnerships/agreement_form.html",
        {"form": form, "parties": parties, "agreement": agreement},
    )


def _save_agreement(request, form, parties, agreement):
    """Write through the services; their refusals become form errors. None when refused."""
    fields = {name: form.cleaned_data[name] for name in TERM_FIELDS}
    if agreement is not None:
        fields.pop("reference")
    document = fields.pop("document")
    upload = request.FILES.get("document")
    if upload is not None:
        fields.update(document=upload, document_name=original_file_name(upload))
    elif document is False:  # the "clear" box was ticked
        fields.update(document="", document_name="")
    try:
        if agreement is None:
            return services.agreement_create(
                by=request.user,
                parties=parties.parties(),
                subject_areas=form.cleaned_data["subject_areas"],
                **fields,
            )
        return services.agreement_update(
            agreement=agreement,
            by=request.user,
            parties=parties.parties(),
            subject_areas=form.cleaned_data["subject_areas"],
            **fields,
        )
    except ValidationError as error:
        _add_errors(form, error)
    except exceptions.PartnershipError as error:
        parties._non_form_errors = parties.error_class([str(error.message)])
    except PermissionDenied:
        parties._non_form_errors = parties.error_class(
            [_("One of the signing institutions must be one you act for as an editor.")]
        )
    return None


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_renew(request, reference):
    agreement = permissions.get_visible_agreement_or_404(request.user, reference=reference)
    permissions.ensure(
        permissions.can_renew_agreement(request.user, agreement),
        user=request.user,
        action="renew this agreement",
        target=agreement.reference,
    )
    form = RenewalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            renewal = services.agreement_renew(
                agreement=agreement,
                by=request.user,
                reference=form.cleaned_data["reference"] or None,
                signed_on=form.cleaned_data["signed_on"],
                effective_from=form.cleaned_data["effective_from"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except exceptions.PartnershipError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Agreement %(old)s renewed as %(new)s.")
                % {"old": agreement.reference, "new": renewal.reference},
            )
            return redirect("agreement-detail", reference=renewal.reference)
    return render(
        request, "partnerships/agreement_renew.html", {"form": form, "agreement": agreement}
    )
