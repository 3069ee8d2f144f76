"""Cooperation conditions: what an agreement grants each academic year, from whom to whom."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models.agreements import Agreement, AgreementParty
from partnerships.models.base import TimeStampedModel
from partnerships.models.institutions import Institution
from partnerships.models.reference import FieldOfStudy
from partnerships.models.units import Unit, check_unit_of
from partnerships.querysets import ConditionQuerySet
from partnerships.vocabularies import DEGREE_LEVELS, ISO_639_1, CefrLevel

FIRST_YEAR, LAST_YEAR = 1950, 2100
LEVELS_PATTERN = r"^5?6?7?8?$"


class ConditionMobilityType(models.TextChoices):
    STUDENT_STUDIES = "student_studies", _("Student mobility for studies")
    STUDENT_TRAINEESHIP = "student_traineeship", _("Student traineeship")
    DEGREE_SEEKING = "degree_seeking", _("Degree-seeking students")
    STAFF_TEACHING = "staff_teaching", _("Staff mobility for teaching")
    STAFF_TRAINING = "staff_training", _("Staff mobility for training")


STAFF_TYPES = (ConditionMobilityType.STAFF_TEACHING, ConditionMobilityType.STAFF_TRAINING)
STUDENT_TYPES = tuple(kind for kind in ConditionMobilityType if kind not in STAFF_TYPES)

# Which student flows use a condition's places: flows count every staff mobility as one type.
FLOW_MOBILITY_TYPE = {
    ConditionMobilityType.STUDENT_STUDIES: "credit",
    ConditionMobilityType.STUDENT_TRAINEESHIP: "training",
    ConditionMobilityType.DEGREE_SEEKING: "degree",
    ConditionMobilityType.STAFF_TEACHING: "staff",
    ConditionMobilityType.STAFF_TRAINING: "staff",
}


class AgreementCondition(TimeStampedModel):
    """Places per academic year that `sending` may send to `receiving` under an agreement."""

    MobilityType = ConditionMobilityType
    # The one list of a condition's own fields: its terms are what both parties approve
    # (partnerships/terms.py); every door (API, form, sheets) edits them and the notes.
    TERMS = (
        "sending_institution",
        "sending_unit",
        "receiving_institution",
        "receiving_unit",
        "mobility_type",
        "field",
        "levels",
        "first_academic_year",
        "last_academic_year",
        "places",
        "months_per_year",
        "days_per_year",
        "language",
        "language_level",
    )
    EDITABLE = (*TERMS, "notes")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="conditions"
    )
    sending_institution = models.ForeignKey(
        Institution,
        verbose_name=_("sending institution"),
        on_delete=models.PROTECT,
        related_name="conditions_sending",
    )
    sending_unit = models.ForeignKey(
        Unit,
        verbose_name=_("sending unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conditions_sending",
    )
    receiving_institution = models.ForeignKey(
        Institution,
        verbose_name=_("receiving institution"),
        on_delete=models.PROTECT,
        related_name="conditions_receiving",
    )
    receiving_unit = models.ForeignKey(
        Unit,
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conditions_receiving",
    )
    mobility_type = models.CharField(
        _("mobility type"), max_length=20, choices=ConditionMobilityType.choices
    )
    field = models.ForeignKey(
        FieldOfStudy,
        verbose_name=_("field of study"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conditions",
    )
    levels = models.CharField(
        _("levels"),
        max_length=4,
        blank=True,
        help_text=_("ISCED levels 5–8 as digits in order, e.g. 67; empty: any level."),
    )
    first_academic_year = models.PositiveSmallIntegerField(
        _("first academic year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text=_("The year it starts: 2026 for 2026/27."),
    )
    last_academic_year = models.PositiveSmallIntegerField(
        _("last academic year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    places = models.PositiveSmallIntegerField(
        _("places per year"), validators=[MinValueValidator(1)]
    )
    months_per_year = models.PositiveSmallIntegerField(
        _("months per year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Total months a year for student mobility."),
    )
    days_per_year = models.PositiveSmallIntegerField(
        _("days per year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Total days a year for staff mobility."),
    )
    language = models.CharField(
        _("language"), max_length=2, blank=True, help_text=_("ISO 639-1 code, e.g. en.")
    )
    language_level = models.CharField(
        _("CEFR level"), max_length=2, blank=True, choices=CefrLevel.choices
    )
    notes = models.TextField(_("notes"), blank=True)
    is_generated = models.BooleanField(_("generated record"), default=False)

    history = HistoricalRecords()
    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "sending_institution__name", "mobility_type", "id"]
        verbose_name = _("cooperation condition")
        verbose_name_plural = _("cooperation conditions")
        constraints = [
            models.CheckConstraint(
                condition=Q(places__gt=0),
                name="condition_places_positive",
                violation_error_message=_("Places per year must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(last_academic_year__gte=F("first_academic_year")),
                name="condition_years_in_order",
                violation_error_message=_("The last academic year cannot come before the first."),
            ),
            models.CheckConstraint(
                condition=Q(first_academic_year__range=(FIRST_YEAR, LAST_YEAR))
                & Q(last_academic_year__range=(FIRST_YEAR, LAST_YEAR)),
                name="condition_years_range",
                violation_error_message=_("Academic years must be between 1950 and 2100."),
            ),
            models.CheckConstraint(
                condition=~Q(sending_institution=F("receiving_institution")),
                name="condition_sending_not_receiving",
                violation_error_message=_("The sending and receiving institutions must differ."),
            ),
            models.CheckConstraint(
                condition=Q(mobility_type__in=ConditionMobilityType.values),
                name="condition_mobility_type_valid",
                violation_error_message=_("Choose a mobility type."),
            ),
            models.CheckConstraint(
                condition=Q(levels__regex=LEVELS_PATTERN),
                name="condition_levels_form",
                violation_error_message=_("Levels are ISCED 5 to 8, each at most once, in order."),
            ),
            models.CheckConstraint(
                condition=Q(months_per_year__isnull=True)
                | (Q(months_per_year__range=(1, 12)) & Q(mobility_type__in=STUDENT_TYPES)),
                name="condition_months_for_students",
                violation_error_message=_("Months per year (1–12) apply to student mobility."),
            ),
            models.CheckConstraint(
                condition=Q(days_per_year__isnull=True)
                | (Q(days_per_year__range=(1, 365)) & Q(mobility_type__in=STAFF_TYPES)),
                name="condition_days_for_staff",
                violation_error_message=_("Days per year (1–365) apply to staff mobility."),
            ),
            models.CheckConstraint(
                condition=Q(language="") | Q(language__in=ISO_639_1),
                name="condition_language_iso",
                violation_error_message=_("The language must be an ISO 639-1 code."),
            ),
            models.CheckConstraint(
                condition=Q(language_level="")
                | (Q(language_level__in=CefrLevel.values) & ~Q(language="")),
                name="condition_cefr_with_language",
                violation_error_message=_("A CEFR level needs a language."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["receiving_institution", "first_academic_year", "last_academic_year"],
                name="condition_receiving_years_idx",
            )
        ]

    def __str__(self):
        return (
            f"{self.sending_institution} → {self.receiving_institution}: {self.places} "
            f"{self.get_mobility_type_display().lower()} a year"
        )

    @property
    def level_list(self):
        return list(self.levels)

    @property
    def is_staff_mobility(self):
        return self.mobility_type in STAFF_TYPES

    @property
    def flow_mobility_type(self):
        return FLOW_MOBILITY_TYPE.get(self.mobility_type)

    def covers(self, year):
        return self.first_academic_year <= year <= self.last_academic_year

    def clean(self):
        errors = {}
        if self.levels:
            self.levels = normalise_levels(self.levels)
            if not set(self.levels) <= set(DEGREE_LEVELS):
                errors["levels"] = _("Levels are ISCED 5, 6, 7 or 8.")
        years = (self.first_academic_year, self.last_academic_year)
        if None not in years and years[1] < years[0]:
            errors["last_academic_year"] = _("The last academic year cannot come before the first.")
        if self.language and self.language not in ISO_639_1:
            errors["language"] = _("Enter an ISO 639-1 language code, e.g. en.")
        if self.language_level and not self.language:
            errors["language"] = _("Name the language of the CEFR level.")
        if self.mobility_type in STAFF_TYPES and self.months_per_year is not None:
            errors["months_per_year"] = _("Staff mobility is counted in days, not months.")
        if self.mobility_type in STUDENT_TYPES and self.days_per_year is not None:
            errors["days_per_year"] = _("Student mobility is counted in months, not days.")
        errors |= self._party_errors()
        if errors:
            raise ValidationError(errors)

    def _party_errors(self):
        sending, receiving = self.sending_institution_id, self.receiving_institution_id
        errors = {}
        if sending is not None and sending == receiving:
            errors["receiving_institution"] = _(
                "The sending and receiving institutions must differ."
            )
        if self.agreement_id is not None:
            party_ids = set(
                AgreementParty.objects.filter(
                    agreement_id=self.agreement_id, role__in=AgreementParty.SIGNING_ROLES
                ).values_list("institution_id", flat=True)
            )
            for field, institution_id in (
                ("sending_institution", sending),
                ("receiving_institution", receiving),
            ):
                if institution_id is not None and institution_id not in party_ids:
                    errors.setdefault(field, _("Choose an institution that signs the agreement."))
        errors |= check_unit_of(self.sending_unit, sending, "sending_unit")
        errors |= check_unit_of(self.receiving_unit, receiving, "receiving_unit")
        return errors


def normalise_levels(value):
    """ "7, 6" or ["7", "6"] → "67": each level once, in order."""
    return "".join(sorted({char for char in "".join(value) if char.isdigit()}))
