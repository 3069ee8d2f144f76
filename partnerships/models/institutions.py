"""Institutions: every organisation that joins an alliance or signs an agreement."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partnerships.fields import RorIdField
from partnerships.models.base import TimeStampedModel, country_code_check
from partnerships.querysets import InstitutionQuerySet
from partnerships.validators import ERASMUS_CODE_PATTERN, ROR_ID_PATTERN, validate_erasmus_code


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
    erasmus_code = models.CharField(
        _("Erasmus code"),
        max_length=20,
        blank=True,
        validators=[validate_erasmus_code],
        help_text=_('Optional Erasmus institution code, e.g. "D  BERLIN01".'),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The institution this one belongs to: a branch campus, a system member."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("now known as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The institution this one became through a merger or a renaming."),
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
            models.UniqueConstraint(
                fields=["erasmus_code"],
                condition=~Q(erasmus_code=""),
                name="institution_erasmus_code_unique",
                violation_error_message=_("Another institution already has this Erasmus code."),
            ),
            models.CheckConstraint(
                condition=Q(erasmus_code="") | Q(erasmus_code__regex=ERASMUS_CODE_PATTERN),
                name="institution_erasmus_code_form",
                violation_error_message=_('Enter an Erasmus code such as "D  BERLIN01".'),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="institution_not_its_own_parent",
                violation_error_message=_("An institution cannot be part of itself."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("pk")),
                name="institution_not_its_own_successor",
                violation_error_message=_("An institution cannot succeed itself."),
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

    def clean(self):
        errors = {}
        for link, message in (
            ("parent", _("This would make the institution part of itself.")),
            ("successor", _("This would make the institution its own successor.")),
        ):
            if creates_cycle(self, link):
                errors[link] = message
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


def creates_cycle(instance, link):
    """Would following `link` (a foreign key to the same model) from `instance` lead back to it?

    Walks the stored chain, one query per step; chains of parents or successors are short.
    """
    seen = set()
    target_id = getattr(instance, f"{link}_id")
    model = type(instance)
    while target_id is not None:
        if target_id == instance.pk or target_id in seen:
            return True
        seen.add(target_id)
        target_id = (
            model._default_manager.filter(pk=target_id).values_list(f"{link}_id", flat=True).first()
        )
    return False
