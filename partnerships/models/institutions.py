"""Institutions: every organisation that joins an alliance or signs an agreement."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partnerships.fields import RorIdField
from partnerships.models.base import TimeStampedModel, country_code_check
from partnerships.querysets import InstitutionQuerySet
from partnerships.validators import ROR_ID_PATTERN


class Institution(TimeStampedModel):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        VOCATIONAL_COLLEGE = "vocational_college", _("Vocational college")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        ENTERPRISE = "enterprise", _("Enterprise")
        ASSOCIATION = "association", _("Association")
        GOVERNMENT_BODY = "government_body", _("Government body")
        NETWORK = "network", _("Network / NGO")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    native_name = models.CharField(_("native name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    ror_id = RorIdField(
        _("ROR ID"), help_text=_("Optional. https://ror.org/ followed by 9 characters.")
    )
    founded_year = models.PositiveSmallIntegerField(
        _("founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(800), MaxValueValidator(2100)],
    )
    description = models.TextField(_("description"), blank=True)
    is_generated = models.BooleanField(
        _("generated record"),
        default=False,
        help_text=_("Set on demo records made up to fill the portal, not taken from a source."),
    )

    history = HistoricalRecords()
    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            country_code_check("country", name="institution_country_iso"),
            models.UniqueConstraint(
                fields=["ror_id"],
                condition=~Q(ror_id=""),
                name="institution_ror_id_unique",
                violation_error_message=_("Another institution already has this ROR ID."),
            ),
            models.CheckConstraint(
                condition=Q(ror_id="") | Q(ror_id__regex=ROR_ID_PATTERN),
                name="institution_ror_id_form",
                violation_error_message=_("A ROR ID must be https://ror.org/ and 9 characters."),
            ),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__range=(800, 2100)),
                name="institution_founded_year_range",
                violation_error_message=_("The founding year must be between 800 and 2100."),
            ),
        ]
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name
