"""Pieces every model of the portal shares."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class TimeStampedModel(models.Model):
    """Adds `created` and `updated` stamps; `updated` is indexed for `modified_since=` sync."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


def country_code_check(field, *, name, allow_blank=False):
    """A CHECK constraint that keeps `field` to ISO 3166-1 alpha-2 codes."""
    valid = Q(**{f"{field}__in": [code for code, _name in countries]})
    if allow_blank:
        valid |= Q(**{field: ""})
    return models.CheckConstraint(
        condition=valid,
        name=name,
        violation_error_message=_("%(field)s must be an ISO 3166-1 alpha-2 country code.")
        % {"field": field.replace("_", " ").capitalize()},
    )


def country_code_check_by_letter(field, *, name):
    """The same rule as `country_code_check`, written as one short list per first letter.

    PostgreSQL tests a CHECK's IN list item by item: 249 codes cost hundreds of comparisons
    per row, which dominates bulk loads of student flows. Testing the first letter first
    leaves about a dozen, and the set of accepted codes is exactly the same.
    """
    by_letter = {}
    for code, _name in countries:
        by_letter.setdefault(code[0], []).append(code)
    valid = Q()
    for letter, codes in sorted(by_letter.items()):
        first_letter = Q(**{f"{field}__gte": f"{letter}A", f"{field}__lte": f"{letter}Z"})
        valid |= first_letter & Q(**{f"{field}__in": sorted(codes)})
    return models.CheckConstraint(
        condition=valid,
        name=name,
        violation_error_message=_("%(field)s must be an ISO 3166-1 alpha-2 country code.")
        % {"field": field.replace("_", " ").capitalize()},
    )


def check_date_order(instance, *rules):
    """Raise field-level errors for each (earlier, later, message) whose dates are reversed.

    The same rules are CHECK constraints; this gives the form the field to point at.
    """
    errors = {}
    for earlier, later, message in rules:
        start, end = getattr(instance, earlier), getattr(instance, later)
        if start is not None and end is not None and end < start:
            errors.setdefault(later, message)
    if errors:
        raise ValidationError(errors)
