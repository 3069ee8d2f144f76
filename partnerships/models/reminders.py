"""Reminders sent about agreements entering their notice window, kept so each goes once."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models.agreements import Agreement


class ExpiryReminder(models.Model):
    """One reminder per agreement and expiry date: a new expiry date opens a new window."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="expiry_reminders",
    )
    expires_on = models.DateField(_("expires on"))
    notice_starts_on = models.DateField(_("notice window starts on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"), help_text=_("One e-mail address per line."))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "expires_on"],
                name="expiry_reminder_once_per_window",
                violation_error_message=_("A reminder for this expiry date was already sent."),
            )
        ]

    def __str__(self):
        return f"{self.agreement.reference} · {self.expires_on} · {self.sent_at:%Y-%m-%d}"

    @property
    def recipient_list(self):
        return [line for line in self.recipients.splitlines() if line]
