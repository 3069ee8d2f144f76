"""The upload page: check a file and preview what it would change, then confirm to load it."""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from partnerships import permissions
from partnerships.imports.forms import ImportForm
from partnerships.imports.service import run_import

PENDING_SESSION_KEY = "pending_imports"
PENDING_LIFETIME_SECONDS = 24 * 60 * 60


def pending_dir():
    """Uploads waiting for confirmation, outside the served static and media URLs."""
    return Path(settings.MEDIA_ROOT) / "imports-pending"


def _import_door(user):
    permissions.ensure(permissions.can_import(user), user=user, action="import", target="/imports/")


@login_required
def upload(request):
    """GET: the form. POST: a dry run of the uploaded file and a preview of its effect."""
    _import_door(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method != "POST" or not form.is_valid():
        return render(request, "imports/upload.html", {"form": form})
    kind, upload_file = form.cleaned_data["kind"], form.cleaned_data["file"]
    add = form.cleaned_data.get("add", False)  # the form asks only those who may import flows
    token = uuid.uuid4().hex
    path = _store(upload_file, token)
    with path.open("rb") as file:
        report = run_import(
            kind=kind, file=file, filename=upload_file.name, by=request.user, dry_run=True, add=add
        )
    if report.ok:
        pending = request.session.get(PENDING_SESSION_KEY, {})
        pending[token] = {"kind": kind, "filename": upload_file.name, "add": add}
        request.session[PENDING_SESSION_KEY] = pending
    else:
        path.unlink(missing_ok=True)
    context = {"form": form, "report": report, "token": token, "filename": upload_file.name}
    return render(request, "imports/preview.html", context, status=200 if report.ok else 400)


@login_required
@require_POST
def confirm(request):
    """Load a file whose dry run the same user has seen."""
    _import_door(request.user)
    token = request.POST.get("token", "")
    pending = request.session.get(PENDING_SESSION_KEY, {})
    if token not in pending:
        return render(request, "imports/expired.html", status=400)
    entry = pending.pop(token)
    request.session[PENDING_SESSION_KEY] = pending
    path = pending_dir() / token
    if not path.is_file():
        return render(request, "imports/expired.html", status=400)
    try:
        with path.open("rb") as file:
            report = run_import(
                kind=entry["kind"],
                file=file,
                filename=entry["filename"],
                by=request.user,
                add=entry["add"],
            )
    finally:
        path.unlink(missing_ok=True)
    context = {"report": report, "filename": entry["filename"]}
    return render(request, "imports/done.html", context, status=200 if report.ok else 400)


def _store(upload_file, token):
    directory = pending_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _forget_stale_uploads(directory)
    path = directory / token
    with path.open("wb") as target:
        for chunk in upload_file.chunks():
            target.write(chunk)
    return path


def _forget_stale_uploads(directory):
    """Previews nobody confirmed within a day are not coming back; their files go."""
    cutoff = time.time() - PENDING_LIFETIME_SECONDS
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
