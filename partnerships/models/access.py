"""Affiliations: which institutions and alliances a user works for, and in which role."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models.alliances import Alliance
from partnerships.models.base import TimeStampedModel
from partnerships.models.institutions import Institution


class Affiliation(TimeStampedModel):
    class Role(models.TextChoices):
        EDITOR = "editor", _("Editor (international office)")
        VIEWER = "viewer", _("Viewer")
        SECRETARIAT = "secretariat", _("Alliance secretariat")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="affiliations",
    )
    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="affiliations",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    # Who was given which rights, and by whom, is part of the audit trail.
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="secretariat", alliance__isnull=False, institution__isnull=True)
                    | (
                        Q(role__in=["editor", "viewer"])
                        & Q(institution__isnull=False, alliance__isnull=True)
                    )
                ),
                name="affiliation_role_matches_target",
                violation_error_message=_(
                    "Editors and viewers belong to an institution; a secretariat to an alliance."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "institution", "role"],
                condition=Q(institution__isnull=False),
                name="affiliation_unique_institution_role",
            ),
            models.UniqueConstraint(
                fields=["user", "alliance"],
                condition=Q(alliance__isnull=False),
                name="affiliation_unique_alliance",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.institution or self.alliance}"
