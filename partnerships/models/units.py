"""Organisational units: the faculties, schools and institutes inside an institution."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models.base import TimeStampedModel
from partnerships.models.institutions import Institution, creates_cycle


class UnitKind(models.TextChoices):
    FACULTY = "faculty", _("Faculty")
    SCHOOL = "school", _("School")
    DEPARTMENT = "department", _("Department")
    INSTITUTE = "institute", _("Institute")
    CENTRE = "centre", _("Centre")


class Unit(TimeStampedModel):
    Kind = UnitKind

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subunits",
        help_text=_("A unit of the same institution, e.g. the faculty of a department."),
    )
    is_generated = models.BooleanField(_("generated record"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["institution__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"],
                name="unit_unique_name",
                violation_error_message=_("This institution already has a unit of this name."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values),
                name="unit_kind_valid",
                violation_error_message=_("Choose a kind of unit."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="unit_not_its_own_parent",
                violation_error_message=_("A unit cannot be part of itself."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.institution.short_name or self.institution.name})"

    def clean(self):
        if self.parent_id is None:
            return
        if self.institution_id is not None and self.parent.institution_id != self.institution_id:
            raise ValidationError({"parent": _("Choose a unit of the same institution.")})
        if creates_cycle(self, "parent"):
            raise ValidationError({"parent": _("This would make the unit part of itself.")})


def check_unit_of(unit, institution_id, field):
    """A field error when `unit` (optional) is not a unit of the institution `institution_id`."""
    if unit is not None and institution_id is not None and unit.institution_id != institution_id:
        return {field: _("%(unit)s is not a unit of this institution.") % {"unit": unit.name}}
    return {}
