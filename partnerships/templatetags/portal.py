"""Template helpers of the portal pages: state labels, country and language names, academic
years."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django_countries import countries

from partnerships.models import AgreementParty, AgreementState
from partnerships.vocabularies import language_name
from programs.models import format_academic_year

register = template.Library()

STATE_LABELS = dict(AgreementState.choices)


@register.filter
def state_label(state):
    return STATE_LABELS.get(state, state)


# Labels translated once per language: (model field or "countries", language) -> {value: label}
_labels = {}


def translated_labels(key, choices):
    labels = _labels.get((key, get_language()))
    if labels is None:
        labels = _labels[key, get_language()] = {value: str(label) for value, label in choices()}
    return labels


@register.filter
def country_name(code):
    """The translated name of an ISO code (or Country object), "—" when blank."""
    code = getattr(code, "code", code)
    if not code:
        return "—"
    names = translated_labels("countries", lambda: countries)
    return names.get(code) or countries.name(code) or code


@register.filter
def language_names(codes):
    """ISO 639-1 codes as the reader's names of the languages: "Chinese, Russian"."""
    return capfirst(pgettext("list separator", ", ").join(language_name(c) for c in codes))


@register.filter
def display(instance, field_name):
    """`instance.get_<field_name>_display()`, with the field's labels translated once per
    language: Django translates every choice of the field on each call, 50 rows times."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    return translated_labels(field, lambda: field.flatchoices).get(value, value)


@register.filter
def signing_parties(agreement):
    """The parties that sign (witnesses left out), from the prefetched parties."""
    return [
        party for party in agreement.parties.all() if party.role in AgreementParty.SIGNING_ROLES
    ]


@register.filter
def academic_year(year):
    return format_academic_year(year) if year else "—"


@register.filter
def percent_of(value, total):
    """`value` as a share of `total` in whole percent, for bar widths."""
    if not total:
        return 0
    return round(100 * (value or 0) / total)


@register.filter
def signed_percent(value):
    """A balance index between -1 and 1 as a signed percentage."""
    if value is None:
        return "—"
    return f"{value * 100:+.0f} %"


@register.simple_tag
def yes_no(value):
    return _("yes") if value else _("no")


@register.simple_tag(takes_context=True)
def nav_current(context, prefix):
    """`aria-current="page"` on the navigation link of the section being shown."""
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return mark_safe(' aria-current="page"')  # nosec B308 # a constant
    return ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.simple_tag(takes_context=True)
def may_import(context):
    """Whether the signed-in user sees the import page in the navigation."""
    from partnerships import permissions

    user = context.get("user")
    return bool(user is not None and permissions.can_import(user))
