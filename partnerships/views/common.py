"""What every list page shares: one page size, pagination that never fails on bad input."""

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters.conf import settings as filter_settings

from alliance_portal.filter_fields import IdOrSlugField
from alliance_portal.widgets import CachedOptionsSelect
from partnerships.forms import InstitutionLookupField, InstitutionSuggestInput
from partnerships.models import Institution

PAGE_SIZE = 25
ANY = _("Any")


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page of `queryset`; a missing, bad or too large number gives a valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def search_words(request):
    """The text of `?q=`, trimmed and bounded."""
    return request.GET.get("q", "").strip()[:200]


def page_filters(filterset, labels):
    """Give a shared FilterSet's form the page's translated labels, date pickers, selects
    drawn once (`CachedOptionsSelect`) and, where the API takes an institution by slug or id,
    the registry's text box that takes its name too, with suggestions."""
    fields = filterset.form.fields
    for name, field in list(fields.items()):
        if isinstance(field, IdOrSlugField) and field.queryset.model is Institution:
            field = fields[name] = typed_institution(field)
        elif type(field.widget) is forms.Select:
            field.widget = cached_select(field.widget)
        if name in labels:
            field.label = labels[name]
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        elif isinstance(field, filter_fields.ChoiceField):
            name_empty_choice(field)
        elif hasattr(field, "empty_label"):  # model choices read it as they render
            field.empty_label = ANY
        elif isinstance(field, forms.ChoiceField):
            choices = [choice for choice in field.choices if choice[0] != ""]
            field.choices = [("", ANY), *choices]
        field.required = False
    return filterset


def name_empty_choice(field):
    """Call django-filter's empty choice "Any", unless the filter names it itself (its
    choices were drawn when the field was made, so they are drawn again)."""
    if field.empty_label == filter_settings.EMPTY_CHOICE_LABEL:
        field.empty_label = ANY
    field.choices = [choice for choice in field.choices if choice[0] != ""]


def typed_institution(field):
    """The registry's institution box in place of a select of every institution: it takes
    the id or slug the API takes, and a ROR ID, acronym or name."""
    return InstitutionLookupField(
        required=False,
        label=field.label,
        help_text=field.help_text,
        widget=InstitutionSuggestInput,
    )


def cached_select(select):
    """`select` as a CachedOptionsSelect with the same attributes and choices."""
    cached = CachedOptionsSelect(attrs=select.attrs, choices=select.choices)
    cached.is_required = select.is_required
    return cached
