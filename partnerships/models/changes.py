"""What the change feed needs beyond the live tables: a record of every deletion."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models.agreements import Visibility


class Deletion(models.Model):
    """A record that left the view of some readers: deleted, or an agreement whose
    visibility narrowed. Keeps what the visibility rule needs, as it was then."""

    resource = models.CharField(_("resource"), max_length=30)
    object_id = models.BigIntegerField(_("record id"))
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    alliance_id = models.BigIntegerField(_("alliance id"), null=True, blank=True)
    # ",12,57," — the institutions an agreement names (for the "parties" rule), or the
    # member of a deleted membership (whose readers saw through it).
    party_ids = models.CharField(_("party ids"), max_length=500, blank=True)

    class Meta:
        ordering = ["deleted_at", "id"]
        verbose_name = _("deletion")
        verbose_name_plural = _("deletions")
        indexes = [models.Index(fields=["deleted_at", "id"], name="deletion_time_idx")]

    def __str__(self):
        return f"{self.resource} {self.object_id} deleted {self.deleted_at:%Y-%m-%d %H:%M}"
