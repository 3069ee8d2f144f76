"""Joint programmes and the aggregated student flows between countries and institutions."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partnerships.models import Agreement, AgreementParty, Alliance, FieldOfStudy, Institution
from partnerships.models.base import (
    TimeStampedModel,
    check_date_order,
    country_code_check_by_letter,
)
from partnerships.validators import validate_language_codes
from partnerships.vocabularies import StudyLevel
from programs.querysets import ProgrammeQuerySet, StudentFlowQuerySet

FIRST_ACADEMIC_YEAR = 1950
LAST_ACADEMIC_YEAR = 2100


def latest_countable_academic_year():
    """The last academic year a flow may count: one that begins this calendar year at the latest.

    Academic years start from February to October around the world, so any later year
    cannot have been counted yet, wherever it is.
    """
    return timezone.localdate().year


def validate_academic_year_begun(year):
    if year > latest_countable_academic_year():
        raise ValidationError(
            _("%(year)s has not begun yet: a flow counts students who have already moved."),
            code="academic_year_not_begun",
            params={"year": format_academic_year(year)},
        )


class Programme(TimeStampedModel):
    class Kind(models.TextChoices):
        JOINT_DEGREE = "joint_degree", _("Joint degree")
        DOUBLE_DEGREE = "double_degree", _("Double degree")
        JOINT_INSTITUTE = "joint_institute", _("Joint institute")
        CUSTOMIZED_TRAINING = "customized_training", _("Customized (order-based) training")
        SUMMER_SCHOOL = "summer_school", _("Summer school")
        SHORT_COURSE = "short_course", _("Short course")
        SCHOLARSHIP = "scholarship", _("Scholarship")
        LANGUAGE_CENTRE = "language_centre", _("Language centre")
        RESEARCH_TRAINING = "research_training", _("Research training")

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=12, choices=StudyLevel.choices)
    field = models.ForeignKey(
        FieldOfStudy,
        verbose_name=_("field of study"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    lead = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        related_name="programmes_led",
    )
    partners = models.ManyToManyField(
        Institution,
        verbose_name=_("partners"),
        through="ProgrammePartner",
        related_name="programmes",
        blank=True,
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("founding agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
    )
    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
    )
    languages = models.CharField(
        _("languages of instruction"),
        max_length=60,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("ISO 639-1 codes separated by commas, e.g. zh,en,ru."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    annual_capacity = models.PositiveIntegerField(
        _("places per year"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    dual_tutor = models.BooleanField(
        _("dual tutors"), default=False, help_text=_("An academic and an industry tutor.")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_generated = models.BooleanField(_("generated record"), default=False)

    history = HistoricalRecords()
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="programme_ends_after_start",
                violation_error_message=_("A programme cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(annual_capacity__isnull=True) | Q(annual_capacity__gt=0),
                name="programme_capacity_positive",
                violation_error_message=_("Places per year must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=StudyLevel.values),
                name="programme_level_valid",
                violation_error_message=_("Choose an ISCED level or non-degree training."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        check_date_order(
            self, ("starts_on", "ends_on", _("A programme cannot end before it starts."))
        )

    @property
    def language_list(self):
        return [code for code in self.languages.split(",") if code]


class ProgrammePartner(TimeStampedModel):
    class Role(models.TextChoices):
        CO_PROVIDER = "co_provider", _("Co-provider")
        ENTERPRISE_PARTNER = "enterprise_partner", _("Enterprise partner")
        FUNDER = "funder", _("Funder")
        HOST = "host", _("Host")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="programme_partnerships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "institution__name"]
        verbose_name = _("programme partner")
        verbose_name_plural = _("programme partners")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "institution", "role"],
                name="programme_partner_unique_role",
                violation_error_message=_("This institution already has this role here."),
            )
        ]

    def __str__(self):
        return f"{self.institution} ({self.get_role_display()})"


class MobilityType(models.TextChoices):
    DEGREE = "degree", _("Degree-seeking")
    CREDIT = "credit", _("Credit / exchange")
    TRAINING = "training", _("Training")
    STAFF = "staff", _("Staff")
    UNSPECIFIED = "unspecified", _("All types (not reported)")


class StudentFlow(TimeStampedModel):
    """An aggregated count of students moving between two countries, never a person.

    Rows are disjoint and additive: a row naming institutions counts the students between
    them; a row with blank institutions counts the rest of that country pair.
    """

    MobilityType = MobilityType

    academic_year = models.PositiveSmallIntegerField(
        _("academic year"),
        validators=[
            MinValueValidator(FIRST_ACADEMIC_YEAR),
            MaxValueValidator(LAST_ACADEMIC_YEAR),
            validate_academic_year_begun,
        ],
        help_text=_("The year it starts: 2018 for 2018/19."),
    )
    origin_country = CountryField(_("origin country"))
    destination_country = CountryField(_("destination country"))
    origin_institution = models.ForeignKey(
        Institution,
        verbose_name=_("origin institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbound_flows",
        db_index=False,  # a partial index in Meta.indexes
    )
    destination_institution = models.ForeignKey(
        Institution,
        verbose_name=_("destination institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inbound_flows",
        db_index=False,  # a partial index in Meta.indexes
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flows",
        db_index=False,  # a partial index in Meta.indexes
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flows",
        db_index=False,  # a partial index in Meta.indexes
        help_text=_("The agreement whose places these students used, if any."),
    )
    level = models.CharField(
        _("level"), max_length=12, choices=StudyLevel.choices, default=StudyLevel.UNSPECIFIED
    )
    mobility_type = models.CharField(
        _("mobility type"),
        max_length=12,
        choices=MobilityType.choices,
        default=MobilityType.UNSPECIFIED,
    )
    students = models.PositiveIntegerField(_("students"), validators=[MinValueValidator(1)])
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_generated = models.BooleanField(_("generated record"), default=False)

    objects = StudentFlowQuerySet.as_manager()

    class Meta:
        ordering = ["-academic_year", "origin_country", "destination_country", "id"]
        verbose_name = _("student flow")
        verbose_name_plural = _("student flows")
        constraints = [
            models.CheckConstraint(
                condition=Q(students__gt=0),
                name="flow_students_positive",
                violation_error_message=_("A flow counts at least one student."),
            ),
            models.CheckConstraint(
                condition=Q(academic_year__range=(FIRST_ACADEMIC_YEAR, LAST_ACADEMIC_YEAR)),
                name="flow_academic_year_range",
                violation_error_message=_("The academic year must be between 1950 and 2100."),
            ),
            models.CheckConstraint(
                condition=~Q(origin_country=F("destination_country")),
                name="flow_crosses_a_border",
                violation_error_message=_("Origin and destination must be different countries."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=StudyLevel.values),
                name="flow_level_valid",
                violation_error_message=_("Choose an ISCED level, non-degree or not reported."),
            ),
            models.CheckConstraint(
                condition=Q(mobility_type__in=MobilityType.values),
                name="flow_mobility_type_valid",
                violation_error_message=_("Choose a mobility type."),
            ),
            country_code_check_by_letter("origin_country", name="flow_origin_country_iso"),
            country_code_check_by_letter(
                "destination_country", name="flow_destination_country_iso"
            ),
            # Blank institutions and programme count as one value, so the tuple is unique
            # with nulls not distinct on every database.
            models.UniqueConstraint(
                "academic_year",
                "origin_country",
                "destination_country",
                Coalesce("origin_institution", Value(0)),
                Coalesce("destination_institution", Value(0)),
                Coalesce("programme", Value(0)),
                "level",
                "mobility_type",
                name="flow_unique_dimensions",
                violation_error_message=_("A flow with these dimensions already exists."),
            ),
        ]
        # Lookups by year and country pair use the leading columns of flow_unique_dimensions.
        indexes = [
            models.Index(
                fields=["destination_country", "academic_year"], name="flow_destination_year_idx"
            ),
            models.Index(fields=["origin_country", "academic_year"], name="flow_origin_year_idx"),
            # The flows' cursor pages: a range scan from the last row's (year, id), however deep.
            models.Index(fields=["academic_year", "id"], name="flow_year_id_idx"),
            # The foreign keys' indexes serve lookups and the deletion checks of what they point
            # to; they leave out rows without a reference (most rows are country-level), which
            # a bulk import then does not write into them (docs/import.md). `col = x` implies
            # the condition, so every lookup by value can use them.
            models.Index(
                fields=["origin_institution"],
                condition=Q(origin_institution__isnull=False),
                name="flow_origin_inst_idx",
            ),
            models.Index(
                fields=["destination_institution"],
                condition=Q(destination_institution__isnull=False),
                name="flow_destination_inst_idx",
            ),
            models.Index(
                fields=["programme"],
                condition=Q(programme__isnull=False),
                name="flow_programme_idx",
            ),
            models.Index(
                fields=["agreement"],
                condition=Q(agreement__isnull=False),
                name="flow_agreement_idx",
            ),
        ]

    def __str__(self):
        return (
            f"{self.academic_year_label} {self.origin_country.code}→"
            f"{self.destination_country.code}: {self.students}"
        )

    @property
    def academic_year_label(self):
        return format_academic_year(self.academic_year)

    def _agreement_error(self):
        """Flows count against an agreement only between two institutions that sign it."""
        if self.origin_institution_id is None or self.destination_institution_id is None:
            return _("Name both institutions to count these students against an agreement.")
        signing = set(
            AgreementParty.objects.filter(
                agreement_id=self.agreement_id, role__in=AgreementParty.SIGNING_ROLES
            ).values_list("institution_id", flat=True)
        )
        if not {self.origin_institution_id, self.destination_institution_id} <= signing:
            return _("Both institutions must sign this agreement.")
        return None

    def clean(self):
        errors = {}
        if self.origin_country and self.origin_country == self.destination_country:
            errors["destination_country"] = _("Origin and destination must be different countries.")
        for side in ("origin", "destination"):
            institution = getattr(self, f"{side}_institution")
            country = getattr(self, f"{side}_country")
            if institution is not None and country and institution.country != country:
                errors[f"{side}_institution"] = _(
                    "This institution is in %(country)s, not in the %(side)s country."
                ) % {"country": institution.country.name, "side": side}
        agreement_error = self._agreement_error() if self.agreement_id is not None else None
        if agreement_error:
            errors["agreement"] = agreement_error
        if errors:
            raise ValidationError(errors)


def format_academic_year(year):
    """2018 → "2018/19"."""
    return f"{year}/{(year + 1) % 100:02d}"
