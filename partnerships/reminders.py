"""Expiry reminders: tell the editors of every signing party that an agreement is ending.

Each agreement gets one reminder per expiry date (an `ExpiryReminder` row, unique on the
pair), so running the command twice sends nothing new, and moving the expiry date opens
a new window. Terminated, draft, expired, open-ended and already renewed agreements get
none.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from partnerships.models import (
    Affiliation,
    Agreement,
    AgreementParty,
    AgreementState,
    ExpiryReminder,
)


@dataclass
class ReminderSummary:
    agreements: list = field(default_factory=list)
    emails_sent: int = 0
    without_editors: list = field(default_factory=list)


def agreements_due_for_reminder(today):
    """Signed agreements inside their notice window that no reminder covered yet."""
    already_reminded = ExpiryReminder.objects.filter(
        agreement=OuterRef("pk"), expires_on=OuterRef("expires_on")
    )
    return (
        Agreement.objects.with_state(today)
        .filter(
            state=AgreementState.EXPIRING,
            terminated_on__isnull=True,
            renewed_by__isnull=True,
        )
        .exclude(Exists(already_reminded))
        .with_parties()
        .order_by("expires_on", "reference")
    )


def editors_by_institution(institution_ids):
    """Active editors with an e-mail address, per institution id."""
    editors = defaultdict(list)
    affiliations = Affiliation.objects.filter(
        role=Affiliation.Role.EDITOR,
        institution_id__in=institution_ids,
        user__is_active=True,
    ).exclude(user__email="")
    for affiliation in affiliations.select_related("user", "institution"):
        editors[affiliation.institution_id].append(affiliation)
    return editors


def send_expiry_reminders(*, today=None, dry_run=False):
    """Send the reminders due on `today`; return what was (or would be) sent."""
    today = today or timezone.localdate()
    due = list(agreements_due_for_reminder(today))
    signing = {
        agreement.pk: [p for p in agreement.parties.all() if p.role in AgreementParty.SIGNING_ROLES]
        for agreement in due
    }
    editors = editors_by_institution(
        {party.institution_id for parties in signing.values() for party in parties}
    )
    summary = ReminderSummary()
    connection = get_connection()
    for agreement in due:
        messages = [
            reminder_message(agreement, affiliation)
            for party in signing[agreement.pk]
            for affiliation in editors[party.institution_id]
        ]
        messages = list({message.to[0]: message for message in messages}.values())
        if not messages:
            summary.without_editors.append(agreement)
            continue
        if not dry_run and not _record_and_send(agreement, messages, connection):
            continue
        summary.agreements.append(agreement)
        summary.emails_sent += len(messages)
    return summary


def _record_and_send(agreement, messages, connection):
    """Record the reminder, then send; a failed send rolls the record back for a retry."""
    try:
        with transaction.atomic():
            ExpiryReminder.objects.create(
                agreement=agreement,
                expires_on=agreement.expires_on,
                notice_starts_on=agreement.notice_starts_on,
                recipients="\n".join(message.to[0] for message in messages),
            )
            connection.send_messages(messages)
    except IntegrityError:
        return False  # another run sent this one meanwhile
    return True


def reminder_message(agreement, affiliation):
    """A plain-text e-mail to one editor about one agreement."""
    parties = "\n".join(
        f"  - {party.institution.name} ({party.get_role_display().lower()}"
        + (f", signed by {party.signatory_name}" if party.signatory_name else "")
        + ")"
        for party in agreement.parties.all()
    )
    body = (
        f"Dear {affiliation.user.get_full_name() or affiliation.user.get_username()},\n\n"
        f"An agreement of {affiliation.institution.name} expires on "
        f"{agreement.expires_on:%d %B %Y} and entered its notice window of "
        f"{agreement.notice_days} days on {agreement.notice_starts_on:%d %B %Y}.\n\n"
        f"Reference: {agreement.reference}\n"
        f"Title: {agreement.title}\n"
        f"Kind: {agreement.get_kind_display()}\n"
        f"Expires on: {agreement.expires_on.isoformat()}\n"
        f"Renews automatically: {'yes' if agreement.auto_renews else 'no'}\n"
        f"Parties:\n{parties}\n\n"
        "Renew it, let it end, or terminate it in the Alliance Portal.\n\n"
        f"You receive this because you are an editor for {affiliation.institution.name} "
        "in the Alliance Portal. You get one reminder per agreement and expiry date.\n"
    )
    return EmailMessage(
        subject=f"[Alliance Portal] {agreement.reference} expires on "
        f"{agreement.expires_on.isoformat()}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[affiliation.user.email],
    )
