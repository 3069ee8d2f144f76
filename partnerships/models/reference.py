"""Reference data: fields of study and named groups of countries."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partnerships.models.base import TimeStampedModel
from partnerships.vocabularies import isced_f_label


class FieldOfStudy(models.Model):
    """An ISCED-F 2013 field (broad, narrow or detailed), seeded by a migration."""

    code = models.CharField(_("ISCED-F code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("field of study")
        verbose_name_plural = _("fields of study")

    def __str__(self):
        return f"{self.code} {isced_f_label(self.code)}"


class CountryGroup(TimeStampedModel):
    """A named set of countries researchers filter by (Belt and Road, ASEAN, ...)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")

    def __str__(self):
        return self.name

    @property
    def country_codes(self):
        return [country.code for country in self.countries]
