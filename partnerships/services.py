"""Writes that touch several rows: log, terminate, renew, delete and restore agreements.

Each is a keyword-only function that takes the acting user (`by`), checks the permission
module (a refusal is logged and raises PermissionDenied), runs in one transaction and
leaves history rows that name `by` as their author. Domain refusals raise the errors of
`partnerships.exceptions`; bad values raise ValidationError with field names.
"""

import calendar
import datetime
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import exceptions, permissions
from partnerships.models import (
    Agreement,
    AgreementParty,
    Alliance,
    Event,
    Institution,
    Membership,
)
from partnerships.selectors import subject_areas_history

# The change reason that marks parties removed because their agreement was deleted.
DELETED_WITH_AGREEMENT = "Deleted with its agreement"

ONE_DAY = datetime.timedelta(days=1)


def _authored(instance, by, reason=None):
    """Make the next history row of `instance` name `by` (and why), outside a request too."""
    instance._history_user = by if permissions.is_signed_in(by) else None
    if reason:
        instance._change_reason = reason[:100]
    return instance


def agreement_create(*, by, parties, subject_areas=(), **fields):
    """Log a new agreement with its parties; one signing party must be an institution of `by`.

    `parties` is a list of dicts with `institution`, `role` (default party),
    `signatory_name` and `signatory_title`.
    """
    parties = [{"role": AgreementParty.Role.PARTY, **party} for party in parties]
    signing = {
        party["institution"].pk
        for party in parties
        if party["role"] in AgreementParty.SIGNING_ROLES
    }
    if len(signing) < 2:
        raise exceptions.TooFewParties()
    permissions.ensure(
        permissions.can_create_agreement_for(by, signing),
        user=by,
        action="log an agreement for institutions it does not act for",
        target=f"institutions {sorted(signing)}",
    )
    agreement = Agreement(created_by=by if permissions.is_signed_in(by) else None, **fields)
    agreement.full_clean()
    with transaction.atomic():
        _authored(agreement, by).save()
        for party in parties:
            _authored(AgreementParty(agreement=agreement, **party), by).save()
        if subject_areas:
            agreement.subject_areas.set(subject_areas)
    return agreement


def agreement_terminate(*, agreement, on, reason, by):
    """End a signed agreement on `on` for `reason`."""
    permissions.ensure(
        permissions.can_terminate_agreement(by, agreement),
        user=by,
        action="terminate this agreement",
        target=agreement.reference,
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"termination_reason": _("Say why the agreement ends.")})
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.terminated_on is not None:
            raise exceptions.AgreementAlreadyTerminated()
        if agreement.signed_on is None:
            raise exceptions.AgreementNotSigned()
        if agreement.expires_on is not None and on > agreement.expires_on:
            message = _("The agreement expires on %(date)s; it cannot end later.")
            raise ValidationError(
                {"terminated_on": message % {"date": agreement.expires_on.isoformat()}}
            )
        agreement.terminated_on = on
        agreement.termination_reason = reason
        agreement.clean()
        _authored(agreement, by, "Terminated").save()
    return agreement


def agreement_renew(
    *, agreement, by, signed_on=None, effective_from=None, expires_on=None, reference=None
):
    """Log the agreement that renews `agreement`: same terms, parties and subject areas.

    Dates left out follow on: the new term starts the day after the old one expires and
    lasts as long. `reference` defaults to the old one with -R1, -R2... appended.
    """
    permissions.ensure(
        permissions.can_renew_agreement(by, agreement),
        user=by,
        action="renew this agreement",
        target=agreement.reference,
    )
    with transaction.atomic():
        old = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if old.signed_on is None:
            raise exceptions.AgreementNotSigned()
        if old.terminated_on is not None:
            raise exceptions.AgreementTerminated()
        if Agreement.objects.filter(renews=old).exists():
            raise exceptions.AgreementAlreadyRenewed()
        start = effective_from or renewal_start(old, signed_on)
        renewal = Agreement(
            reference=reference or next_renewal_reference(old),
            title=old.title,
            kind=old.kind,
            alliance=old.alliance,
            visibility=old.visibility,
            summary=old.summary,
            auto_renews=old.auto_renews,
            notice_days=old.notice_days,
            renews=old,
            signed_on=signed_on,
            effective_from=start,
            expires_on=expires_on if expires_on is not None else renewal_end(old, start),
            created_by=by if permissions.is_signed_in(by) else None,
        )
        renewal.full_clean()
        _authored(renewal, by, f"Renewal of {old.reference}").save()
        for party in old.parties.all():
            _authored(
                AgreementParty(
                    agreement=renewal,
                    institution_id=party.institution_id,
                    role=party.role,
                    signatory_name=party.signatory_name,
                    signatory_title=party.signatory_title,
                ),
                by,
            ).save()
        renewal.subject_areas.set(old.subject_areas.all())
    return renewal


def renewal_start(old, signed_on=None):
    """The day a renewal of `old` takes effect unless told otherwise."""
    if old.expires_on is not None:
        return old.expires_on + ONE_DAY
    return signed_on or timezone.localdate()


def renewal_end(old, start):
    """A term as long as the old one from `start`: whole months stay whole (5 years = 60)."""
    term_start = old.effective_from or old.signed_on
    if old.expires_on is None or term_start is None:
        return None
    after_end = old.expires_on + ONE_DAY
    months = (after_end.year - term_start.year) * 12 + after_end.month - term_start.month
    if months > 0 and add_months(term_start, months) == after_end:
        return add_months(start, months) - ONE_DAY
    return start + (old.expires_on - term_start)


def add_months(day, months):
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_renewal_reference(old):
    """AGR-1 → AGR-1-R1 → AGR-1-R2: the first free one."""
    match = re.fullmatch(r"(.+)-R(\d+)", old.reference)
    base, number = (match[1], int(match[2])) if match else (old.reference, 0)
    while True:
        number += 1
        candidate = f"{base}-R{number}"
        if not Agreement.objects.filter(reference=candidate).exists():
            return candidate


def agreement_delete(*, agreement, by):
    """Delete an agreement and its parties; the history keeps both so staff can restore them."""
    permissions.ensure(
        permissions.can_delete_agreement(by, agreement),
        user=by,
        action="delete this agreement",
        target=agreement.reference,
    )
    with transaction.atomic():
        _authored(agreement, by, "Deleted").delete()


def agreement_restore(*, by, history_id=None, reference=None):
    """Bring back a deleted agreement, its parties and subject areas from the history."""
    permissions.ensure(
        permissions.can_restore_agreement(by),
        user=by,
        action="restore a deleted agreement",
        target=history_id or reference,
    )
    record = deletion_record(history_id=history_id, reference=reference)
    with transaction.atomic():
        if Agreement.objects.filter(pk=record.id).exists():
            raise exceptions.AgreementNotDeleted()
        if Agreement.objects.filter(reference=record.reference).exists():
            raise exceptions.ReferenceTaken()
        agreement = record.instance
        dropped = _drop_dangling_links(agreement)
        reason = "Restored after deletion"
        if dropped:
            reason += "; gone: " + ", ".join(dropped)
        _authored(agreement, by, reason).save(force_insert=True)
        for party in _parties_deleted_with(agreement):
            if Institution.objects.filter(pk=party.institution_id).exists():
                _authored(party, by, "Restored with its agreement").save(force_insert=True)
        agreement.subject_areas.set(_subject_areas_before(record))
    return agreement


def deletion_record(*, history_id=None, reference=None):
    """The history row written when an agreement was deleted (the latest for a reference)."""
    deletions = Agreement.history.filter(history_type="-")
    if history_id is not None:
        deletions = deletions.filter(history_id=history_id)
    elif reference:
        deletions = deletions.filter(reference=reference)
    else:
        raise exceptions.NothingToRestore()
    record = deletions.order_by("-history_date", "-history_id").first()
    if record is None:
        raise exceptions.NothingToRestore()
    return record


def deleted_agreements():
    """The deletion record of every agreement that is still deleted, latest first."""
    last_record = (
        Agreement.history.filter(id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        Agreement.history.filter(history_type="-", history_id=Subquery(last_record))
        .exclude(id__in=Agreement.objects.values("id"))
        .select_related("history_user")
        .order_by("-history_date")
    )


def _subject_areas_before(deletion):
    """The subject areas of the last version before `deletion` (its own copy is empty:
    the links are gone by the time the deletion is recorded)."""
    last_version = (
        Agreement.history.filter(id=deletion.id, history_date__lte=deletion.history_date)
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if last_version is None:
        return []
    areas = subject_areas_history().objects.filter(history=last_version)
    return list(areas.values_list("fieldofstudy_id", flat=True))


def _parties_deleted_with(agreement):
    latest = {}
    for record in AgreementParty.history.filter(agreement_id=agreement.pk).order_by(
        "history_date", "history_id"
    ):
        latest[record.id] = record
    return [
        record.instance
        for record in latest.values()
        if record.history_type == "-" and record.history_change_reason == DELETED_WITH_AGREEMENT
    ]


def _drop_dangling_links(agreement):
    """Clear links to records deleted since; return what was cleared."""
    links = [
        ("alliance_id", Alliance.objects.all()),
        ("event_id", Event.objects.all()),
        ("renews_id", Agreement.objects.exclude(renewed_by__isnull=False)),
        ("created_by_id", get_user_model().objects.all()),
    ]
    dropped = []
    for attname, existing in links:
        value = getattr(agreement, attname)
        if value is not None and not existing.filter(pk=value).exists():
            setattr(agreement, attname, None)
            dropped.append(f"{attname.removesuffix('_id')} {value}")
    return dropped


def agreement_update(*, agreement, by, subject_areas=None, parties=None, **fields):
    """Change the terms of an agreement and, when `parties` is given, its parties.

    `parties` takes the dicts of `agreement_create`; afterwards one of the signing
    institutions must still be one `by` acts for.
    """
    permissions.ensure(
        permissions.can_edit_agreement(by, agreement),
        user=by,
        action="edit this agreement",
        target=agreement.reference,
    )
    if parties is not None:
        parties = [{"role": AgreementParty.Role.PARTY, **party} for party in parties]
        signing = {
            party["institution"].pk
            for party in parties
            if party["role"] in AgreementParty.SIGNING_ROLES
        }
        if len(signing) < 2:
            raise exceptions.TooFewParties()
        permissions.ensure(
            permissions.can_create_agreement_for(by, signing),
            user=by,
            action="leave an agreement signed by institutions it does not act for",
            target=agreement.reference,
        )
        named = agreement.conditions.filter(
            ~Q(sending_institution__in=signing) | ~Q(receiving_institution__in=signing)
        )
        if named.exists():
            raise exceptions.PartyNamedInConditions()
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    with transaction.atomic():
        _authored(agreement, by).save()
        if parties is not None:
            _replace_parties(agreement, parties, by)
        if subject_areas is not None:
            agreement.subject_areas.set(subject_areas)
    return agreement


def _replace_parties(agreement, parties, by):
    """Keep the parties still named (updating signatories), delete the others, add the new."""
    wanted = {(party["institution"].pk, party["role"]): party for party in parties}
    for existing in list(agreement.parties.all()):
        party = wanted.pop((existing.institution_id, existing.role), None)
        if party is None:
            _authored(existing, by).delete()
            continue
        names = (party.get("signatory_name", ""), party.get("signatory_title", ""))
        if names != (existing.signatory_name, existing.signatory_title):
            existing.signatory_name, existing.signatory_title = names
            _authored(existing, by).save()
    for party in wanted.values():
        _authored(AgreementParty(agreement=agreement, **party), by).save()


def membership_add(*, alliance, by, **fields):
    """Record that an institution joined `alliance`; for its secretariat and staff."""
    permissions.ensure(
        permissions.can_add_membership(by, alliance),
        user=by,
        action="add a member to this alliance",
        target=alliance.slug,
    )
    membership = Membership(alliance=alliance, **fields)
    membership.full_clean()
    _authored(membership, by).save()
    return membership


def membership_update(*, membership, by, **fields):
    permissions.ensure(
        permissions.can_edit_membership(by, membership),
        user=by,
        action="edit this membership",
        target=membership.pk,
    )
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.full_clean()
    _authored(membership, by).save()
    return membership


def membership_end(*, membership, on, by):
    """Record that a member left its alliance on `on`."""
    permissions.ensure(
        permissions.can_end_membership(by, membership),
        user=by,
        action="end this membership",
        target=membership.pk,
    )
    if membership.left_on is not None:
        raise exceptions.MembershipAlreadyEnded()
    membership.left_on = on
    membership.full_clean()
    _authored(membership, by, "Ended").save()
    return membership
