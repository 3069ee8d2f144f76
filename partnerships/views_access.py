"""Pages of access control: the account page, signed-document downloads, the lockout page."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from partnerships import permissions

logger = logging.getLogger("alliance_portal.security")


@login_required
@require_safe
def profile(request):
    """The signed-in user's account: the institutions and alliances they act for."""
    affiliations = request.user.affiliations.select_related("institution", "alliance").order_by(
        "role", "institution__name", "alliance__name"
    )
    return render(request, "account/profile.html", {"affiliations": affiliations})


@never_cache
@require_safe
def agreement_document(request, reference):
    """The signed PDF, to those who may see the agreement; 404 for everyone else."""
    agreement = permissions.get_visible_agreement_or_404(request.user, reference=reference)
    permissions.ensure(
        permissions.can_download_document(request.user, agreement),
        user=request.user,
        action="download this document",
        target=agreement.reference,
    )
    if not agreement.document:
        raise Http404("This agreement has no signed document.")
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError:
        logger.error("document of %s missing from storage", agreement.reference)
        raise Http404("This agreement has no signed document.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=agreement.document_filename,
        content_type="application/pdf",
    )


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows after too many failed sign-ins: when to try again."""
    cooloff = _cooloff(settings.AXES_COOLOFF_TIME)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    logger.warning(
        "sign-in locked out for %r from %s", username, request.META.get("REMOTE_ADDR", "?")
    )
    context = {
        "retry_minutes": max(1, round(cooloff.total_seconds() / 60)),
        "retry_at": timezone.localtime() + cooloff,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "errors/lockout.html", context, status=429)


def _cooloff(hours_or_delta):
    """AXES_COOLOFF_TIME may be hours (a number) or a timedelta."""
    if isinstance(hours_or_delta, datetime.timedelta):
        return hours_or_delta
    return datetime.timedelta(hours=float(hours_or_delta))
