"""Filter building blocks the FilterSets of every app share (plain django-filter, no DRF)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


def country_choices():
    return [(code, name) for code, name in countries]


class CountryCodeField(forms.ChoiceField):
    """An ISO 3166-1 alpha-2 code, in either case: `cn` reads as `CN`."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def prepare_value(self, value):
        """The select shows `?country=kz` as Kazakhstan chosen, as the filter reads it."""
        return value.strip().upper() if isinstance(value, str) else value


# The schema lists the codes (the filter also takes them in lower case).
@extend_schema_field({"type": "string", "enum": [code for code, _name in countries]})
class CountryFilter(django_filters.ChoiceFilter):
    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", country_choices)
        super().__init__(*args, **kwargs)


class IdOrSlugField(forms.ModelChoiceField):
    """A record named by its numeric id or by its slug (`alliance=uasr` or `alliance=3`)."""

    def __init__(self, *args, slug_field="slug", **kwargs):
        self.slug_field = slug_field
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        # isascii(): "7²" is a digit to str.isdigit() but not to int().
        is_id = value.isascii() and value.isdigit()
        lookup = {"pk": int(value)} if is_id else {self.slug_field: value}
        try:
            return self.queryset.get(**lookup)
        except (self.queryset.model.DoesNotExist, ValueError, OverflowError):
            # Params, not a formatted message: the value may hold "%" (django-filter
            # formats the message with its params once more).
            raise ValidationError(
                _("No %(record)s has the id or slug %(value)s."),
                code="invalid_choice",
                params={"record": self.queryset.model._meta.verbose_name, "value": value},
            ) from None


@extend_schema_field(OpenApiTypes.STR)
class IdOrSlugFilter(django_filters.ModelChoiceFilter):
    field_class = IdOrSlugField


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (NumberFilter would accept 2018.5)."""

    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.STR)
class CountryGroupFilter(django_filters.ModelChoiceFilter):
    """`country_group=asean`: records whose `field_name` country is in the group."""

    field_class = IdOrSlugField

    def __init__(self, *args, **kwargs):
        from partnerships.models import CountryGroup

        kwargs.setdefault("queryset", CountryGroup.objects.all())
        kwargs.setdefault("help_text", _("Slug or id of a country group, e.g. belt-and-road."))
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.field_name}__in": value.country_codes})


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is an error, not "no filter"."""

    values = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.values[str(value).strip().lower()]
        except KeyError:
            raise ValidationError(_("Use true or false."), code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


def words(text):
    """The words of a search string, at most ten (a long string is not a longer query)."""
    return text.split()[:10]
