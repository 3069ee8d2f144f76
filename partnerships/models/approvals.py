"""Two-sided approval: each signing party approves one version of an agreement's terms."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models.agreements import Agreement
from partnerships.models.institutions import Institution

VERSION_PATTERN = r"^[0-9a-f]{64}$"


class AgreementApproval(models.Model):
    """A party's approval of one version; it goes stale, never away, when the terms change."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="approvals"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("approved for"),
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)
    version = models.CharField(_("version"), max_length=64)

    class Meta:
        ordering = ["agreement", "-approved_at", "id"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution", "version"],
                name="approval_once_per_party_and_version",
                violation_error_message=_("This party has already approved this version."),
            ),
            models.CheckConstraint(
                condition=Q(version__regex=VERSION_PATTERN),
                name="approval_version_form",
                violation_error_message=_("A version is 64 lowercase hexadecimal characters."),
            ),
        ]

    def __str__(self):
        return f"{self.institution} approved {self.version[:12]}"


class ApprovedVersion(models.Model):
    """The terms of a version every signing party approved, kept to compare with later ones."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="approved_versions",
    )
    version = models.CharField(_("version"), max_length=64)
    terms = models.JSONField(_("terms"))
    approved_at = models.DateTimeField(_("approved by all at"), default=timezone.now)

    class Meta:
        ordering = ["agreement", "-approved_at", "-id"]
        get_latest_by = ["approved_at", "id"]
        verbose_name = _("version approved by all")
        verbose_name_plural = _("versions approved by all")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version"], name="approved_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(version__regex=VERSION_PATTERN),
                name="approved_version_form",
            ),
        ]

    def __str__(self):
        return f"{self.agreement.reference} {self.version[:12]}"
